"""The one owner of a 台帐比对 worklist row's lifecycle: open until closed, once, with an
outcome (codes.ROLL_OUTCOMES). The move is one conditional UPDATE from the allowed states, so
two people cannot both close the same row. Assigning a row to a caseworker is no state change.
"""

from __future__ import annotations

from sqlmodel import Session, update

from zhuanjie import transitions
from zhuanjie.codes import ROLL_OUTCOMES, RollItemStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid
from zhuanjie.models import RollReviewItem, User

S = RollItemStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}


def move(session: Session, item: RollReviewItem, *, to: str, by: User, outcome: str,
         note: str = "") -> RollReviewItem:
    """Close an open row with its outcome; Conflict when it is not open (any more)."""
    to = RollItemStatus(to)
    if outcome not in ROLL_OUTCOMES:
        raise Invalid("请选择办理结果", field="outcome")
    sources = transitions.sources(TRANSITIONS, to)
    done = session.execute(
        update(RollReviewItem)
        .where(RollReviewItem.id == item.id, RollReviewItem.status.in_(sources))
        .values(status=to, outcome=outcome, outcome_note=note[:2000], closed_by_id=by.id,
                closed_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict("该条已办结，不能再次办结")
    session.refresh(item)
    return item
