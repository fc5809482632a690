"""The one owner of the follow-up lifecycle: scheduled → done or missed, missed → done.

A follow-up is scheduled by a referral's delivery (referrals.flow), marked missed by its task
two days late, and recorded done by the caseworker (late ones too). Each move is one
conditional UPDATE from the allowed states; a refused move raises Conflict and changes
nothing. Recording it cancels its reminders.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie import codes, transitions
from zhuanjie.codes import FollowUpStatus, TaskKind
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import FollowUp
from zhuanjie.tasks import cancel

F = FollowUpStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    F.SCHEDULED: frozenset({F.DONE, F.MISSED}),
    F.MISSED: frozenset({F.DONE}),  # recorded late
    F.DONE: frozenset(),
}
TASK_KINDS = (TaskKind.FOLLOWUP_DUE, TaskKind.FOLLOWUP_MISSED, TaskKind.FOLLOWUP_ESCALATE)


def sources(to: str) -> tuple[str, ...]:
    to = FollowUpStatus(to)
    return transitions.sources(TRANSITIONS, to)


def move(
    session: Session,
    row: FollowUp,
    *,
    to: str,
    at: datetime | None = None,
    need_met: bool | None = None,
    rating: int | None = None,
    notes: str = "",
) -> FollowUp:
    """Move a follow-up from a state that allows it; done records what was found."""
    to = FollowUpStatus(to)
    values: dict = {"status": to}
    if to == F.DONE:
        values |= {"done_at": at or utc_now(), "need_met": need_met, "rating": rating,
                   "notes": notes}
    result = session.exec(
        update(FollowUp)
        .where(FollowUp.id == row.id, FollowUp.status.in_(sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(row)
        if row.status == F.DONE:
            raise Conflict("该回访已经登记过")
        current = codes.FOLLOWUP_STATUSES.get(row.status, row.status)
        raise Conflict(f"该回访当前为「{current}」，不能改为「{codes.FOLLOWUP_STATUSES[to]}」")
    if to == F.DONE:
        cancel(session, object_type="follow_up", object_id=row.id, kinds=TASK_KINDS)
    session.flush()
    session.refresh(row)
    return row
