"""APScheduler only ticks: each job asks the database what is due, acts, and records its run."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session

from zhuanjie.db import session_scope, utc_now
from zhuanjie.models import JobRun
from zhuanjie.offers import jobs as offer_jobs

log = logging.getLogger("zhuanjie.scheduler")


@dataclass(frozen=True)
class JobSpec:
    id: str
    title: str  # shown on the supervisors' job page
    run: Callable[[Session, datetime], int]
    minutes: int


JOBS: tuple[JobSpec, ...] = (
    JobSpec("close_expired_offers", "关闭已过有效期的项目", offer_jobs.close_expired_offers, 60),
)


def run_job(spec: JobSpec, url: str | None = None) -> JobRun:
    """Run one job now and keep a record of what it did (or how it failed)."""
    with session_scope(url) as session:
        run = JobRun(job_id=spec.id)
        session.add(run)
        session.commit()
        try:
            run.items = spec.run(session, utc_now())
            run.ok = True
            run.message = f"processed {run.items} item(s)"
        except Exception as exc:  # noqa: BLE001 - a failed run is recorded, the scheduler goes on
            session.rollback()
            log.exception("job %s failed", spec.id)
            run.ok, run.message = False, f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = utc_now()
        session.add(run)
        session.commit()
        return run


def build_scheduler(*, blocking: bool = False, tick_seconds: int | None = None) -> BaseScheduler:
    scheduler = (
        BlockingScheduler(timezone="UTC") if blocking else BackgroundScheduler(timezone="UTC")
    )
    for spec in JOBS:
        seconds = tick_seconds or spec.minutes * 60
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=seconds),
            args=[spec],
            id=spec.id,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            next_run_time=utc_now(),
        )
    return scheduler
