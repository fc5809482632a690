"""APScheduler only ticks: each job asks the database what is due, acts, and records its run.

Every job is safe to run in two processes at once: due tasks are claimed row by row
(zhuanjie.tasks), sweeping jobs change rows with conditional updates, and every notification
they send carries a unique key, so an event is told once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session, select

from zhuanjie import tasks
from zhuanjie.config import get_settings
from zhuanjie.db import session_scope, utc_now
from zhuanjie.followups import jobs as followup_jobs  # noqa: F401  (registers task handlers)
from zhuanjie.households import jobs as household_jobs
from zhuanjie.intake import jobs as intake_jobs  # noqa: F401  (registers task handlers)
from zhuanjie.learning import jobs as learning_jobs
from zhuanjie.models import JobRun
from zhuanjie.needs import jobs as need_jobs
from zhuanjie.notifications import email
from zhuanjie.offers import jobs as offer_jobs
from zhuanjie.plans import service as plans
from zhuanjie.referrals import jobs as referral_jobs  # noqa: F401  (registers task handlers)
from zhuanjie.unclaimed import jobs as unclaimed_jobs

log = logging.getLogger("zhuanjie.scheduler")


@dataclass(frozen=True)
class JobSpec:
    id: str
    title: str  # shown on the supervisors' job page
    run: Callable[[Session, datetime], int]
    minutes: int | None = None  # every so many minutes …
    local_hour: int | None = None  # … or once a day at this hour (Asia/Shanghai)
    weekday: int | None = None  # … only on this day of the week (0 Monday), at local_hour


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "dispatch_tasks",
        "到期事项：答复与送达时限、部门转介受理时限、回访提醒和上报",
        tasks.dispatch_due,
        minutes=1,
    ),
    JobSpec("send_emails", "发送邮件通知", email.send_pending, minutes=1),
    JobSpec(
        "close_expired_offers",
        "关闭已过有效期的项目并通知机构",
        offer_jobs.close_expired_offers,
        minutes=60,
    ),
    JobSpec(
        "stale_needs", "向监管人员提示长期无进展的需求", need_jobs.surface_stale_needs, minutes=360
    ),
    JobSpec(
        "household_reviews",
        "年度复核与渐退期提醒",
        household_jobs.review_and_transition,
        minutes=360,
    ),
    JobSpec(
        "service_plans",
        "服务计划：结束到期计划、排出后续上门、标记漏访",
        plans.keep_plans,
        minutes=60,
    ),
    JobSpec(
        "nightly_rematch", "每晚重新匹配所有待匹配需求", need_jobs.nightly_rematch, local_hour=2
    ),
    JobSpec(
        "unclaimed", "应享未享：比对家庭与政府常设政策，列出符合条件但未享受的",
        unclaimed_jobs.find_unclaimed, local_hour=3,
    ),
    JobSpec(
        "train_model",
        "用转介结果训练匹配模型，留出周上更优才启用",
        learning_jobs.weekly_training,
        local_hour=1,
        weekday=0,
    ),
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


def build_scheduler(*, blocking: bool = False) -> BaseScheduler:
    scheduler = (
        BlockingScheduler(timezone="UTC") if blocking else BackgroundScheduler(timezone="UTC")
    )
    zone = get_settings().timezone
    for spec in JOBS:
        if spec.weekday is not None:
            trigger = CronTrigger(
                day_of_week=spec.weekday, hour=spec.local_hour or 0, minute=0, timezone=zone
            )
            first = None
        elif spec.local_hour is not None:
            trigger = CronTrigger(hour=spec.local_hour, minute=0, timezone=zone)
            first = None
        else:
            trigger, first = IntervalTrigger(minutes=spec.minutes), utc_now()
        scheduler.add_job(
            run_job,
            trigger,
            args=[spec],
            id=spec.id,
            name=spec.id,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            **({"next_run_time": first} if first else {}),
        )
    return scheduler


def job_overview(session: Session) -> list[tuple[JobSpec, JobRun | None, list[JobRun]]]:
    """Each job with its last run and a few before it, for the supervisors' page."""
    out = []
    for spec in JOBS:
        runs = list(
            session.exec(
                select(JobRun).where(JobRun.job_id == spec.id).order_by(JobRun.id.desc()).limit(5)
            ).all()
        )
        out.append((spec, runs[0] if runs else None, runs))
    return out
