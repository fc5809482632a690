"""The one owner of the 应享未享 lifecycle.

A finding is open while the job sees the household qualify for the programme and not
receive it; the job adds open findings, rewrites their reason and removes those whose facts
changed. A caseworker marks one: applied (申请中), refused (申请未获批) or not wanted; an
application may still be refused later. A marked finding is kept for good, so the job never
lists that programme for that household again (a refused application stays off the list).
Every change is one conditional UPDATE or DELETE from the allowed states, so a caseworker
and the job cannot both move the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, delete, select, update

from zhuanjie import transitions
from zhuanjie.codes import UnclaimedStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import UnclaimedBenefit, User

S = UnclaimedStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.APPLIED, S.REFUSED, S.NOT_WANTED}),
    S.APPLIED: frozenset({S.REFUSED}),
    S.REFUSED: frozenset(),
    S.NOT_WANTED: frozenset(),
}


def move(
    session: Session, row: UnclaimedBenefit, *, to: str, by: User | None, note: str = "",
    at: datetime | None = None,
) -> UnclaimedBenefit:
    """Mark a finding; a move the table does not allow, or a lost race, is a Conflict."""
    to = UnclaimedStatus(to)
    sources = transitions.sources(TRANSITIONS, to)
    result = session.exec(
        update(UnclaimedBenefit)
        .where(UnclaimedBenefit.id == row.id, UnclaimedBenefit.status.in_(sources))
        .values(status=to, marked_at=at or utc_now(), marked_by_id=by.id if by else None,
                note=note)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(row)
        raise Conflict("该线索已处理，不能再改为此状态")
    session.refresh(row)
    return row


def refresh(
    session: Session, found: dict[tuple[int, int], tuple[str, str]], *, at: datetime
) -> list[UnclaimedBenefit]:
    """Make the open findings be exactly `found` ((household, offer) -> (region, reason)),
    leaving marked ones alone; returns the findings added."""
    rows = session.exec(select(UnclaimedBenefit)).all()
    known = {(r.household_id, r.offer_id): r for r in rows}
    gone = [r.id for pair, r in known.items() if r.status == S.OPEN and pair not in found]
    if gone:
        session.exec(
            delete(UnclaimedBenefit)
            .where(UnclaimedBenefit.id.in_(gone), UnclaimedBenefit.status == S.OPEN)
            .execution_options(synchronize_session=False)
        )
    for pair, (region, reason) in found.items():
        row = known.get(pair)
        if row is not None and row.status == S.OPEN and (row.reason, row.region_path) != (
            reason, region
        ):
            session.exec(
                update(UnclaimedBenefit)
                .where(UnclaimedBenefit.id == row.id, UnclaimedBenefit.status == S.OPEN)
                .values(reason=reason, region_path=region)
                .execution_options(synchronize_session=False)
            )
    added = [
        UnclaimedBenefit(household_id=h, offer_id=o, region_path=region, reason=reason,
                         status=S.OPEN, found_at=at)
        for (h, o), (region, reason) in found.items() if (h, o) not in known
    ]
    session.add_all(added)
    session.flush()
    return added
