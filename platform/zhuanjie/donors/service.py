"""Publishing needs, pledges and their outcome, donor sign-up.

The amount still needed is kept by one conditional UPDATE on need_publications per pledge
(taken when pledged, given back when declined or cancelled), so concurrent pledges cannot
push it below zero on SQLite or PostgreSQL. A confirmed pledge becomes an accepted referral
from the donor's organisation, through a closed per-pledge offer that matching never sees.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select, update

from zhuanjie import audit, codes, crypto, regions
from zhuanjie.auth.passwords import hash_password
from zhuanjie.clock import today
from zhuanjie.codes import PledgeStatus, PublicationStatus, ReferralStatus
from zhuanjie.db import utc_now
from zhuanjie.donors import board, cache, flow
from zhuanjie.donors.deidentify import check_text
from zhuanjie.donors.schemas import (
    DeclineIn,
    DeliveredIn,
    DonorSignup,
    PledgeIn,
    PledgePublic,
    PublicationIn,
    TakedownIn,
)
from zhuanjie.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanjie.models import (
    Consent,
    Household,
    Member,
    Need,
    NeedPublication,
    Offer,
    OfferCategory,
    OfferRegion,
    Organisation,
    Pledge,
    Referral,
    User,
)
from zhuanjie.needs import service as needs
from zhuanjie.notifications import service as notifications
from zhuanjie.policy import ensure_region, ensure_role, one_visible, region_filter
from zhuanjie.referrals import flow as referral_flow
from zhuanjie.validators import normalize_credit_code, normalize_phone

CASEWORKER_ROLES = ("caseworker", "admin")
TAKEDOWN_ROLES = ("supervisor", "admin")
HOLDING = ("pending", "confirmed", "delivered")  # money pledges that count as pledged


# --- publishing -----------------------------------------------------------------------------


def household_identifiers(session: Session, household_id: int) -> tuple[list[str], list[str]]:
    """The household's real names and addresses, to check public texts against."""
    members = session.exec(select(Member).where(Member.household_id == household_id)).all()
    household = session.get(Household, household_id)
    address = crypto.decrypt(household.address_enc) if household else None
    return [m.name for m in members], [a for a in (address,) if a]


def check_public_text(
    session: Session, *, household_id: int, texts: dict[str, str], allow_house_numbers: bool
) -> None:
    """Raise Invalid at the first field whose text identifies the family."""
    names, addresses = household_identifiers(session, household_id)
    for field_name, text in texts.items():
        message = check_text(text, names=names, addresses=addresses).message(
            allow_house_numbers=allow_house_numbers
        )
        if message:
            raise Invalid(message, field=field_name)


def publication_of_need(session: Session, *, actor: User, need_id: int) -> NeedPublication | None:
    need = needs.get_need(session, actor=actor, need_id=need_id)
    return session.exec(select(NeedPublication).where(NeedPublication.need_id == need.id)).first()


