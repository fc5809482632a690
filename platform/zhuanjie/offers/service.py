"""Offers: create, edit, publish, pause, close; scoped reading; what matching may use.

Every list and lookup starts from `visible_offers(user)`. Places are taken and given back
only by `offers.capacity` (accepted referrals); nothing here writes `places_taken`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy import and_, or_
from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.codes import OfferStatus, OrgStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.models import (
    Offer,
    OfferCategory,
    OfferGroup,
    OfferRegion,
    OfferRevision,
    Organisation,
    User,
)
from zhuanjie.offers import flow
from zhuanjie.offers.capacity import remaining
from zhuanjie.offers.schemas import OfferCreate, OfferPublic, OfferUpdate, RevisionPublic
from zhuanjie.pagination import paginate
from zhuanjie.policy import LISTED_ORG_STATUSES, ensure_role

PLATFORM_ROLES = ("caseworker", "supervisor", "admin")
SCALARS = (
    "title", "description", "age_min", "age_max", "income_ceiling", "capacity",
    "amount_per_person", "budget_total", "mode", "valid_from", "valid_until",
    "how_to_apply", "contact", "is_programme", "rules",
)
LINKS = ("categories", "coverage", "groups")
PUBLISHED, VERIFIED = OfferStatus.PUBLISHED, OrgStatus.VERIFIED
# status -> {action: new status}, from the lifecycle's one table (offers.flow)
TRANSITIONS = {
    status: {action: to for action, to in flow.ACTIONS.items() if to in targets}
    for status, targets in flow.TRANSITIONS.items()
}


def live():
    """WHERE: a published offer of a listed organisation — verified, or a private donor whose
    offers each passed review (the query joins Organisation).

    The one definition of a live offer: what the public sees, what the directory searches,
    what matching ranks and what the HSDS export carries."""
    return and_(Offer.status == PUBLISHED, Organisation.status.in_(LISTED_ORG_STATUSES))


def is_live(offer: Offer, organisation: Organisation) -> bool:
    """`live()` for rows already loaded."""
    return offer.status == PUBLISHED and organisation.status in LISTED_ORG_STATUSES


def not_ended(on: date):
    """WHERE: the offer's window has not ended by `on` (no end date, or on or after it)."""
    return or_(Offer.valid_until.is_(None), Offer.valid_until >= on)


def public_offers():
    """Published offers of verified organisations: what anyone may see."""
    return select(Offer).join(Organisation, Organisation.id == Offer.organisation_id).where(live())


def visible_offers(user: User | None):
    """The one query every offer list and lookup starts from.

    Org staff see their organisation's offers in every state (drafts too) and what the public
    sees; caseworkers, supervisors and admins see every published offer; the public and donors
    see published offers of verified organisations.
    """
    query = select(Offer).join(Organisation, Organisation.id == Offer.organisation_id)
    public = live()
    if user is None or user.role == "donor":
        return query.where(public)
    if user.role == "org_staff":
        return query.where(or_(Offer.organisation_id == user.organisation_id, public))
    if user.role in PLATFORM_ROLES:
        return query.where(Offer.status == "published")
    return query.where(False)


def matchable_offers(session: Session, *, on: date) -> list[Offer]:
    """Offers matching may use on a day: published, verified, in window, with places left."""
    query = (
        select(Offer)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(
            live(),
            or_(Offer.valid_from.is_(None), Offer.valid_from <= on),
            not_ended(on),
            or_(Offer.capacity.is_(None), Offer.places_taken < Offer.capacity),
        )
        .order_by(Offer.id)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(query).all())


