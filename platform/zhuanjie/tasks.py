"""Scheduled work kept in the database: each task is due at a time, claimed by one worker,
acted on, and marked done in the same transaction as its effect.

A claim is a committed `UPDATE … WHERE claimed_at IS NULL OR claimed_at < stale`; finishing
is a conditional `UPDATE … WHERE done_at IS NULL AND claimed_by = me` inside the action's
own transaction. So a task's effect happens exactly once: a worker killed after claiming
leaves a claim that goes stale and is taken again; a worker whose stale claim was taken over
finds its finishing update matches nothing and rolls its action back.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select

from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.models import Task

log = logging.getLogger("zhuanjie.tasks")

Handler = Callable[[Session, Task, datetime], str]
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 5  # a task that fails this often is set aside with its error, not retried forever
# The modules whose @handles functions act on tasks; imported before the first dispatch.
HANDLER_MODULES = (
    "zhuanjie.referrals.jobs", "zhuanjie.followups.jobs", "zhuanjie.intake.jobs"
)


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that acts on tasks of this kind; it returns a short result."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def schedule(
    session: Session, *, kind: str, object_type: str, object_id: int, due_at: datetime
) -> None:
    """Add a task unless the same one is already there (the caller commits)."""
    schedule_many(
        session, [{"kind": kind, "object_type": object_type, "object_id": object_id,
                   "due_at": due_at}]
    )


def schedule_many(session: Session, rows: list[dict]) -> None:
    """Add tasks (dicts of kind, object_type, object_id, due_at), skipping any already there.

    One INSERT … ON CONFLICT DO NOTHING on the table's unique key: no look-up first, and two
    transactions scheduling the same task cannot both add it."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(  # parameters apart from the statement: compiled once, cached
        insert(Task).on_conflict_do_nothing(
            index_elements=["kind", "object_type", "object_id", "due_at"]
        ),
        [row | {"attempts": 0, "result": ""} for row in rows],
    )


