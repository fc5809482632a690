"""Referrals: who may send, answer, deliver and close them, and what each may see.

Each use case checks the actor and the input, then `referrals.flow` moves the referral: one
conditional UPDATE on its status (two people acting at once cannot both succeed), with its
event, deadlines, the offer's place (offers.capacity), the service plans' end, notifications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from zhuanjie import audit, crypto
from zhuanjie.allocation import flow as allocation
from zhuanjie.attachments import service as attachments
from zhuanjie.clock import today
from zhuanjie.codes import ReferralStatus as S
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from zhuanjie.households import service as households
from zhuanjie.matches import service as matches
from zhuanjie.models import (
    Consent,
    Household,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    ReferralEvent,
    User,
)
from zhuanjie.needs import service as needs
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import service as offers
from zhuanjie.pagination import (
    PAGE_SIZE,
    Key,
    KeysetPage,
    count,
    keyset_page,
    paginate,
    read_cursor,
)
from zhuanjie.policy import (
    ensure_organisation_active,
    ensure_region,
    ensure_role,
    one_visible,
    region_scope,
)
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


def visible_referrals(user: User, *also):
    """The one query every referral list and lookup starts from.

    `also` adds entities to each row (Need is joined already for platform staff; join any
    other), asked for up front as SQLModel yields scalars for a one-entity select."""
    if user.role == "org_staff":
        ensure_organisation_active(user)
        return select(Referral, *also).where(Referral.organisation_id == user.organisation_id)
    if user.role in ("caseworker", "supervisor", "admin"):
        return (
            select(Referral, *also)
            .join(Need, Need.id == Referral.need_id)
            .where(region_scope(user, Need.region_path))
        )
    raise Forbidden("您的角色无权查看转介")


def get_referral(session: Session, *, actor: User, referral_id: int) -> Referral:
    return one_visible(session, visible_referrals(actor), Referral, referral_id,
                       missing="转介不存在", hidden="该转介不在您的范围内")


def list_referrals(
    session: Session, *, actor: User, offset: int = 0, limit: int = 30
) -> tuple[list[Referral], int]:
    """Referrals in the caller's scope, newest first, with how many there are."""
    query = visible_referrals(actor).order_by(Referral.id.desc())
    return paginate(session, query, offset=offset, limit=limit)


# Platform staff's referral list, newest first: the primary key's index in reverse.
REFERRAL_ORDER = (Key(Referral.id, int, desc=True),)


def referral_page(
    session: Session, *, actor: User, cursor: str | None = None, size: int = PAGE_SIZE
) -> KeysetPage:
    """One page of the referrals in scope, newest first, paged by cursor: reads the page's
    rows (each joined to its need for the scope) and counts at most COUNT_CAP."""
    return keyset_page(session, visible_referrals(actor), REFERRAL_ORDER,
                       read_cursor(cursor, REFERRAL_ORDER), size)


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
        name: count(session, base.where(Referral.status.in_(states)))
        for name, states in INBOX_BOXES.items()
    }
    query = base.where(Referral.status.in_(INBOX_BOXES.get(box, INBOX_BOXES["new"])))
    order = Referral.sent_at if box == "new" else Referral.updated_at.desc()
    rows = session.exec(query.order_by(order).offset(offset).limit(limit)).all()
    return list(rows), counts