def offer_links(
    session: Session, offer_ids: list[int]
) -> dict[int, dict[str, list[str]]]:
    """Categories, coverage and groups of many offers in three queries."""
    out: dict[int, dict[str, list[str]]] = defaultdict(
        lambda: {"categories": [], "coverage": [], "groups": []}
    )
    if not offer_ids:
        return out
    for offer_id, value in session.exec(
        select(OfferCategory.offer_id, OfferCategory.category)
        .where(OfferCategory.offer_id.in_(offer_ids))
        .order_by(OfferCategory.category)
    ):
        out[offer_id]["categories"].append(value)
    for offer_id, value in session.exec(
        select(OfferRegion.offer_id, OfferRegion.region_path)
        .where(OfferRegion.offer_id.in_(offer_ids))
        .order_by(OfferRegion.region_path)
    ):
        out[offer_id]["coverage"].append(value)
    for offer_id, value in session.exec(
        select(OfferGroup.offer_id, OfferGroup.group_code)
        .where(OfferGroup.offer_id.in_(offer_ids))
        .order_by(OfferGroup.group_code)
    ):
        out[offer_id]["groups"].append(value)
    return out


def organisations_of(session: Session, offers: list[Offer]) -> dict[int, Organisation]:
    """The organisations running the given offers, by id, in one query."""
    ids = sorted({o.organisation_id for o in offers})
    if not ids:
        return {}
    rows = session.exec(select(Organisation).where(Organisation.id.in_(ids))).all()
    return {org.id: org for org in rows}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def engine_offers(session: Session, offers: list[Offer]):
    """Adapt offer rows to the matching engine's records (a few queries for any number)."""
    from matching.schema import Offer as EngineOffer

    links = offer_links(session, [o.id for o in offers])
    orgs = organisations_of(session, offers)
    records = []
    for o in offers:
        org, link = orgs[o.organisation_id], links[o.id]
        records.append(
            EngineOffer(
                id=str(o.id),
                title=o.title,
                description=o.description,
                provider_type=org.kind,
                provider_name=org.name,
                categories=tuple(link["categories"]),
                coverage=tuple(link["coverage"]),
                eligible_groups=tuple(link["groups"]),
                age_min=o.age_min,
                age_max=o.age_max,
                income_ceiling=_float(o.income_ceiling),
                capacity_remaining=remaining(o),
                amount_per_beneficiary=_float(o.amount_per_person),
                mode=o.mode,
                valid_from=o.valid_from,
                valid_until=o.valid_until,
            )
        )
    return records


def engine_offer(offer: Offer, organisation: Organisation, categories, coverage, groups):
    """One row to one engine record, when the caller already holds the links."""
    from matching.schema import Offer as EngineOffer

    return EngineOffer(
        id=str(offer.id), title=offer.title, description=offer.description,
        provider_type=organisation.kind, provider_name=organisation.name,
        categories=tuple(categories), coverage=tuple(coverage), eligible_groups=tuple(groups),
        age_min=offer.age_min, age_max=offer.age_max,
        income_ceiling=_float(offer.income_ceiling), capacity_remaining=remaining(offer),
        amount_per_beneficiary=_float(offer.amount_per_person), mode=offer.mode,
        valid_from=offer.valid_from, valid_until=offer.valid_until,
    )


def offers_public(session: Session, offers: list[Offer]) -> list[OfferPublic]:
    """The shown shape of many offers, links and organisations loaded in a few queries."""
    links = offer_links(session, [o.id for o in offers])
    orgs = organisations_of(session, offers)
    out = []
    for o in offers:
        org, link = orgs[o.organisation_id], links[o.id]
        out.append(
            OfferPublic(
                **{k: getattr(o, k) for k in SCALARS} | person_withheld(org),
                id=o.id,
                status=o.status,
                organisation_id=org.id,
                organisation_name=shown_name(org),
                organisation_kind=org.kind,
                organisation_verified=org.status == VERIFIED,
                places_taken=o.places_taken,
                places_remaining=remaining(o),
                published_at=o.published_at,
                updated_at=o.updated_at,
                **link,
            )
        )
    return out


def get_offer(session: Session, *, actor: User | None, offer_id: int) -> Offer:
    """One offer the actor may see, or NotFound (another organisation's draft is not found)."""
    # populate_existing: places are taken by a bulk UPDATE that leaves loaded rows stale.
    offer = session.exec(
        visible_offers(actor).where(Offer.id == offer_id)
        .execution_options(populate_existing=True)
    ).first()
    if offer is None:
        raise NotFound("项目不存在或您无权查看")
    return offer


