"""Referrals: who may send, answer, deliver and close them, and what each may see.

Each use case checks the actor and the input, then `referrals.flow` moves the referral: one
conditional UPDATE on its status (two people acting at once cannot both succeed), with its
event, deadlines, the offer's place (offers.capacity), the service plans' end, notifications.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from zhuanjie import audit, crypto
from zhuanjie.clock import today
from zhuanjie.codes import ReferralStatus as S
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from zhuanjie.matches import service as matches
from zhuanjie.models import (
    Consent,
    Household,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    User,
)
from zhuanjie.needs import service as needs
from zhuanjie.policy import ensure_region, ensure_role, region_filter
from zhuanjie.referrals import flow
from zhuanjie.referrals.schemas import (
    BulkResult,
    ConsentedView,
    DeclineIn,
    DeliveryIn,
    NoteIn,
    ReferralCreate,
)

LIVE = flow.LIVE
HOLDING = ("accepted", "in_service", "delivered")
ORG_ROLES = ("org_staff", "admin")
CASEWORKER_ROLES = ("caseworker", "admin")

INBOX_BOXES = {
    "new": ("sent",),
    "in_service": ("accepted", "in_service"),
    "done": ("delivered", "failed", "closed", "declined", "withdrawn"),
}


# --- reading -----------------------------------------------------------------------------------


def visible_referrals(user: User):
    """The one query every referral list and lookup starts from."""
    if user.role == "org_staff":
        return select(Referral).where(Referral.organisation_id == user.organisation_id)
    if user.role in ("caseworker", "supervisor", "admin"):
        return (
            select(Referral)
            .join(Need, Need.id == Referral.need_id)
            .where(region_filter(user, Need.region_path))
        )
    raise Forbidden("您的角色无权查看转介")


def get_referral(session: Session, *, actor: User, referral_id: int) -> Referral:
    referral = session.exec(visible_referrals(actor).where(Referral.id == referral_id)).first()
    if referral is None:
        if session.get(Referral, referral_id) is None:
            raise NotFound("转介不存在")
        raise Forbidden("该转介不在您的范围内")
    return referral


def list_referrals(
    session: Session, *, actor: User, offset: int = 0, limit: int = 30
) -> tuple[list[Referral], int]:
    """Referrals in the caller's scope, newest first, with how many there are."""
    query = visible_referrals(actor)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Referral.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def referrals_of_need(session: Session, need_id: int) -> list[tuple[Referral, Offer, Organisation]]:
    """A need's referrals, newest first, each with its offer and organisation (one query)."""
    return list(
        session.exec(
            select(Referral, Offer, Organisation)
            .join(Offer, Offer.id == Referral.offer_id)
            .join(Organisation, Organisation.id == Referral.organisation_id)
            .where(Referral.need_id == need_id)
            .order_by(Referral.id.desc())
        ).all()
    )


def inbox(session: Session, *, actor: User, box: str = "new", offset: int = 0, limit: int = 30):
    """An organisation's referrals in one box, oldest waiting first; with counts per box."""
    ensure_role(actor, "org_staff")
    base = visible_referrals(actor)
    counts = {
        name: session.exec(
            select(func.count()).select_from(base.where(Referral.status.in_(states)).subquery())
        ).one()
        for name, states in INBOX_BOXES.items()
    }
    query = base.where(Referral.status.in_(INBOX_BOXES.get(box, INBOX_BOXES["new"])))
    order = Referral.sent_at if box == "new" else Referral.updated_at.desc()
    rows = session.exec(query.order_by(order).offset(offset).limit(limit)).all()
    return list(rows), counts


def consented_view(session: Session, *, actor: User, referral: Referral) -> ConsentedView:
    """The household as the receiving organisation may see it: consented fields only.

    Before the referral is accepted the organisation sees the need's text and masked
    identifiers, enough to decide; once it holds the referral it sees the consented fields
    whole (each such look is audited); nothing once the consent has expired or the referral
    has ended.
    """
    consent = session.get(Consent, referral.consent_id) if referral.consent_id else None
    valid = bool(consent and consent.revoked_at is None and consent.valid_until >= today())
    if not valid or referral.status in ("declined", "withdrawn", "closed", "failed"):
        return ConsentedView(
            consent_valid=False, consent_until=consent.valid_until if consent else None, fields={}
        )
    need = session.get(Need, referral.need_id)
    household = session.get(Household, need.household_id)
    member = session.get(Member, need.member_id or consent.member_id)
    whole = referral.status in HOLDING
    values = {
        "name": (member.name, crypto.mask_name(member.name)),
        "phone": _phone(household, member),
        "address": (
            crypto.decrypt(household.address_enc) or "",
            crypto.mask_address(crypto.decrypt(household.address_enc)),
        ),
        "id_number": (
            crypto.decrypt(member.id_number_enc) or "",
            crypto.mask_id_number(crypto.decrypt(member.id_number_enc)),
        ),
        "need_text": (need.description, need.description),
    }
    fields = {f: values[f][0 if whole else 1] for f in consent.fields if f in values}
    if whole and actor.role == "org_staff":
        audit.record(
            session,
            actor,
            "view_consented_fields",
            object_type="referral",
            object_id=referral.id,
            detail={"fields": sorted(fields)},
        )
        session.commit()
    return ConsentedView(consent_valid=True, consent_until=consent.valid_until, fields=fields)


def _phone(household: Household, member: Member) -> tuple[str, str]:
    phone = crypto.decrypt(member.phone_enc) or crypto.decrypt(household.phone_enc) or ""
    return phone, crypto.mask_phone(phone)


# --- sending -------------------------------------------------------------------------------------


