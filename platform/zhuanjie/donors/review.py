"""Review of private donors' standing offers.

A private person who signs up as a donor is not a verified organisation: each standing offer
they make waits in status `review` until a supervisor of every region it covers (or an
admin) approves it, and only then reaches matching and the directory (shown without the
person's name or contact). A rejected offer is closed with the reason, and the donor is told.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import not_
from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.errors import Conflict, Invalid, NotFound
from zhuanjie.models import Offer, OfferRegion, Organisation, User
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import flow as offer_flow
from zhuanjie.offers.service import offer_links
from zhuanjie.pagination import Page, paginate
from zhuanjie.policy import ensure_role, region_filter

REVIEW_ROLES = ("supervisor", "admin")


class ReviewIn(BaseModel):
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=500)


class ReviewRow(BaseModel):
    id: int
    title: str
    description: str
    mode: str
    capacity: int | None
    contact: str
    donor_name: str
    categories: list[str]
    coverage: list[str]


def visible_reviews(user: User):
    """Offers waiting for review that the user may decide: admins all; a supervisor those
    whose every covered region lies in theirs."""
    ensure_role(user, *REVIEW_ROLES)
    query = select(Offer).where(Offer.status == "review")
    if user.role != "admin":
        outside = select(OfferRegion.offer_id).where(
            not_(region_filter(user, OfferRegion.region_path))
        )
        query = query.where(Offer.id.not_in(outside))
    return query


def waiting(session: Session, *, actor: User, page: Page | None = None) -> list[ReviewRow]:
    """One page of the offers waiting for the actor's review, oldest first, with the donor's
    name."""
    return waiting_page(session, actor=actor, page=page or Page(1))[0]


def waiting_page(session: Session, *, actor: User, page: Page) -> tuple[list[ReviewRow], Page]:
    """`waiting`, and the page knowing how many offers wait in all."""
    rows, total = paginate(session, visible_reviews(actor).order_by(Offer.id),
                           offset=page.offset, limit=page.size)
    links = offer_links(session, [o.id for o in rows])
    orgs = {o.id: o for o in session.exec(
        select(Organisation).where(Organisation.id.in_({r.organisation_id for r in rows} or {0}))
    ).all()}
    return [
        ReviewRow(id=o.id, title=o.title, description=o.description, mode=o.mode,
                  capacity=o.capacity, contact=o.contact,
                  donor_name=orgs[o.organisation_id].name, **links[o.id])
        for o in rows
    ], page.of(total)


def decide(
    session: Session, *, actor: User, offer_id: int, data: ReviewIn, ip: str = ""
) -> Offer:
    """Approve (the offer is published) or reject (closed, with the reason)."""
    offer = session.exec(visible_reviews(actor).where(Offer.id == offer_id)).first()
    if offer is None:
        if session.get(Offer, offer_id) is None:
            raise NotFound("帮扶意愿不存在")
        raise Conflict("该帮扶意愿不在待审核状态，或不在您的辖区")
    reason = data.reason.strip()
    if data.decision == "reject" and not reason:
        raise Invalid("请填写未通过的原因", field="reason")
    target = "published" if data.decision == "approve" else "closed"
    offer_flow.move(session, offer, to=target, by=actor, note=reason)
    audit.record(session, actor, f"offer_review_{data.decision}", object_type="offer",
                 object_id=offer.id, detail={"reason": reason}, ip=ip)
    donors = session.exec(select(User.id).where(User.organisation_id == offer.organisation_id,
                                                User.role == "donor")).all()
    notifications.notify(
        session, user_ids=list(donors), kind="offer_reviewed",
        title=f"帮扶意愿{'已通过审核' if target == 'published' else '未通过审核'}：{offer.title}",
        body=reason or "已进入匹配，经办人员会在合适时与您联系。", link="/donor/offers",
    )
    session.commit()
    session.refresh(offer)
    return offer
