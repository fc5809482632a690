"""Plain factory functions: rows with sensible defaults, overridable per test."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlmodel import Session, select

from zhuanjie.auth.passwords import hash_password
from zhuanjie.clock import today
from zhuanjie.households import service as households
from zhuanjie.households.schemas import HouseholdCreate
from zhuanjie.models import Member, Need, Offer, Organisation, Referral, User
from zhuanjie.offers import capacity
from zhuanjie.offers import service as offers
from zhuanjie.offers.schemas import OfferCreate
from zhuanjie.validators import id_check_char, uscc_check_char

PASSWORD = "secret-pass-1"
RUGAO_TOWN = "南通市/如皋市/白蒲镇"
HAIAN_TOWN = "南通市/海安市/城东镇"
_seq = itertools.count(1)
_password_hash = hash_password(PASSWORD)  # hashing is slow on purpose; do it once


def valid_id(
    birth: date = date(1960, 5, 17), area: str = "320682", serial: int | None = None
) -> str:
    serial = next(_seq) % 1000 if serial is None else serial
    first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


def valid_uscc(body: str = "51320600MJ") -> str:
    first17 = (body + f"{next(_seq):07d}")[:17]
    return first17 + uscc_check_char(first17)


def make_org(session: Session, **overrides) -> Organisation:
    values = {
        "name": f"测试社工服务中心{next(_seq)}",
        "kind": "ngo",
        "status": "verified",
        "credit_code": valid_uscc(),
    }
    org = Organisation(**(values | overrides))
    session.add(org)
    session.commit()
    return org


def make_user(session: Session, role: str, **overrides) -> User:
    n = next(_seq)
    values = {
        "username": f"{role}{n}",
        "display_name": f"测试{n}",
        "role": role,
        "password_hash": _password_hash,
    }
    if role in ("caseworker", "supervisor") and "region_path" not in overrides:
        values["region_path"] = RUGAO_TOWN if role == "caseworker" else "南通市"
    if role == "org_staff" and "organisation_id" not in overrides:
        values["organisation_id"] = make_org(session).id
    user = User(**(values | overrides))
    session.add(user)
    session.commit()
    return user


def make_household(session: Session, actor: User, **overrides):
    data = {
        "region_path": actor.region_path if actor.role == "caseworker" else RUGAO_TOWN,
        "village": "新华村",
        "address": "新华村6组28号",
        "phone": "13912345678",
        "groups": ["dibao"],
        "income_per_capita": "650",
        "members": [{"name": "王建国", "id_number": valid_id(), "relation": "head"}],
    }
    return households.create_household(
        session, actor=actor, data=HouseholdCreate.model_validate(data | overrides)
    )


def make_offer(
    session: Session,
    org: Organisation | None = None,
    *,
    categories=("medical",),
    coverage=("南通市",),
    groups=(),
    **overrides,
):
    """A published offer with its categories, coverage and eligible groups."""
    from zhuanjie.models import Offer, OfferCategory, OfferGroup, OfferRegion

    org = org or make_org(session)
    values = {
        "title": "大病医疗救助",
        "description": "对重病患者的自付医疗费用给予救助",
        "mode": "cash",
        "status": "published",
        "capacity": 10,
    }
    offer = Offer(organisation_id=org.id, **(values | overrides))
    session.add(offer)
    session.flush()
    session.add_all([OfferCategory(offer_id=offer.id, category=c) for c in categories])
    session.add_all([OfferRegion(offer_id=offer.id, region_path=r) for r in coverage])
    session.add_all([OfferGroup(offer_id=offer.id, group_code=g) for g in groups])
    session.commit()
    return offer


def make_need(session: Session, actor: User, household=None, **overrides):
    from zhuanjie.needs import service as needs
    from zhuanjie.needs.schemas import NeedCreate

    household = household or make_household(session, actor)
    data = {
        "category": "medical",
        "title": "尿毒症透析费用负担重",
        "description": "户主患尿毒症，每周透析三次，自付部分难以承担。",
        "urgency": 2,
        "amount_needed": "8000",
    }
    return needs.create_need(
        session,
        actor=actor,
        household_id=household.id,
        data=NeedCreate.model_validate(data | overrides),
    )


# --- the board ---------------------------------------------------------------------------------

PUBLICATION_STORY = ("一户三口之家，户主患尿毒症，每周透析三次，医保报销后自付部分仍难以承担，"
                     "孩子正在读初中。")


def publication_body(member_id, **overrides) -> dict:
    """What a caseworker sends to publish a need on the board (POST …/publication)."""
    body = {
        "title": "白蒲镇一户低保家庭的求助",
        "story": PUBLICATION_STORY,
        "region_path": "南通市/如皋市/白蒲镇",
        "category": "medical",
        "urgency": 2,
        "amount_goal": "5000",
        "consent_member_id": member_id,
        "consent_valid_until": str(today() + timedelta(days=90)),
    }
    return body | overrides


def publish_need(session, client, login, worker=None, **overrides):
    """A caseworker's need published through the API; returns (worker, need, publication)."""
    worker = worker or make_user(session, "caseworker")
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    login(worker)
    response = client.post(
        f"/api/v1/needs/{need.id}/publication", json=publication_body(member.id, **overrides)
    )
    assert response.status_code == 201, response.text
    return worker, need, response.json()


# --- offers as their organisations post them -------------------------------------------------

RUGAO = "南通市/如皋市"


def offer_payload(**overrides) -> dict:
    """A valid offer as staff post it (POST /api/v1/offers), for 如皋市."""
    data = {
        "title": "困境儿童助学金",
        "description": "为如皋市困境家庭的在校学生提供每学期助学金。",
        "categories": ["education"],
        "coverage": [RUGAO],
        "groups": ["dibao", "left_behind_child"],
        "age_min": 6,
        "age_max": 18,
        "capacity": 3,
        "amount_per_person": "2000",
        "mode": "cash",
        "valid_from": str(today() - timedelta(days=1)),
        "valid_until": str(today() + timedelta(days=90)),
        "how_to_apply": "由镇（街道）经办人员在平台上转介。",
        "contact": "项目主管 冒丹 13912345678",
    }
    return data | overrides


def post_offer(session, staff, *, publish=True, **overrides) -> Offer:
    """An offer as its organisation's staff create it (offers.service), published unless
    told not to."""
    offer = offers.create_offer(
        session, actor=staff, data=OfferCreate.model_validate(offer_payload(**overrides))
    )
    if publish:
        offers.change_status(session, actor=staff, offer_id=offer.id, action="publish")
    return offer


def accept_referral(session, offer: Offer, caseworker) -> Referral:
    """What the lead's referral acceptance does: a referral row and one place taken."""
    household = make_household(session, caseworker)
    need = Need(household_id=household.id, region_path=household.region_path,
                category="education", title="孩子上学的学杂费")
    session.add(need)
    session.flush()
    referral = Referral(need_id=need.id, offer_id=offer.id, organisation_id=offer.organisation_id,
                        status="accepted", holds_place=True)
    session.add(referral)
    capacity.take_place(session, offer.id)
    session.commit()
    return referral
