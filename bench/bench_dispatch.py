"""Dispatch benchmark: N due follow-up visits (default 100,000), each told to its caseworker,
on SQLite and PostgreSQL: items per second for one worker and for two worker processes,
beside a naive baseline (select the due rows, act, mark done, commit each; no claims, so two
workers would act twice).

    .venv/bin/python bench/bench_dispatch.py                        # both databases, 100,000
    .venv/bin/python bench/bench_dispatch.py --backend sqlite --items 20000
"""

from __future__ import annotations

import argparse
import os
import platform as host
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))

from bench_directory import PG_ADMIN  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text, update  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie import tasks  # noqa: E402
from zhuanjie.auth.passwords import hash_password  # noqa: E402
from zhuanjie.db import get_engine, session_scope, utc_now  # noqa: E402
from zhuanjie.followups import jobs as followup_jobs  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import FollowUp, Household, Need, Notification, Task, User  # noqa: E402


def fill(url: str, items: int) -> None:
    """One caseworker, 500 needs, `items` follow-ups due yesterday, each with its task."""
    now = utc_now()
    with Session(get_engine(url)) as s:
        user = User(username="bench", display_name="测试", role="caseworker",
                    region_path="南通市/如皋市/白蒲镇", password_hash=hash_password("bench-pass"))
        s.add(user)
        s.flush()
        household = Household(region_path=user.region_path)
        s.add(household)
        s.flush()
        s.execute(insert(Need), [
            {"household_id": household.id, "region_path": user.region_path, "category": "care",
             "title": f"照料需求{i}", "description": "", "urgency": 1, "status": "in_service",
             "outcome_note": "", "created_at": now, "updated_at": now, "last_action_at": now}
            for i in range(500)])
        need_ids = s.scalars(select(Need.id)).all()
        due = now.date() - timedelta(days=1)
        for start in range(0, items, 10_000):
            s.execute(insert(FollowUp), [
                {"need_id": need_ids[i % len(need_ids)], "assignee_id": user.id, "due_date": due,
                 "status": "scheduled", "notes": ""}
                for i in range(start, min(items, start + 10_000))])
        past = now - timedelta(hours=1)
        ids = s.scalars(select(FollowUp.id)).all()
        for start in range(0, len(ids), 10_000):
            s.execute(insert(Task), [
                {"kind": "followup_due", "object_type": "follow_up", "object_id": i,
                 "due_at": past, "attempts": 0, "result": ""} for i in ids[start:start + 10_000]])
        s.commit()


def reset(url: str) -> None:
    with Session(get_engine(url)) as s:
        s.execute(update(Task).values(done_at=None, claimed_at=None, claimed_by=None,
                                      attempts=0, result=""))
        s.execute(update(FollowUp).values(status="scheduled"))
        s.execute(Notification.__table__.delete())
        s.commit()


def ours_one(url: str) -> float:
    started = time.perf_counter()
    with session_scope(url) as s:
        done = tasks.dispatch(s).done
    return done / (time.perf_counter() - started)


def ours_two(url: str, items: int) -> float:
    env = dict(os.environ, ZHUANJIE_DATABASE_URL=url)
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "zhuanjie.cli", "worker", "--drain"],
                              env=env, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        p.wait()
    return items / (time.perf_counter() - started)


def naive(url: str) -> float:
    """Select due rows, act, mark done, commit each: no claim, unsafe with two workers."""
    started = time.perf_counter()
    done = 0
    with session_scope(url) as s:
        rows = s.scalars(select(Task).where(Task.done_at.is_(None), Task.due_at <= utc_now())
                         .order_by(Task.due_at)).all()
        for task in rows:
            followup_jobs.followup_due(s, task, utc_now())
            task.done_at = utc_now()
            s.commit()
            done += 1
    return done / (time.perf_counter() - started)


def run(url: str, label: str, items: int) -> None:
    upgrade(url)
    fill(url, items)
    figures = {}
    for name, fn in (("ours, one worker", lambda: ours_one(url)),
                     ("ours, two processes", lambda: ours_two(url, items)),
                     ("baseline: naive loop", lambda: naive(url))):
        reset(url)
        figures[name] = fn()
        with Session(get_engine(url)) as s:
            told = s.scalar(select(func.count()).select_from(Notification))
        assert told == items, (name, told)  # every item acted on exactly once
    print(f"\n{label}: {items:,} due follow-ups, each told once")
    for name, rate in figures.items():
        print(f"  {name:<24}{rate:>10,.0f} items/s")
    print(f"  ours (one worker) / baseline = "
          f"{figures['ours, one worker'] / figures['baseline: naive loop']:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
          f"Python {host.python_version()}")
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="zj-dispatch-"))
        run(f"sqlite:///{folder / 'bench.db'}", "SQLite", args.items)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            run(url, "PostgreSQL", args.items)
        finally:
            get_engine(url).dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
