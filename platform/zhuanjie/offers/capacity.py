"""An offer's places: taken and given back by referrals, atomically, never typed by hand.

Both functions are one conditional UPDATE, so two transactions racing for the last place
cannot both succeed on SQLite or PostgreSQL; the loser gets a clear 名额已满.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, update

from zhuanjie import changes
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import Offer


def take_place(session: Session, offer_id: int) -> None:
    """Take one place or raise Conflict; the caller's transaction commits it."""
    changes.bump(session, "offers", offer_id)  # the counter first, then the row
    result = session.exec(
        update(Offer)
        .where(Offer.id == offer_id)
        .where(or_(Offer.capacity.is_(None), Offer.places_taken < Offer.capacity))
        .values(places_taken=Offer.places_taken + 1, updated_at=utc_now())
        .execution_options(synchronize_session=False, zj_bumped=True)
    )
    if result.rowcount != 1:
        raise Conflict("名额已满")


def release_place(session: Session, offer_id: int) -> None:
    """Give one place back (a declined, failed or withdrawn referral that held one)."""
    changes.bump(session, "offers", offer_id)
    session.exec(
        update(Offer)
        .where(Offer.id == offer_id, Offer.places_taken > 0)
        .values(places_taken=Offer.places_taken - 1, updated_at=utc_now())
        .execution_options(synchronize_session=False, zj_bumped=True)
    )


def remaining(offer: Offer) -> int | None:
    """Places left, or None when the offer is not limited."""
    if offer.capacity is None:
        return None
    return max(offer.capacity - offer.places_taken, 0)
