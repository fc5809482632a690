"""The one owner of the offer lifecycle: draft → published ⇄ paused, and closed from any; a
private donor's standing offer starts in review and is published or closed by a reviewer.

Every move is one conditional UPDATE from the states `TRANSITIONS` allows, kept in the
offer's history (OfferRevision); a refused move raises Conflict and changes nothing.
Publishing needs a verified organisation and a validity window not yet over. The hourly job
closes expired offers with the same table (`sources`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie import changes, codes, transitions
from zhuanjie.clock import today
from zhuanjie.codes import OfferStatus, OrgStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid
from zhuanjie.models import Offer, OfferRevision, Organisation, User

O = OfferStatus  # noqa: E741

TRANSITIONS: dict[str, frozenset[str]] = {
    O.DRAFT: frozenset({O.PUBLISHED, O.CLOSED}),
    O.PUBLISHED: frozenset({O.PAUSED, O.CLOSED}),
    O.PAUSED: frozenset({O.PUBLISHED, O.CLOSED}),
    O.CLOSED: frozenset(),
    O.REVIEW: frozenset({O.PUBLISHED, O.CLOSED}),
}
# What the organisation's buttons are called: action → the status it moves to.
ACTIONS: dict[str, str] = {"publish": O.PUBLISHED, "pause": O.PAUSED, "close": O.CLOSED}


def sources(to: str) -> tuple[str, ...]:
    to = OfferStatus(to)
    return transitions.sources(TRANSITIONS, to)


def move(
    session: Session,
    offer: Offer,
    *,
    to: str,
    by: User | None,
    at: datetime | None = None,
    note: str = "",
) -> Offer:
    """Move an offer to `to` from a state that allows it, with a line in its history."""
    to = OfferStatus(to)
    now = at or utc_now()
    values: dict = {"status": to, "updated_at": now}
    if to == O.PUBLISHED and offer.status in sources(to):
        org = session.get(Organisation, offer.organisation_id)
        # A private donor is never verified: their offer is published by a reviewer (or
        # resumed after a pause), never straight from a draft.
        reviewed = org.status == OrgStatus.PERSON and offer.status in (O.REVIEW, O.PAUSED)
        if org.status != OrgStatus.VERIFIED and not reviewed:
            raise Conflict("机构通过认证后才能发布项目，目前只能保存为草稿")
        if offer.valid_until is not None and offer.valid_until < today():
            raise Invalid("有效期已过，请先修改结束日期再发布", field="valid_until")
        values["published_at"] = offer.published_at or now
    before = offer.status
    changes.bump(session, "offers", offer.id)  # this offer only: other processes reload it
    result = session.exec(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status.in_(sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False, zj_bumped=True)
    )
    if result.rowcount != 1:
        session.refresh(offer)
        current = codes.OFFER_STATUSES.get(offer.status, offer.status)
        raise Conflict(f"项目当前为「{current}」，不能进行此操作")
    revision: dict = {"status": [before, str(to)]}
    if note:
        revision["note"] = [None, note]
    session.add(OfferRevision(offer_id=offer.id, actor_id=by.id if by else None, at=now,
                              changes=revision))
    session.flush()
    session.refresh(offer)
    return offer


def live_sources() -> tuple[str, ...]:
    """The states the expiry job closes from: live offers (drafts are not closed by date)."""
    return tuple(s for s in sources(O.CLOSED) if s != O.DRAFT)