def consented_view(
    session: Session, *, actor: User, referral: Referral, ip: str = ""
) -> ConsentedView:
    """The household as the receiving organisation may see it: consented fields only.

    Whole values go to the receiving organisation's own staff only, once it holds the
    referral and while the consent is live (not expired, not withdrawn); each such look is
    an audit row. Before it accepts, the organisation sees masked identifiers, enough to
    decide. Everyone else (caseworkers, supervisors, admins) sees the masked values their
    role sees on the household page, where a reveal is on purpose and audited. Nothing at
    all once the consent has ended or the referral has.
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
    whole = (
        referral.status in HOLDING
        and actor.role == "org_staff"
        and actor.organisation_id == referral.organisation_id
    )
    address = crypto.decrypt(household.address_enc) or ""
    values = {
        "name": (member.name, crypto.mask_name(member.name)),
        "phone": _phone(household, member),
        "address": (address, crypto.mask_address(address)),
        "id_number": (
            crypto.decrypt(member.id_number_enc) or "",
            "*" * 14 + member.id_last4 if member.id_last4 else "",
        ),
        "need_text": (need.description, need.description),
    }
    fields = {f: values[f][0 if whole else 1] for f in consent.fields if f in values}
    if whole:
        audit.record(
            session,
            actor,
            "view_consented_fields",
            object_type="referral",
            object_id=referral.id,
            detail={"fields": sorted(fields), "household_id": household.id},
            ip=ip,
        )
        session.commit()
    return ConsentedView(
        consent_valid=True, consent_until=consent.valid_until, fields=fields, masked=not whole
    )


def _phone(household: Household, member: Member) -> tuple[str, str]:
    phone = crypto.decrypt(member.phone_enc) or crypto.decrypt(household.phone_enc) or ""
    return phone, crypto.mask_phone(phone)


# --- sending -------------------------------------------------------------------------------------


def send_referral(
    session: Session, *, actor: User, need_id: int, data: ReferralCreate,
    scan: tuple[str, bytes] | None = None,
) -> Referral:
    """Send a need to an offer's organisation, with the household's consent recorded first.

    `scan` is the signed consent form's scan (file name, content) sent with the form; the API
    names one uploaded beforehand instead (`consent.scan_attachment_id`). With
    ZHUANJIE_REQUIRE_SIGNED_CONSENT one of the two is required."""
    ensure_role(actor, *CASEWORKER_ROLES)
    scanned = bool(scan and scan[1]) or data.consent.scan_attachment_id is not None
    if get_settings().require_signed_consent and not scanned:
        raise Invalid("须先上传本人签字的授权书扫描件，才能发送转介", field="consent.scan")
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
    if member is None or member.household_id != need.household_id or member.removed_at:
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
    if scan and scan[1]:
        attachments.store(session, actor=actor, household_id=need.household_id,
                          owner_type="consent", owner_id=consent.id, kind="consent_scan",
                          filename=scan[0], data=scan[1], field="consent.scan")
    elif data.consent.scan_attachment_id is not None:
        attachments.bind_to_consent(session, actor=actor, need=need, consent=consent,
                                    attachment_id=data.consent.scan_attachment_id)
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
    if allocation.sent_as(session, referral, by=actor):  # a 统筹分配 proposal, now consented
        audit.record(session, actor, "proposal_sent", object_type="referral",
                     object_id=referral.id, detail={"need_id": need.id, "offer_id": offer.id})
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


# --- what the referral pages show --------------------------------------------------------------


@dataclass
class ReferralList:
    """One page of referrals with each row's need and offer, and the inbox's counts per box."""

    rows: list[Referral]
    needs: dict[int, Need]
    offers: dict[int, Offer]
    counts: dict[str, int]
    total: int
    bulk: BulkResult | None = None
    listed: KeysetPage | None = None  # platform staff's list, paged by cursor


def referral_list(
    session: Session,
    *,
    actor: User,
    box: str = "new",
    offset: int = 0,
    limit: int = 30,
    cursor: str | None = None,
) -> ReferralList:
    """Org staff see one box of their inbox (by page number: an organisation's referrals);
    caseworkers, supervisors, admins their scope, by cursor (a province's referrals)."""
    listed = None
    if actor.role == "org_staff":
        rows, counts = inbox(session, actor=actor, box=box, offset=offset, limit=limit)
        total = counts.get(box, 0)
    else:
        listed = referral_page(session, actor=actor, cursor=cursor, size=limit)
        rows, total, counts = listed.rows, listed.total, {}
    need_ids, offer_ids = [r.need_id for r in rows], [r.offer_id for r in rows]
    return ReferralList(
        rows=rows,
        needs={n.id: n for n in session.exec(select(Need).where(Need.id.in_(need_ids)))},
        offers={o.id: o for o in session.exec(select(Offer).where(Offer.id.in_(offer_ids)))},
        counts=counts,
        total=total,
        listed=listed,
    )


def bulk_accept_listed(
    session: Session, *, actor: User, referral_ids: list[int], limit: int = 30
) -> ReferralList:
    """Accept the ticked referrals of the inbox, then its new box again with the outcome."""
    ensure_role(actor, "org_staff")
    result = bulk_accept(session, actor=actor, referral_ids=referral_ids) if referral_ids else None
    listed = referral_list(session, actor=actor, box="new", limit=limit)
    listed.bulk = result
    return listed


@dataclass
class ReferralDetail:
    """A referral with its need, offer, organisation and history, as its page shows it."""

    referral: Referral
    need: Need
    offer: Offer
    organisation: Organisation
    events: list[tuple[ReferralEvent, User | None]]
    consented: ConsentedView | None


def referral_detail(
    session: Session, *, actor: User, referral_id: int, ip: str = ""
) -> ReferralDetail:
    """One referral in the actor's scope (404 unknown, 403 out of scope) with what goes with
    it; the receiving organisation's staff also see the consented fields."""
    referral = get_referral(session, actor=actor, referral_id=referral_id)
    events = session.exec(
        select(ReferralEvent, User)
        .join(User, User.id == ReferralEvent.actor_id, isouter=True)
        .where(ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.id)
    ).all()
    return ReferralDetail(
        referral=referral,
        need=session.get(Need, referral.need_id),
        offer=session.get(Offer, referral.offer_id),
        organisation=session.get(Organisation, referral.organisation_id),
        events=list(events),
        consented=consented_view(session, actor=actor, referral=referral, ip=ip)
        if actor.role == "org_staff"
        else None,
    )


@dataclass
class ReferralForm:
    """What the send-a-referral form shows: the need, the offer chosen and its organisation,
    and the household's members (one of them gives consent)."""

    need: Need
    offer: Offer | None
    organisation: Organisation | None
    members: list[Member]
    require_scan: bool = False  # ZHUANJIE_REQUIRE_SIGNED_CONSENT


def referral_form(
    session: Session, *, actor: User, need_id: int, offer_id: int | None, strict: bool = True
) -> ReferralForm:
    """The form for sending a need in scope to an offer the actor may see. An offer that is
    unknown or hidden is NotFound when `strict`, else left out (a re-rendered form)."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    offer = None
    if offer_id is not None:
        offer = session.exec(offers.visible_offers(actor).where(Offer.id == offer_id)).first()
        if offer is None and strict:
            raise NotFound("项目不存在或您无权查看")
    household = households.get_household(session, actor=actor, household_id=need.household_id)
    return ReferralForm(
        need=need,
        offer=offer,
        organisation=session.get(Organisation, offer.organisation_id) if offer else None,
        members=households.members_of(session, household),
        require_scan=get_settings().require_signed_consent,
    )


def consented_of(
    session: Session, *, actor: User, referral_id: int, ip: str = ""
) -> ConsentedView:
    """The consented view of a referral in the actor's scope (see `consented_view`)."""
    referral = get_referral(session, actor=actor, referral_id=referral_id)
    return consented_view(session, actor=actor, referral=referral, ip=ip)
def return_to_caseworker(
    session: Session, *, actor: User, referrals: list[Referral], reason: str, kind: str
) -> int:
    """Give live referrals back to the caseworker who sent them, without the organisation's
    say: its organisation was suspended or rejected, or the household withdrew its consent.
    The referral flow withdraws each (places released, clocks stopped, the need back to
    matching); the caseworker is told why (the caller tells the organisation where it should
    hear of it). The caller commits."""
    returned = 0
    for referral in referrals:
        if referral.status not in flow.LIVE:
            continue
        flow.move(session, referral, to="withdrawn", by=actor, note=reason, notify=False)
        need = session.get(Need, referral.need_id)
        offer = session.get(Offer, referral.offer_id)
        notifications.notify(
            session, user_ids=[u for u in {referral.sent_by_id, need.created_by_id} if u],
            kind=kind, title=f"转介已退回：{offer.title}",
            body=reason + " 需求已回到待匹配，请另行安排。", link=f"/needs/{need.id}",
        )
        returned += 1
    return returned

