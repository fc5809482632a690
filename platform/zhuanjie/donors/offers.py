"""Standing offers of help from donors (周末辅导数学、每月捐助500元 …).

The offers feature lets organisation staff create offers; a donor's account is of role
`donor`, so this builds the same rows (Offer with its categories, coverage and groups) for
the donor's own organisation. A verified company's offer is published at once and enters
matching like any other; a company still waiting for verification keeps it as a draft until
it is verified; a private person's offer waits for a supervisor's review (donors.review)
before it reaches matching or the directory.
"""

from __future__ import annotations

from pydantic import BaseModel, Field
from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.db import utc_now
from zhuanjie.donors.deidentify import check_text
from zhuanjie.donors.service import donor_organisation
from zhuanjie.errors import Invalid
from zhuanjie.models import (
    Offer,
    OfferCategory,
    OfferGroup,
    OfferRegion,
    OfferRevision,
    Organisation,
    User,
)
from zhuanjie.offers.schemas import OfferCreate
from zhuanjie.policy import ensure_role

DONOR_MODES = ("cash", "in_kind", "service", "volunteer")


class StandingOfferIn(OfferCreate):
    """What a donor types: the offers' own shape and checks, without programme rules."""

    title: str = Field(min_length=4, max_length=120)
    description: str = Field(min_length=10, max_length=4000)


class StandingOfferRow(BaseModel):
    id: int
    title: str
    status: str
    capacity: int | None
    places_taken: int


def create_standing_offer(session: Session, *, actor: User, data: StandingOfferIn) -> Offer:
    """A donor offers help in general; it enters matching once the donor is verified."""
    ensure_role(actor, "donor")
    if data.mode not in DONOR_MODES:
        raise Invalid("请选择帮扶方式", field="mode")
    if data.is_programme:
        raise Invalid("只有政府部门可以发布常设救助政策项目", field="is_programme")
    org = donor_organisation(session, actor)
    if org.is_person:
        _no_identifiers(data, names=[actor.display_name, org.name, org.contact_name])
    now = utc_now()
    live = org.status == "verified"
    # A private person is not a verified organisation: each offer waits for review.
    status = "review" if org.is_person else "published" if live else "draft"
    values = data.model_dump(include={"title", "description", "mode", "capacity",
                                      "amount_per_person", "budget_total", "age_min",
                                      "age_max", "valid_from", "valid_until", "contact",
                                      "how_to_apply"})
    offer = Offer(organisation_id=org.id, status=status,
                  created_by_id=actor.id, created_at=now, updated_at=now,
                  published_at=now if live else None, **values)
    session.add(offer)
    session.flush()
    session.add_all([OfferCategory(offer_id=offer.id, category=c) for c in data.categories])
    session.add_all([OfferRegion(offer_id=offer.id, region_path=r) for r in data.coverage])
    session.add_all([OfferGroup(offer_id=offer.id, group_code=g) for g in data.groups])
    session.add(OfferRevision(offer_id=offer.id, actor_id=actor.id,
                              changes={"created": [None, offer.title],
                                       "status": [None, offer.status]}))
    audit.record(session, actor, "offer_created", object_type="offer", object_id=offer.id)
    session.commit()
    return offer


def my_offers(session: Session, *, actor: User) -> tuple[Organisation | None, list[Offer]]:
    """The donor organisation and its standing offers (not the per-pledge ones)."""
    ensure_role(actor, "donor")
    if not actor.organisation_id:
        return None, []
    rows = session.exec(
        select(Offer).where(Offer.organisation_id == actor.organisation_id,
                            Offer.title.not_like("认捐：%"))
        .order_by(Offer.id.desc())
    ).all()
    return session.get(Organisation, actor.organisation_id), list(rows)


def _no_identifiers(data: StandingOfferIn, *, names: list[str]) -> None:
    """A private donor's offer is shown to the public without their name or contact: its
    public texts may not carry them either (the contact field is seen by staff only)."""
    for name in ("title", "description", "how_to_apply"):
        found = check_text(getattr(data, name) or "", names=names)
        if found.blocking:
            raise Invalid(
                "公开内容不能含有您的姓名、电话或证件号：" + "、".join(found.blocking)
                .replace("家庭成员姓名", "姓名") + "。联系方式请填在“联系方式”一栏，仅工作人员可见",
                field=name,
            )
