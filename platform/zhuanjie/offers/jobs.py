"""Scheduled work on offers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie.clock import today
from zhuanjie.models import Offer


def close_expired_offers(session: Session, now: datetime) -> int:
    """Close every live offer whose validity window has ended (one idempotent UPDATE)."""
    result = session.exec(
        update(Offer)
        .where(Offer.status.in_(("published", "paused")), Offer.valid_until < today())
        .values(status="closed", updated_at=now)
    )
    session.commit()
    return result.rowcount or 0
