"""The one owner of the need-publication and pledge lifecycles.

A publication is published until a supervisor takes it down. A pledge is pending until the
caseworker confirms or declines it or the donor cancels it; a confirmed pledge is delivered
once. Each move is one conditional UPDATE from the allowed states: a refused move raises
Conflict and changes nothing. The amounts a pledge holds, the referral a confirmed pledge
becomes (through referrals.flow) and who is told stay with the use cases in donors.service.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie import codes, transitions
from zhuanjie.codes import PledgeStatus, PublicationStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import NeedPublication, Pledge, User

P, B = PledgeStatus, PublicationStatus

PLEDGE_TRANSITIONS: dict[str, frozenset[str]] = {
    P.PENDING: frozenset({P.CONFIRMED, P.DECLINED, P.CANCELLED}),
    P.CONFIRMED: frozenset({P.DELIVERED}),
    P.DECLINED: frozenset(),
    P.DELIVERED: frozenset(),
    P.CANCELLED: frozenset(),
}
PUBLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    B.PUBLISHED: frozenset({B.TAKEN_DOWN}),
    B.TAKEN_DOWN: frozenset(),
}


def pledge_sources(to: str) -> tuple[str, ...]:
    to = PledgeStatus(to)
    return transitions.sources(PLEDGE_TRANSITIONS, to)


def publication_sources(to: str) -> tuple[str, ...]:
    to = PublicationStatus(to)
    return transitions.sources(PUBLICATION_TRANSITIONS, to)


def move_pledge(
    session: Session,
    pledge: Pledge,
    *,
    to: str,
    by: User | None = None,
    at: datetime | None = None,
    thank_you_note: str | None = None,
) -> Pledge:
    """Confirm, decline, cancel or deliver a pledge; who decided and when go with it."""
    to = PledgeStatus(to)
    now = at or utc_now()
    values: dict = {"status": to}
    if to in (P.CONFIRMED, P.DECLINED):
        values |= {"decided_by_id": by.id if by else None, "decided_at": now}
    if to == P.DELIVERED:
        values["delivered_at"] = now
    if thank_you_note is not None:
        values["thank_you_note"] = thank_you_note
    result = session.exec(
        update(Pledge)
        .where(Pledge.id == pledge.id, Pledge.status.in_(pledge_sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(pledge)
        current = codes.PLEDGE_STATUSES.get(pledge.status, pledge.status)
        raise Conflict(f"该认捐当前为「{current}」，不能再操作")
    session.refresh(pledge)
    return pledge


def move_publication(
    session: Session, pub: NeedPublication, *, to: str, reason: str = ""
) -> NeedPublication:
    """Take a published need down from the board, with the reason given."""
    to = PublicationStatus(to)
    result = session.exec(
        update(NeedPublication)
        .where(NeedPublication.id == pub.id,
               NeedPublication.status.in_(publication_sources(to)))
        .values(status=to, takedown_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(pub)
        raise Conflict("该求助信息已不在公开平台上")
    session.refresh(pub)
    return pub