def cancel(session: Session, *, object_type: str, object_id: int, kinds: tuple[str, ...]) -> None:
    """Mark pending tasks about an object done, e.g. reminders for an answered referral."""
    session.exec(
        update(Task)
        .where(
            Task.object_type == object_type,
            Task.object_id == object_id,
            Task.kind.in_(kinds),
            Task.done_at.is_(None),
        )
        .values(done_at=utc_now(), result="cancelled")
        .execution_options(synchronize_session=False)
    )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(session: Session, *, worker: str, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due tasks (or stale claims) for this worker; commits the claim."""
    stale = now - timedelta(seconds=get_settings().task_claim_seconds)
    due = (
        select(Task.id)
        .where(
            Task.done_at.is_(None),
            Task.due_at <= now,
            or_(Task.claimed_at.is_(None), Task.claimed_at < stale),
        )
        .order_by(Task.due_at, Task.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.exec(due).all())
    if ids:
        session.exec(
            update(Task)
            .where(
                Task.id.in_(ids),
                Task.done_at.is_(None),
                or_(Task.claimed_at.is_(None), Task.claimed_at < stale),
            )
            .values(claimed_at=now, claimed_by=worker, attempts=Task.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    if not ids:
        return []
    return list(
        session.exec(
            select(Task.id).where(
                Task.id.in_(ids), Task.claimed_by == worker, Task.claimed_at == now
            )
        ).all()
    )


def _finish(session: Session, task_id: int, worker: str, result: str) -> bool:
    done = session.exec(
        update(Task)
        .where(and_(Task.id == task_id, Task.done_at.is_(None), Task.claimed_by == worker))
        .values(done_at=utc_now(), result=result[:500])
        .execution_options(synchronize_session=False)
    )
    return done.rowcount == 1


@dataclass
class DispatchReport:
    done: int = 0
    failed: int = 0
    lost: int = 0  # taken over by another worker after this one's claim went stale
    by_kind: dict[str, int] = field(default_factory=dict)


def run_task(
    session: Session, task_id: int, worker: str, now: datetime, report: DispatchReport
) -> None:
    """Act on one claimed task and finish it, all in one transaction."""
    task = session.get(Task, task_id)
    try:
        _act(session, task, worker, now)
    except _Lost:
        session.rollback()
        report.lost += 1
    except Exception as exc:  # noqa: BLE001 - one bad item must not stop the rest
        session.rollback()
        report.failed += 1
        log.exception("task %s (%s) failed", task_id, task.kind)
        values = {"result": f"error: {type(exc).__name__}: {exc}"[:500]}
        if task.attempts >= MAX_ATTEMPTS:
            values["done_at"] = utc_now()
        session.exec(
            update(Task)
            .where(Task.id == task_id, Task.claimed_by == worker)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    else:
        session.commit()
        report.done += 1
        report.by_kind[task.kind] = report.by_kind.get(task.kind, 0) + 1


class _Lost(Exception):
    """Another worker took this task over after our claim went stale."""


def _act(session: Session, task: Task, worker: str, now: datetime) -> None:
    handler = HANDLERS.get(task.kind)
    if handler is None:
        raise LookupError(f"no handler for task kind {task.kind!r}")
    if not _finish(session, task.id, worker, handler(session, task, now)):
        raise _Lost


def run_batch(
    session: Session, ids: list[int], worker: str, now: datetime, report: DispatchReport
) -> None:
    """Act on a claimed batch in one transaction (one commit for all); if anything in it
    fails, undo the batch and go item by item so one bad task cannot hold up the rest."""
    batch = session.exec(select(Task).where(Task.id.in_(ids)).order_by(Task.due_at, Task.id)).all()
    try:
        for task in batch:
            _act(session, task, worker, now)
    except Exception:  # noqa: BLE001 - retried one by one below, where it is reported
        session.rollback()
        for task in batch:
            run_task(session, task.id, worker, now, report)
        return
    session.commit()
    report.done += len(batch)
    for task in batch:
        report.by_kind[task.kind] = report.by_kind.get(task.kind, 0) + 1


def dispatch(
    session: Session,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    max_items: int | None = None,
) -> DispatchReport:
    """Claim and run due tasks until none is left (or `max_items` have been tried)."""
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    worker = worker or worker_name()
    report = DispatchReport()
    batch = get_settings().task_batch
    while max_items is None or report.done + report.failed + report.lost < max_items:
        at = now or utc_now()
        ids = claim(session, worker=worker, now=at, limit=batch)
        if not ids:
            break
        run_batch(session, ids, worker, at, report)
    return report


def outstanding(session: Session, now: datetime) -> int:
    """Due tasks not done yet, whoever holds them."""
    return session.exec(
        select(func.count()).select_from(Task).where(Task.done_at.is_(None), Task.due_at <= now)
    ).one()


def drain(
    session: Session,
    *,
    worker: str | None = None,
    poll_seconds: float = 0.5,
    timeout_seconds: float | None = None,
) -> DispatchReport:
    """Dispatch until nothing due is left, waiting for other workers' claims to finish or go
    stale (so a crashed worker's share is taken over)."""
    total = DispatchReport()
    started = time.monotonic()
    while True:
        report = dispatch(session, worker=worker)
        total.done, total.failed, total.lost = (
            total.done + report.done,
            total.failed + report.failed,
            total.lost + report.lost,
        )
        for kind, n in report.by_kind.items():
            total.by_kind[kind] = total.by_kind.get(kind, 0) + n
        if outstanding(session, utc_now()) == 0:
            return total
        if timeout_seconds is not None and time.monotonic() - started > timeout_seconds:
            return total
        session.commit()
        time.sleep(poll_seconds)


def dispatch_due(session: Session, now: datetime) -> int:
    """The scheduler's job: run everything due now; returns how many tasks were done."""
    return dispatch(session, now=now).done


def pending_by_kind(session: Session) -> dict[str, tuple[int, int]]:
    """For each kind: tasks waiting (not done) and of those, already due."""
    now = utc_now()
    rows = session.exec(select(Task.kind, Task.due_at).where(Task.done_at.is_(None))).all()
    out: dict[str, tuple[int, int]] = {}
    for kind, due_at in rows:
        waiting, due = out.get(kind, (0, 0))
        out[kind] = (waiting + 1, due + (due_at <= now))
    return out