def send_referral(session: Session, *, actor: User, need_id: int, data: ReferralCreate) -> Referral:
    """Send a need to an offer's organisation, with the household's consent recorded first."""
    ensure_role(actor, *CASEWORKER_ROLES)
    need = needs.get_need(session, actor=actor, need_id=need_id)
    if need.status == "closed":
        raise Conflict("需求已办结，不能再转介")
    offer = session.get(Offer, data.offer_id)
    if offer is None:
        raise Invalid("所选项目不存在", field="offer_id")
    excluded = matches.why_not(session, need=need, offer=offer)
    if excluded:
        raise Invalid("该项目不能接收此需求：" + "、".join(excluded), field="offer_id")
    earlier = session.exec(
        select(Referral.status).where(Referral.need_id == need.id, Referral.offer_id == offer.id)
    ).all()
    if any(s in LIVE for s in earlier):
        raise Conflict("已向该项目转介过此需求，正在处理中", field="offer_id")
    member = session.get(Member, data.consent.member_id)
    if member is None or member.household_id != need.household_id:
        raise Invalid("授权人须是本户成员", field="consent.member_id")
    if data.consent.valid_until < today():
        raise Invalid("授权有效期不能早于今天", field="consent.valid_until")

    consent = Consent(
        household_id=need.household_id,
        member_id=member.id,
        need_id=need.id,
        organisation_id=offer.organisation_id,
        purpose="referral",
        fields=data.consent.fields,
        valid_until=data.consent.valid_until,
        recorded_by_id=actor.id,
        given_at=utc_now(),
    )
    session.add(consent)
    session.flush()
    referral = flow.open_referral(
        session,
        need=need,
        offer=offer,
        consent_id=consent.id,
        by=actor,
        note=data.note,
        score=matches.score_of(session, need=need, offer=offer),
    )
    audit.record(
        session,
        actor,
        "referral_sent",
        object_type="referral",
        object_id=referral.id,
        detail={"consent_fields": data.consent.fields},
    )
    session.commit()
    return referral


# --- moving: each use case checks who may act, then referrals.flow moves the referral ----------


def _for_organisation(session: Session, actor: User, referral_id: int) -> Referral:
    ensure_role(actor, *ORG_ROLES)
    return get_referral(session, actor=actor, referral_id=referral_id)


def _for_caseworker(session: Session, actor: User, referral_id: int) -> Referral:
    ensure_role(actor, *CASEWORKER_ROLES)
    referral = get_referral(session, actor=actor, referral_id=referral_id)
    ensure_region(actor, session.get(Need, referral.need_id).region_path)
    return referral


def accept(session: Session, *, actor: User, referral_id: int) -> Referral:
    """The organisation takes the referral; one of the offer's places goes with it."""
    referral = _for_organisation(session, actor, referral_id)
    flow.move(session, referral, to=S.ACCEPTED, by=actor)
    session.commit()
    return referral


def bulk_accept(session: Session, *, actor: User, referral_ids: list[int]) -> BulkResult:
    """Accept a list; each either succeeds whole or is refused with its reason."""
    result = BulkResult(accepted=[], refused={})
    for referral_id in dict.fromkeys(referral_ids):
        try:
            referral = _for_organisation(session, actor, referral_id)
            flow.move(session, referral, to=S.ACCEPTED, by=actor)  # its own savepoint
        except DomainError as exc:
            result.refused[referral_id] = exc.message
        else:
            result.accepted.append(referral_id)
    session.commit()
    return result


def decline(session: Session, *, actor: User, referral_id: int, data: DeclineIn) -> Referral:
    """The organisation declines with a reason; the need goes back to matching."""
    referral = _for_organisation(session, actor, referral_id)
    flow.move(session, referral, to=S.DECLINED, by=actor, note=data.note,
              decline_reason=data.reason)
    session.commit()
    return referral


def start_service(session: Session, *, actor: User, referral_id: int) -> Referral:
    """The organisation has begun serving the household."""
    referral = _for_organisation(session, actor, referral_id)
    flow.move(session, referral, to=S.IN_SERVICE, by=actor)
    session.commit()
    return referral


def deliver(session: Session, *, actor: User, referral_id: int, data: DeliveryIn) -> Referral:
    """Record what was given and when; the caseworker is told so follow-ups can start."""
    referral = _for_organisation(session, actor, referral_id)
    if data.delivery_date > today():
        raise Invalid("送达日期不能晚于今天", field="delivery_date")
    if data.delivery_date < referral.sent_at.date() - timedelta(days=1):
        raise Invalid("送达日期不能早于转介日期", field="delivery_date")
    flow.move(session, referral, to=S.DELIVERED, by=actor, note=data.what,
              delivery_date=data.delivery_date, delivery_amount=data.amount)
    session.commit()
    return referral


def fail(session: Session, *, actor: User, referral_id: int, data: NoteIn) -> Referral:
    """The organisation could not complete the help; the place is given back."""
    referral = _for_organisation(session, actor, referral_id)
    flow.move(session, referral, to=S.FAILED, by=actor, note=data.note)
    session.commit()
    return referral


def withdraw(session: Session, *, actor: User, referral_id: int, data: NoteIn) -> Referral:
    """The caseworker takes the referral back; a held place is given back."""
    referral = _for_caseworker(session, actor, referral_id)
    flow.move(session, referral, to=S.WITHDRAWN, by=actor, note=data.note)
    session.commit()
    return referral


def close(session: Session, *, actor: User, referral_id: int, data: NoteIn) -> Referral:
    """The caseworker closes a finished referral."""
    referral = _for_caseworker(session, actor, referral_id)
    flow.move(session, referral, to=S.CLOSED, by=actor, note=data.note)
    session.commit()
    return referral


refresh_need = flow.refresh_need  # pledges and older callers still reach it here