def publish(session: Session, *, actor: User, need_id: int, data: PublicationIn) -> NeedPublication:
    """Publish a reviewed, de-identified text of a need, with the consent recorded with it."""
    ensure_role(actor, *CASEWORKER_ROLES)
    need = needs.get_need(session, actor=actor, need_id=need_id)
    if need.status == "closed":
        raise Conflict("需求已办结，不能发布")
    if session.exec(select(NeedPublication.id).where(NeedPublication.need_id == need.id)).first():
        raise Conflict("该需求已发布过")
    if not regions.within(need.region_path, data.region_path):
        raise Invalid("公开地区须是该家庭所在的镇（街道）或县（市、区）", field="region_path")
    member = session.get(Member, data.consent_member_id)
    if member is None or member.household_id != need.household_id or member.removed_at:
        raise Invalid("同意发布的人须是本户成员", field="consent_member_id")
    if data.consent_valid_until < today():
        raise Invalid("同意期限不能早于今天", field="consent_valid_until")
    if data.deadline_date and data.deadline_date < today():
        raise Invalid("截止日期不能早于今天", field="deadline_date")
    check_public_text(
        session,
        household_id=need.household_id,
        texts={"title": data.title, "story": data.story, "goods_needed": data.goods_needed},
        allow_house_numbers=data.allow_house_numbers,
    )
    now = utc_now()
    consent = Consent(
        household_id=need.household_id,
        member_id=member.id,
        need_id=need.id,
        purpose="publication",
        fields=["need_text", "display"] if data.consent_display else ["need_text"],
        valid_until=data.consent_valid_until,
        recorded_by_id=actor.id,
        given_at=now,
    )
    session.add(consent)
    session.flush()
    pub = NeedPublication(
        need_id=need.id,
        consent_id=consent.id,
        published_by_id=actor.id,
        published_at=now,
        **data.model_dump(
            include={"title", "story", "region_path", "category", "urgency", "amount_goal",
                     "goods_needed", "deadline_date"}
        ),
    )
    session.add(pub)
    session.flush()
    audit.record(session, actor, "need_published", object_type="need", object_id=need.id,
                 detail={"publication_id": pub.id, "consent_id": consent.id})
    session.commit()
    cache.clear()
    return pub


def take_down(
    session: Session, *, actor: User, publication_id: int, data: TakedownIn
) -> NeedPublication:
    """A supervisor removes a published need from the board, with a reason."""
    ensure_role(actor, *TAKEDOWN_ROLES)
    pub = session.get(NeedPublication, publication_id)
    if pub is None:
        raise NotFound("该求助信息不存在")
    ensure_region(actor, pub.region_path)
    flow.move_publication(session, pub, to=PublicationStatus.TAKEN_DOWN, reason=data.reason)
    audit.record(session, actor, "publication_taken_down", object_type="need",
                 object_id=pub.need_id, detail={"publication_id": pub.id, "reason": data.reason})
    need = session.get(Need, pub.need_id)
    notifications.notify(
        session,
        user_ids=[u for u in (pub.published_by_id, need.created_by_id) if u],
        kind="publication_taken_down",
        title=f"求助信息已被撤下：{pub.title}",
        body=data.reason,
        link=f"/needs/{pub.need_id}/publication",
    )
    session.commit()
    cache.clear()
    session.refresh(pub)
    return pub


# --- pledging -------------------------------------------------------------------------------


