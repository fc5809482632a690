"""Needs: recording, editing, closing, and the whole timeline of one need."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, func, select

from zhuanjie import audit, codes
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid
from zhuanjie.households import service as households
from zhuanjie.models import (
    FollowUp,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    ReferralEvent,
    User,
)
from zhuanjie.needs.schemas import NeedClose, NeedCreate, NeedUpdate, TimelineEntry
from zhuanjie.pagination import PAGE_SIZE, Key, KeysetPage, keyset_page, paginate, read_cursor
from zhuanjie.policy import ensure_role, one_visible, region_scope

WRITE_ROLES = ("caseworker", "admin")
ACTIVE_REFERRAL_STATES = ("sent", "accepted", "in_service")


def visible_needs(user: User):
    """The one query every need list and lookup starts from."""
    ensure_role(user, *households.HOUSEHOLD_ROLES)
    return select(Need).where(region_scope(user, Need.region_path))


def get_need(session: Session, *, actor: User, need_id: int) -> Need:
    return one_visible(session, visible_needs(actor), Need, need_id,
                       missing="需求不存在", hidden="该记录不在您的辖区范围内")


def _check_member(session: Session, household_id: int, member_id: int | None) -> None:
    if member_id is None:
        return
    member = session.get(Member, member_id)
    if member is None or member.household_id != household_id or member.removed_at:
        raise Invalid("受助人须是本户成员", field="member_id")


def _check_deadline(data: NeedCreate | NeedUpdate) -> None:
    if data.deadline_date and data.deadline_date < today():
        raise Invalid("截止日期不能早于今天", field="deadline_date")


def create_need(session: Session, *, actor: User, household_id: int, data: NeedCreate) -> Need:
    """Record a need on a household in the caseworker's region."""
    need = add_need(session, actor=actor, household_id=household_id, data=data)
    session.commit()
    return need


def add_need(session: Session, *, actor: User, household_id: int, data: NeedCreate) -> Need:
    """Recording a need as one step of a larger use case (an intake accepted); the caller
    commits."""
    ensure_role(actor, *WRITE_ROLES)
    household = households.get_household(session, actor=actor, household_id=household_id)
    _check_member(session, household.id, data.member_id)
    _check_deadline(data)
    need = Need.model_validate(
        data,
        update={
            "household_id": household.id,
            "region_path": household.region_path,
            "created_by_id": actor.id,
        },
    )
    session.add(need)
    session.flush()
    audit.record(session, actor, "need_created", object_type="need", object_id=need.id)
    return need


def update_need(session: Session, *, actor: User, need_id: int, data: NeedUpdate) -> Need:
    """Edit a need that is not closed."""
    ensure_role(actor, *WRITE_ROLES)
    need = get_need(session, actor=actor, need_id=need_id)
    if need.status == "closed":
        raise Conflict("需求已办结，不能再修改")
    _check_member(session, need.household_id, data.member_id)
    _check_deadline(data)
    for key, value in data.model_dump().items():
        setattr(need, key, value)
    need.updated_at = need.last_action_at = utc_now()
    session.add(need)
    session.commit()
    return need


def close_need(session: Session, *, actor: User, need_id: int, data: NeedClose) -> Need:
    """Close a need with its outcome; live referrals must be finished or withdrawn first."""
    ensure_role(actor, *WRITE_ROLES)
    need = get_need(session, actor=actor, need_id=need_id)
    if need.status == "closed":
        raise Conflict("需求已经办结")
    live = session.exec(
        select(func.count()).where(
            Referral.need_id == need.id, Referral.status.in_(ACTIVE_REFERRAL_STATES)
        )
    ).one()
    if live:
        raise Conflict("还有进行中的转介，请先完成或撤回", field="outcome")
    now = utc_now()
    need.status, need.outcome, need.outcome_note = "closed", data.outcome, data.note
    need.closed_at = need.updated_at = need.last_action_at = now
    session.add(need)
    audit.record(
        session,
        actor,
        "need_closed",
        object_type="need",
        object_id=need.id,
        detail={"outcome": data.outcome},
    )
    session.commit()
    return need


def search_needs(
    session: Session,
    *,
    actor: User,
    status: str = "",
    urgency: int | None = None,
    category: str = "",
    offset: int = 0,
    limit: int = 30,
) -> tuple[list[Need], int]:
    """Needs in scope, most urgent and oldest first."""
    query = _filtered(actor, status, urgency, category)
    query = query.order_by(Need.urgency.desc(), Need.created_at, Need.id)
    return paginate(session, query, offset=offset, limit=limit)


def _filtered(actor: User, status: str, urgency: int | None, category: str):
    query = visible_needs(actor)
    if status:
        query = query.where(Need.status == status)
    if urgency:
        query = query.where(Need.urgency == urgency)
    if category:
        query = query.where(Need.category == category)
    return query


# The needs list's order, most urgent and oldest first; served by the indexes
# ix_needs_urgency_created_at_id and ix_needs_status_urgency_created_at_id (migration 0020).
NEED_ORDER = (Key(Need.urgency, int, desc=True, among=(3, 2, 1)),
              Key(Need.created_at, datetime), Key(Need.id, int))


def need_page(
    session: Session,
    *,
    actor: User,
    status: str = "",
    urgency: int | None = None,
    category: str = "",
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """One page of the needs in scope, paged by cursor (a province has hundreds of thousands):
    reads the page's rows and counts at most COUNT_CAP; an invalid cursor is Invalid."""
    return keyset_page(session, _filtered(actor, status, urgency, category), NEED_ORDER,
                       read_cursor(cursor, NEED_ORDER), size)


def needs_of_household(session: Session, household_id: int) -> list[Need]:
    return list(
        session.exec(
            select(Need).where(Need.household_id == household_id).order_by(Need.id.desc())
        ).all()
    )


def timeline(session: Session, need: Need) -> list[TimelineEntry]:
    """Everything that happened to a need, oldest first: referrals, answers, visits, outcome."""
    entries = [
        TimelineEntry(
            at=need.created_at, kind="created", what=f"登记需求（{codes.URGENCY[need.urgency]}）"
        )
    ]
    rows = session.exec(
        select(ReferralEvent, Referral, Offer, Organisation, User)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .join(Offer, Offer.id == Referral.offer_id)
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .join(User, User.id == ReferralEvent.actor_id, isouter=True)
        .where(Referral.need_id == need.id)
    ).all()
    for event, referral, offer, org, actor in rows:
        who = f"（{actor.display_name}）" if actor else ""
        what = f"转介至{org.name}「{offer.title}」：{codes.REFERRAL_STATUSES[event.to_status]}{who}"
        if event.to_status == "declined" and referral.decline_reason:
            what += f"，原因：{codes.DECLINE_REASONS.get(referral.decline_reason, '')}"
        if event.note:
            what += f" — {event.note}"
        entries.append(
            TimelineEntry(at=event.at, kind="referral", what=what, link=f"/referrals/{referral.id}")
        )
    for visit in session.exec(select(FollowUp).where(FollowUp.need_id == need.id)).all():
        if visit.done_at:
            met = "需求已满足" if visit.need_met else "需求未满足"
            rating = f"，评分 {visit.rating}" if visit.rating else ""
            entries.append(
                TimelineEntry(at=visit.done_at, kind="follow_up", what=f"回访：{met}{rating}")
            )
    if need.closed_at:
        entries.append(
            TimelineEntry(
                at=need.closed_at,
                kind="closed",
                what=f"办结：{codes.NEED_OUTCOMES.get(need.outcome, '')}",
            )
        )
    return sorted(entries, key=lambda e: e.at)