def own_offer(session: Session, actor: User, offer_id: int) -> Offer:
    """An offer the actor's organisation runs: others' drafts are NotFound, others' live 403."""
    offer = get_offer(session, actor=actor, offer_id=offer_id)
    if actor.role != "org_staff" or offer.organisation_id != actor.organisation_id:
        raise Forbidden("只有本机构的工作人员可以修改该项目")
    return offer


def _as_json(value):
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json(v) for v in value]
    return value


def _row_values(data: OfferCreate) -> dict:
    values = data.model_dump(include=set(SCALARS))
    rules = data.rules.model_dump(exclude_defaults=True)
    if rules.get("income_line_monthly") is not None:  # a number in JSON, for the engine
        line = rules["income_line_monthly"]
        rules["income_line_monthly"] = int(line) if line == line.to_integral() else float(line)
    values["rules"] = rules
    return values


def _check_for(org: Organisation, data: OfferCreate) -> None:
    if data.is_programme and org.kind != "government":
        raise Invalid("只有政府部门可以发布常设救助政策项目", field="is_programme")


def _write_links(session: Session, offer_id: int, data: OfferCreate) -> None:
    for model, column, values in (
        (OfferCategory, "category", data.categories),
        (OfferRegion, "region_path", data.coverage),
        (OfferGroup, "group_code", data.groups),
    ):
        for old in session.exec(select(model).where(model.offer_id == offer_id)).all():
            session.delete(old)
        session.flush()
        for value in values:
            session.add(model(offer_id=offer_id, **{column: value}))
    session.flush()


def create_offer(session: Session, *, actor: User, data: OfferCreate) -> Offer:
    """Save a new offer as a draft of the actor's organisation."""
    ensure_role(actor, "org_staff")
    org = session.get(Organisation, actor.organisation_id)
    if org is None:
        raise Forbidden("您的账号未关联机构")
    offer = add_draft(session, actor=actor, organisation=org, data=data,
                      changes={"created": [None, data.title], "status": [None, "draft"]})
    audit.record(session, actor, "offer_created", object_type="offer", object_id=offer.id)
    session.commit()
    return offer


def offer_input(session: Session, offer: Offer) -> dict:
    """The offer's current values in the input shape (to prefill a form or merge an edit)."""
    link = offer_links(session, [offer.id])[offer.id]
    values = {k: getattr(offer, k) for k in SCALARS}
    return values | link


def _validated(merged: dict) -> OfferCreate:
    try:
        return OfferCreate.model_validate(merged)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise Invalid(chinese_message(err), field=field_name(err["loc"])) from None


def update_offer(
    session: Session, *, actor: User, offer_id: int, data: OfferCreate | OfferUpdate
) -> Offer:
    """Edit an offer; every changed field is kept in its history as [old, new]."""
    offer = own_offer(session, actor, offer_id)
    if offer.status == "closed":
        raise Conflict("已结束的项目不能再修改")
    before = offer_input(session, offer)
    if isinstance(data, OfferUpdate):
        data = _validated(before | data.model_dump(exclude_unset=True))
    _check_for(session.get(Organisation, offer.organisation_id), data)
    if data.capacity is not None and data.capacity < offer.places_taken:
        raise Invalid(f"名额不能少于已接收的 {offer.places_taken} 人", field="capacity")
    after = _row_values(data) | {k: getattr(data, k) for k in LINKS}
    changes = {
        k: [_as_json(before[k]), _as_json(after[k])]
        for k in after
        if _as_json(before[k]) != _as_json(after[k])
    }
    if not changes:
        return offer
    for k in SCALARS:
        setattr(offer, k, after[k])
    offer.updated_at = utc_now()
    session.add(offer)
    if any(k in changes for k in LINKS):
        _write_links(session, offer.id, data)
    session.add(OfferRevision(offer_id=offer.id, actor_id=actor.id, changes=changes))
    session.commit()
    return offer


def change_status(
    session: Session, *, actor: User, offer_id: int, action: str, note: str = ""
) -> Offer:
    """Publish, pause or close an offer; publishing needs a verified organisation."""
    offer = own_offer(session, actor, offer_id)
    target = TRANSITIONS.get(offer.status, {}).get(action)
    if target is None:
        raise Conflict("项目当前状态不能进行此操作")
    flow.move(session, offer, to=target, by=actor, note=note)
    session.commit()
    return offer