def _take_amount(session: Session, pub_id: int, amount: Decimal) -> None:
    """Add to the pledged amount only if it stays within the goal; else a clear refusal."""
    result = session.exec(
        update(NeedPublication)
        .where(
            NeedPublication.id == pub_id,
            NeedPublication.status == "published",
            NeedPublication.amount_goal.is_not(None),
            NeedPublication.amount_pledged + amount <= NeedPublication.amount_goal,
        )
        .values(amount_pledged=NeedPublication.amount_pledged + amount)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        return
    pub = session.exec(
        select(NeedPublication).where(NeedPublication.id == pub_id)
        .execution_options(populate_existing=True)
    ).one()
    if pub.status != "published":
        raise Conflict("该求助信息已下线，不能认捐")
    left = board.remaining(pub) or Decimal(0)
    if left <= 0:
        raise Conflict("该求助所需金额已筹满，感谢您的爱心", field="amount")
    raise Conflict(f"认捐金额超过还需金额，最多还可认捐 {left:,.2f} 元".replace(".00 元", " 元"),
                   field="amount")


def _give_back(session: Session, pub_id: int, amount: Decimal) -> None:
    session.exec(
        update(NeedPublication)
        .where(NeedPublication.id == pub_id, NeedPublication.amount_pledged >= amount)
        .values(amount_pledged=NeedPublication.amount_pledged - amount)
        .execution_options(synchronize_session=False)
    )


def pledge(session: Session, *, actor: User, publication_id: int, data: PledgeIn) -> Pledge:
    """A donor pledges money, goods or time to a published need; the caseworker is told."""
    ensure_role(actor, "donor")
    pub = board.get_public(session, publication_id=publication_id)
    if data.kind == "money":
        if pub.amount_goal is None:
            raise Invalid("该求助不需要捐款，请选择物资或志愿时间", field="kind")
        if data.amount is None:
            raise Invalid("请填写认捐金额", field="amount")
    elif data.kind == "goods" and not data.goods.strip():
        raise Invalid("请填写捐赠的物资", field="goods")
    elif data.kind == "time" and not data.hours:
        raise Invalid("请填写志愿服务小时数", field="hours")
    row = Pledge(
        publication_id=pub.id,
        donor_id=actor.id,
        kind=data.kind,
        amount=data.amount if data.kind == "money" else None,
        goods=data.goods if data.kind == "goods" else "",
        hours=data.hours if data.kind == "time" else None,
        message=data.message,
        created_at=utc_now(),
    )
    if row.amount is not None:
        _take_amount(session, pub.id, row.amount)
    session.add(row)
    session.flush()
    need = session.get(Need, pub.need_id)
    what = _what(row)
    notifications.notify(
        session,
        user_ids=[u for u in (pub.published_by_id, need.created_by_id) if u],
        kind="pledge_received",
        title=f"新认捐：{pub.title}",
        body=f"{actor.display_name} 认捐{what}，请确认或婉拒。",
        link=f"/needs/{pub.need_id}/publication",
    )
    session.commit()
    cache.clear()
    return row


def _what(p: Pledge) -> str:
    if p.kind == "money" and p.amount is not None:
        return f"{Decimal(p.amount):,.2f} 元".replace(".00 元", " 元")
    if p.kind == "goods":
        return f"物资（{p.goods}）"
    return f"志愿服务 {p.hours or 0} 小时"


def cancel(session: Session, *, actor: User, pledge_id: int) -> Pledge:
    """The donor withdraws a pledge not yet confirmed; its amount is given back."""
    p = session.get(Pledge, pledge_id)
    if p is None or p.donor_id != actor.id:
        raise NotFound("认捐不存在")
    flow.move_pledge(session, p, to=PledgeStatus.CANCELLED, by=actor)
    if p.amount is not None:
        _give_back(session, p.publication_id, p.amount)
    session.commit()
    cache.clear()
    return p


def visible_pledges(user: User):
    """Donors see their own pledges; caseworkers and supervisors those of needs in their region."""
    if user.role == "donor":
        return select(Pledge).where(Pledge.donor_id == user.id)
    if user.role in ("caseworker", "supervisor", "admin"):
        return (
            select(Pledge)
            .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
            .join(Need, Need.id == NeedPublication.need_id)
            .where(region_filter(user, Need.region_path))
        )
    raise Forbidden("您的角色无权查看认捐")


def get_pledge(session: Session, *, actor: User, pledge_id: int) -> Pledge:
    return one_visible(session, visible_pledges(actor), Pledge, pledge_id,
                       missing="认捐不存在", hidden="该认捐不在您的范围内")


def pledges_of_publication(session: Session, *, actor: User, publication_id: int):
    """(pledge, donor) pairs for the caseworker's page, newest first."""
    rows = session.exec(
        visible_pledges(actor)
        .where(Pledge.publication_id == publication_id)
        .order_by(Pledge.id.desc())
    ).all()
    return [(p, session.get(User, p.donor_id)) for p in rows]


def _for_caseworker(session: Session, actor: User, pledge_id: int) -> tuple[Pledge, Need]:
    ensure_role(actor, *CASEWORKER_ROLES)
    p = get_pledge(session, actor=actor, pledge_id=pledge_id)
    pub = session.get(NeedPublication, p.publication_id)
    need = session.get(Need, pub.need_id)
    ensure_region(actor, need.region_path)
    return p, need


def _tell_donor(session: Session, p: Pledge, kind: str, title: str, body: str = "") -> None:
    notifications.notify(session, user_ids=[p.donor_id], kind=kind, title=title, body=body,
                         link="/donor/pledges")


def donor_organisation(session: Session, donor: User) -> Organisation:
    if donor.organisation_id:
        return session.get(Organisation, donor.organisation_id)
    # A donor account made by an administrator without one: a person giving in their own name.
    org = Organisation(name=donor.display_name, kind="donor", is_person=True, status="person")
    session.add(org)
    session.flush()
    donor.organisation_id = org.id
    session.add(donor)
    return org


def confirm(session: Session, *, actor: User, pledge_id: int) -> Pledge:
    """The caseworker accepts a pledge: it becomes an accepted referral from the donor."""
    p, need = _for_caseworker(session, actor, pledge_id)
    if need.status == "closed":
        raise Conflict("需求已办结，不能再确认认捐")
    now = utc_now()
    flow.move_pledge(session, p, to=PledgeStatus.CONFIRMED, by=actor, at=now)
    pub = session.get(NeedPublication, p.publication_id)
    org = donor_organisation(session, session.get(User, p.donor_id))
    mode = {"money": "cash", "goods": "in_kind", "time": "volunteer"}[p.kind]
    # Its one place is taken by the referral's acceptance, as for any offer.
    offer = Offer(organisation_id=org.id, title=f"认捐：{pub.title}"[:120], mode=mode,
                  status="closed", capacity=1, places_taken=0, description=_what(p),
                  amount_per_person=p.amount, created_by_id=actor.id, created_at=now,
                  updated_at=now)
    session.add(offer)
    session.flush()
    session.add(OfferCategory(offer_id=offer.id, category=pub.category))
    session.add(OfferRegion(offer_id=offer.id, region_path=pub.region_path))
    # Through the referral lifecycle's one owner: sent and at once accepted, so the pledge's
    # referral gets its delivery deadline like any other.
    referral = referral_flow.open_referral(
        session, need=need, offer=offer, consent_id=pub.consent_id, by=actor, at=now,
        note=f"爱心认捐：{_what(p)}", pledge_id=p.id,
    )
    referral_flow.move(session, referral, to=ReferralStatus.ACCEPTED, by=actor, at=now,
                       note="经办人员确认认捐")
    _tell_donor(session, p, "pledge_confirmed", f"您的认捐已被确认：{pub.title}",
                f"认捐{_what(p)}已确认，经办人员会与您联系交付事宜，感谢您的爱心。")
    audit.record(session, actor, "pledge_confirmed", object_type="referral",
                 object_id=referral.id, detail={"pledge_id": p.id})
    session.commit()
    cache.clear()
    return p


def decline(session: Session, *, actor: User, pledge_id: int, data: DeclineIn) -> Pledge:
    """The caseworker declines a pledge with a note; its amount is given back."""
    p, need = _for_caseworker(session, actor, pledge_id)
    if data.note:
        check_public_text(session, household_id=need.household_id, texts={"note": data.note},
                          allow_house_numbers=False)
    flow.move_pledge(session, p, to=PledgeStatus.DECLINED, by=actor, thank_you_note=data.note)
    if p.amount is not None:
        _give_back(session, p.publication_id, p.amount)
    pub = session.get(NeedPublication, p.publication_id)
    _tell_donor(session, p, "pledge_declined", f"您的认捐未被采纳：{pub.title}",
                data.note or "感谢您的爱心，欢迎关注其他求助信息。")
    session.commit()
    cache.clear()
    return p


def deliver(session: Session, *, actor: User, pledge_id: int, data: DeliveredIn) -> Pledge:
    """Record that a confirmed pledge reached the family; the donor gets the thank-you note."""
    p, need = _for_caseworker(session, actor, pledge_id)
    day = data.delivery_date or today()
    if day > today():
        raise Invalid("送达日期不能晚于今天", field="delivery_date")
    check_public_text(session, household_id=need.household_id,
                      texts={"thank_you_note": data.thank_you_note}, allow_house_numbers=False)
    flow.move_pledge(session, p, to=PledgeStatus.DELIVERED, by=actor,
                     thank_you_note=data.thank_you_note)
    referral = session.exec(select(Referral).where(Referral.pledge_id == p.id)).first()
    if referral is not None:  # follow-ups and the end of its clocks come with the move
        referral_flow.move(session, referral, to=ReferralStatus.DELIVERED, by=actor,
                           note=_what(p), delivery_date=day, delivery_amount=p.amount)
    pub = session.get(NeedPublication, p.publication_id)
    _tell_donor(session, p, "pledge_delivered", f"您的捐赠已送达：{pub.title}",
                data.thank_you_note)
    session.commit()
    cache.clear()
    return p


# --- donors ---------------------------------------------------------------------------------


def my_pledges(session: Session, *, actor: User) -> list[tuple[Pledge, NeedPublication]]:
    """The donor's pledges with the (de-identified) need each went to, newest first."""
    ensure_role(actor, "donor")
    rows = session.exec(
        select(Pledge, NeedPublication)
        .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
        .where(Pledge.donor_id == actor.id)
        .order_by(Pledge.id.desc())
    ).all()
    return [(p, pub) for p, pub in rows]


def sign_up(session: Session, *, data: DonorSignup) -> User:
    """A person or company registers to give: a donor organisation and its account.

    A person is not a verified organisation (status `person`): each pledge is vetted by a
    caseworker and each standing offer is reviewed before matching sees it; a company waits
    for the usual verification before its standing offers enter matching.
    """
    if session.exec(select(User.id).where(User.username == data.username)).first():
        raise Conflict("该用户名已被使用", field="username")
    person = data.donor_type == "person"
    code = None
    if not person and data.credit_code and data.credit_code.strip():
        try:
            code = normalize_credit_code(data.credit_code)
        except ValueError as exc:
            raise Invalid(str(exc), field="credit_code") from None
        if session.exec(select(Organisation.id).where(Organisation.credit_code == code)).first():
            raise Conflict("该统一社会信用代码已登记", field="credit_code")
    phone = ""
    if data.contact_phone.strip():
        try:
            phone = normalize_phone(data.contact_phone)
        except ValueError as exc:
            raise Invalid(str(exc), field="contact_phone") from None
    org = Organisation(
        name=data.display_name if person else data.company_name.strip(),
        kind="donor", is_person=person, credit_code=code,
        status="person" if person else "pending", verified_at=None,
        contact_name=data.display_name, contact_phone=phone,
    )
    session.add(org)
    session.flush()
    user = User(username=data.username, display_name=data.display_name,
                password_hash=hash_password(data.password), role="donor", organisation_id=org.id)
    session.add(user)
    session.flush()
    audit.record(session, user, "user_created", object_type="user", object_id=user.id,
                 detail={"username": user.username, "role": "donor", "organisation_id": org.id})
    session.commit()
    cache.clear()
    return user


def pledge_public(session: Session, p: Pledge) -> PledgePublic:
    """A pledge as the API shows it, with the title of the need it went to."""
    pub = session.get(NeedPublication, p.publication_id)
    return PledgePublic(
        id=p.id, publication_id=p.publication_id, publication_title=pub.title, kind=p.kind,
        amount=p.amount, goods=p.goods, hours=p.hours, message=p.message, status=p.status,
        status_label=codes.PLEDGE_STATUSES.get(p.status, p.status), created_at=p.created_at,
        decided_at=p.decided_at, delivered_at=p.delivered_at,
        thank_you_note=p.thank_you_note,
    )


def need_of_pledge(session: Session, *, actor: User, pledge_id: int) -> int:
    """The id of the need a pledge in the actor's scope went to (404 unknown, 403 hidden)."""
    p = get_pledge(session, actor=actor, pledge_id=pledge_id)
    return session.get(NeedPublication, p.publication_id).need_id
