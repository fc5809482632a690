"""What each role's start page counts: every figure starts from its feature's `visible_*`
query, so the start page and the lists it links to agree."""

from __future__ import annotations

from sqlmodel import Session, select

from zhuanjie.donors import board
from zhuanjie.donors import service as donors
from zhuanjie.errors import Forbidden
from zhuanjie.home import today
from zhuanjie.home.scoped import PerScope
from zhuanjie.households import service as households
from zhuanjie.models import Need, Offer, Organisation, Pledge, Referral, User
from zhuanjie.needs import service as needs
from zhuanjie.offers import service as offers
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import counts, counts_statement
from zhuanjie.referrals import service as referrals

IN_SERVICE = ("accepted", "in_service")


def _staff_figures(user: User) -> dict:
    scoped_needs = needs.visible_needs(user)
    scoped_referrals = referrals.visible_referrals(user)
    figures = {
        "households": households.visible_households(user),
        "open_needs": scoped_needs.where(Need.status == "open"),
        "urgent_needs": scoped_needs.where(Need.status != "closed", Need.urgency == 3),
        "waiting_referrals": scoped_referrals.where(Referral.status == "sent"),
        "in_service": scoped_referrals.where(Referral.status.in_(IN_SERVICE)),
    }
    if user.role == "admin":
        figures["pending_organisations"] = organisations.visible_organisations(user).where(
            Organisation.status == "pending"
        )
        figures["users"] = select(User.id)
    return figures


def _build_staff_statement(user: User) -> tuple[list[str], object]:
    figures = _staff_figures(user)
    return list(figures), counts_statement(figures)


_staff_statement = PerScope(_build_staff_statement)


def dashboard(session: Session, *, user: User) -> dict[str, int]:
    """The figures on the signed-in user's start page, each limited to their scope."""
    if user.role in ("caseworker", "supervisor", "admin"):
        # One statement of scalar subqueries (as pagination.counts), built once per process
        # for each scope: building it cost more than running it.
        names, statement = _staff_statement(user)
        return dict(zip(names, (int(v) for v in session.execute(statement).one()), strict=True))
    if user.role == "org_staff":
        try:
            scoped_referrals = referrals.visible_referrals(user)
        except Forbidden:  # pending, suspended or rejected: no referrals, the page says why
            return dict.fromkeys(("new_referrals", "in_service", "delivered"), 0) | {
                "published_offers": 0}
        return counts(session, {
            "new_referrals": scoped_referrals.where(Referral.status == "sent"),
            "in_service": scoped_referrals.where(Referral.status.in_(IN_SERVICE)),
            "delivered": scoped_referrals.where(Referral.status.in_(("delivered", "closed"))),
            "published_offers": offers.visible_offers(user).where(
                Offer.organisation_id == user.organisation_id, Offer.status == "published"
            ),
        })  # fmt: skip
    own_pledges = donors.visible_pledges(user)
    return counts(session, {
        "published_needs": board.visible_publications(),
        "my_pledges": own_pledges,
        "delivered_pledges": own_pledges.where(Pledge.status == "delivered"),
    })  # fmt: skip


def start_page(
    session: Session, *, user: User
) -> tuple[dict[str, int], Organisation | None, today.Today | None]:
    """The start page's figures, the organisation the user works for (if any), and the
    person's due work (caseworkers and organisation staff)."""
    return (
        dashboard(session, user=user),
        organisations.own_organisation(session, actor=user),
        today.due_today(session, user=user),
    )