def published_by(session: Session, *, organisation_id: int, limit: int = 50) -> list[Offer]:
    """An organisation's published offers (if it is verified), newest first."""
    query = public_offers().where(Offer.organisation_id == organisation_id)
    return list(session.exec(query.order_by(Offer.published_at.desc()).limit(limit)).all())


def my_offers(
    session: Session, *, actor: User, status: str = "", offset: int = 0, limit: int = 30
) -> tuple[list[Offer], int]:
    """The actor's organisation's offers in every state, newest first."""
    ensure_role(actor, "org_staff")
    query = visible_offers(actor).where(Offer.organisation_id == actor.organisation_id)
    if status:
        query = query.where(Offer.status == status)
    query = query.order_by(Offer.updated_at.desc(), Offer.id.desc())
    return paginate(session, query, offset=offset, limit=limit)


def revisions(session: Session, *, actor: User, offer_id: int) -> list[RevisionPublic]:
    """An offer's history, newest first; its own staff and platform staff may read it."""
    offer = get_offer(session, actor=actor, offer_id=offer_id)
    own = actor.role == "org_staff" and actor.organisation_id == offer.organisation_id
    if not own and actor.role not in ("supervisor", "admin"):
        raise Forbidden("只有本机构工作人员和监管人员可以查看修改记录")
    rows = session.exec(
        select(OfferRevision, User)
        .join(User, User.id == OfferRevision.actor_id, isouter=True)
        .where(OfferRevision.offer_id == offer.id)
        .order_by(OfferRevision.id.desc())
    ).all()
    return [
        RevisionPublic(id=r.id, at=r.at, actor_id=r.actor_id,
                       actor_name=u.display_name if u else "系统", changes=r.changes)
        for r, u in rows
    ]


def add_draft(
    session: Session, *, actor: User | None, organisation: Organisation, data: OfferCreate,
    changes: dict, source_id: str | None = None,
) -> Offer:
    """Add a draft offer of the organisation with its links and first revision (`changes`);
    flushed, not committed: the form, the bulk sheet and the HSDS import commit their own."""
    _check_for(organisation, data)
    actor_id = actor.id if actor else None
    offer = Offer(organisation_id=organisation.id, status="draft", source_id=source_id,
                  created_by_id=actor_id, **_row_values(data))
    session.add(offer)
    session.flush()
    _write_links(session, offer.id, data)
    session.add(OfferRevision(offer_id=offer.id, actor_id=actor_id, changes=changes))
    session.flush()
    return offer


@dataclass
class OfferView:
    """One offer as its page shows it: whether the viewer runs it, its history if they may
    read it, and the status changes open to them."""

    offer: OfferPublic
    own: bool
    history: list[RevisionPublic]
    actions: dict[str, str]


def offer_view(session: Session, *, actor: User | None, offer_id: int) -> OfferView:
    """An offer the actor may see (NotFound otherwise), with what its page needs."""
    offer = get_offer(session, actor=actor, offer_id=offer_id)
    (shown,) = offers_public(session, [offer])
    own = actor is not None and actor.role == "org_staff" and \
        actor.organisation_id == offer.organisation_id
    history = []
    if own or (actor is not None and actor.role in ("supervisor", "admin")):
        history = revisions(session, actor=actor, offer_id=offer.id)
    return OfferView(shown, own, history, TRANSITIONS[offer.status] if own else {})
PERSON_NAME = "爱心人士（个人）"


def shown_name(org: Organisation) -> str:
    """A private donor is a person: shown anywhere public without their name."""
    return PERSON_NAME if org.is_person else org.name


def person_withheld(org: Organisation) -> dict:
    """A private donor's own contact details are never shown with their offers; the
    caseworker arranges the help (an organisation's contact stays public)."""
    if not org.is_person:
        return {}
    return {"contact": "", "how_to_apply": "由所在镇（街道）社会救助经办人员统一对接"}
