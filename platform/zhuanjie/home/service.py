"""What each role's start page counts."""

from __future__ import annotations

from sqlmodel import Session, func, select

from zhuanjie.models import (
    Household,
    Need,
    NeedPublication,
    Offer,
    Organisation,
    Pledge,
    Referral,
    User,
)
from zhuanjie.policy import region_filter


def _count(session: Session, query) -> int:
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def dashboard(session: Session, *, user: User) -> dict[str, int]:
    """The figures on the signed-in user's start page, each limited to their scope."""
    if user.role in ("caseworker", "supervisor", "admin"):
        needs = select(Need.id).where(region_filter(user, Need.region_path))
        referrals = (
            select(Referral.id)
            .join(Need, Need.id == Referral.need_id)
            .where(region_filter(user, Need.region_path))
        )
        figures = {
            "households": _count(
                session, select(Household.id).where(region_filter(user, Household.region_path))
            ),
            "open_needs": _count(session, needs.where(Need.status == "open")),
            "urgent_needs": _count(
                session, needs.where(Need.status != "closed", Need.urgency == 3)
            ),
            "waiting_referrals": _count(session, referrals.where(Referral.status == "sent")),
            "in_service": _count(
                session, referrals.where(Referral.status.in_(("accepted", "in_service")))
            ),
        }
        if user.role == "admin":
            figures["pending_organisations"] = _count(
                session, select(Organisation.id).where(Organisation.status == "pending")
            )
            figures["users"] = _count(session, select(User.id))
        return figures
    if user.role == "org_staff":
        referrals = select(Referral.id).where(Referral.organisation_id == user.organisation_id)
        return {
            "new_referrals": _count(session, referrals.where(Referral.status == "sent")),
            "in_service": _count(
                session, referrals.where(Referral.status.in_(("accepted", "in_service")))
            ),
            "delivered": _count(
                session, referrals.where(Referral.status.in_(("delivered", "closed")))
            ),
            "published_offers": _count(
                session,
                select(Offer.id).where(
                    Offer.organisation_id == user.organisation_id, Offer.status == "published"
                ),
            ),
        }
    return {
        "published_needs": _count(
            session, select(NeedPublication.id).where(NeedPublication.status == "published")
        ),
        "my_pledges": _count(session, select(Pledge.id).where(Pledge.donor_id == user.id)),
        "delivered_pledges": _count(
            session,
            select(Pledge.id).where(Pledge.donor_id == user.id, Pledge.status == "delivered"),
        ),
    }
