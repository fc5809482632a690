"""Scheduled work on offers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie import changes
from zhuanjie.clock import today
from zhuanjie.codes import OfferStatus
from zhuanjie.models import Offer
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import flow


def close_expired_offers(session: Session, now: datetime) -> int:
    """Close every live offer whose validity window has ended and tell its organisation.

    One conditional UPDATE … RETURNING: an offer is closed, and told of, exactly once.
    """
    version = changes.reserve(session, "offers")  # the counter first, then the rows
    closed = session.exec(
        update(Offer)
        .where(Offer.status.in_(flow.live_sources()), Offer.valid_until < today())
        .values(status=OfferStatus.CLOSED, updated_at=now)
        .returning(Offer.id, Offer.organisation_id, Offer.title, Offer.valid_until)
        .execution_options(zj_bumped=True)
    ).all()
    changes.record(session, "offers", version, [row[0] for row in closed])
    for offer_id, organisation_id, title, until in closed:
        notifications.notify(
            session,
            user_ids=notifications.organisation_staff(session, organisation_id),
            kind="offer_closed",
            title=f"项目已到期关闭：{title}",
            body=f"有效期至 {until}，已自动停止匹配。如需继续，请修改有效期后重新发布。",
            link=f"/offers/{offer_id}",
            dedupe_key=f"offer_closed:{offer_id}:{until}",
        )
    session.commit()
    return len(closed)
