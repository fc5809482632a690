"""Two worker processes against PostgreSQL share 10,000 due items: each is acted on exactly
once; a worker killed with SIGKILL mid-run loses nothing (the survivor takes its claims over
once they go stale)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlmodel import Session

from tests.zhuanjie.conftest import BACKEND, fresh_database
from tests.zhuanjie.factories import make_need, make_user
from zhuanjie.db import get_engine, utc_now
from zhuanjie.migrate import upgrade
from zhuanjie.models import FollowUp, Notification, Task

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql", reason="runs in the PostgreSQL pass (two processes, one server)"
)
ITEMS = 10_000


def _fill(url: str) -> None:
    with Session(get_engine(url), expire_on_commit=False) as s:
        worker = make_user(s, "caseworker")
        need = make_need(s, worker)
        due = utc_now().date() - timedelta(days=1)
        s.execute(
            insert(FollowUp),
            [
                {
                    "need_id": need.id,
                    "assignee_id": worker.id,
                    "due_date": due,
                    "status": "scheduled",
                    "notes": "",
                }
                for _ in range(ITEMS)
            ],
        )
        ids = s.scalars(select(FollowUp.id)).all()
        past = utc_now() - timedelta(hours=1)
        s.execute(
            insert(Task),
            [
                {
                    "kind": "followup_due",
                    "object_type": "follow_up",
                    "object_id": i,
                    "due_at": past,
                    "attempts": 0,
                    "result": "",
                }
                for i in ids
            ],
        )
        s.commit()


def _worker(url: str, **env) -> subprocess.Popen:
    environment = dict(os.environ, ZHUANJIE_DATABASE_URL=url, ZHUANJIE_TASK_BATCH="100", **env)
    return subprocess.Popen(
        [sys.executable, "-m", "zhuanjie.cli", "worker", "--drain"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _counts(url: str) -> dict:
    with Session(get_engine(url)) as s:
        return {
            "done": s.scalar(
                select(func.count()).select_from(Task).where(Task.done_at.is_not(None))
            ),
            "told": s.scalar(select(func.count()).select_from(Notification)),
            "workers": dict(
                s.execute(select(Task.claimed_by, func.count()).group_by(Task.claimed_by)).all()
            ),
            "retaken": s.scalar(select(func.count()).select_from(Task).where(Task.attempts > 1)),
            # claimed and not done: what a worker killed now leaves behind
            "held": s.scalar(
                select(func.count()).select_from(Task).where(
                    Task.claimed_by.is_not(None), Task.done_at.is_(None)
                )
            ),
            "failed": s.scalar(
                select(func.count()).select_from(Task).where(Task.result.like("error%"))
            ),
        }


def test_two_workers_act_on_each_item_exactly_once():
    with fresh_database("postgresql") as url:
        upgrade(url)
        _fill(url)
        a, b = _worker(url), _worker(url)
        for proc in (a, b):
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err[-2000:]
        counts = _counts(url)
        assert counts["done"] == ITEMS and counts["told"] == ITEMS
        assert counts["retaken"] == 0 and counts["failed"] == 0
        assert len(counts["workers"]) == 2 and min(counts["workers"].values()) > 0


def test_a_killed_worker_loses_nothing():
    with fresh_database("postgresql") as url:
        upgrade(url)
        _fill(url)
        short = {"ZHUANJIE_TASK_CLAIM_SECONDS": "3"}
        victim = _worker(url, **short)
        deadline = time.monotonic() + 120
        # kill it while it holds a claimed batch: between two batches it holds none, and then
        # nothing would go stale for the survivor to take over
        while time.monotonic() < deadline:
            now = _counts(url)
            if now["done"] >= 500 and now["held"] > 0:
                break
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        mid = _counts(url)
        assert 0 < mid["done"] < ITEMS, mid
        survivor = _worker(url, **short)
        out, err = survivor.communicate(timeout=600)
        assert survivor.returncode == 0, err[-2000:]
        counts = _counts(url)
        assert counts["done"] == ITEMS and counts["told"] == ITEMS and counts["failed"] == 0
        assert counts["retaken"] > 0  # the victim's claims went stale and were taken over
