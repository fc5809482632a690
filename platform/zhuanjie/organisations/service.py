"""Organisations: registration (by staff or self sign-up), verification, profile, colleagues."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from zhuanjie import audit, regions
from zhuanjie.auth.passwords import hash_password
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanjie.models import Organisation, OrganisationEvent, Referral, User
from zhuanjie.offers import service as offers
from zhuanjie.organisations.schemas import (
    ColleagueCreate,
    EventPublic,
    OrganisationCreate,
    OrganisationProfile,
    OrganisationSignup,
)
from zhuanjie.pagination import paginate
from zhuanjie.policy import ensure_role, one_visible

STAFF_ROLES = ("admin", "supervisor")
# action -> (statuses it applies to, new status, reason required)
DECISIONS = {
    "verify": (("pending", "rejected"), "verified", False),
    "reject": (("pending",), "rejected", True),
    "suspend": (("verified",), "suspended", True),
    "reactivate": (("suspended",), "verified", True),
}


def visible_organisations(user: User | None):
    """The one query organisation lists and lookups start from.

    Platform staff see every organisation; org staff and donors their own and verified
    ones; everyone else verified ones only; private donors (people) are never listed.
    """
    query = select(Organisation)
    if user is not None and user.role in STAFF_ROLES:
        return query
    # A private donor is a person, not a listed organisation: never shown to the public.
    listed = and_(Organisation.status == "verified", Organisation.is_person.is_(False))
    if user is not None and user.organisation_id is not None:
        return query.where(or_(listed, Organisation.id == user.organisation_id))
    return query.where(listed)


def create_organisation(
    session: Session, *, actor: User | None, data: OrganisationCreate
) -> Organisation:
    """Register an organisation; it waits for verification."""
    if actor is not None:
        ensure_role(actor, "admin", "supervisor")
    org = _add_organisation(session, actor, data)
    session.commit()
    return org


def _add_organisation(session: Session, actor: User | None, data: OrganisationCreate):
    if data.kind in ("ngo", "enterprise") and not data.credit_code:
        raise Invalid("社会组织和企业须填写统一社会信用代码", field="credit_code")
    if (
        data.credit_code
        and session.exec(
            select(Organisation.id).where(Organisation.credit_code == data.credit_code)
        ).first()
    ):
        raise Conflict("该统一社会信用代码已登记", field="credit_code")
    org = Organisation.model_validate(data.model_dump(include=set(OrganisationCreate.model_fields)))
    session.add(org)
    session.flush()
    audit.record(
        session, actor, "organisation_created", object_type="organisation", object_id=org.id
    )
    return org


def _add_staff(session: Session, actor: User | None, org: Organisation, data) -> User:
    if session.exec(select(User.id).where(User.username == data.username)).first():
        raise Conflict("该用户名已被使用", field="username")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role="org_staff",
        organisation_id=org.id,
        email=getattr(data, "email", "") or data.model_dump().get("contact_email", ""),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor or user, "user_created", object_type="user", object_id=user.id,
        detail={"username": user.username, "role": user.role, "organisation_id": org.id},
    )
    return user


def sign_up(session: Session, *, data: OrganisationSignup) -> tuple[Organisation, User]:
    """An organisation registers itself and its first staff account; it waits for verification."""
    org = _add_organisation(session, None, data)
    user = _add_staff(session, None, org, data)
    session.commit()
    return org, user


def get_organisation(session: Session, *, actor: User | None, organisation_id: int):
    """One organisation the actor may see, or NotFound."""
    return one_visible(session, visible_organisations(actor), Organisation, organisation_id,
                       missing="机构不存在")


def decide(
    session: Session, *, actor: User, organisation_id: int, action: str, reason: str = ""
) -> Organisation:
    """Verify, reject, suspend or reactivate; the reason is kept with the event."""
    ensure_role(actor, *STAFF_ROLES)
    if action not in DECISIONS:
        raise NotFound("未知的操作")
    org = get_organisation(session, actor=actor, organisation_id=organisation_id)
    ensure_decides(actor, org)
    sources, target, needs_reason = DECISIONS[action]
    if org.status not in sources:
        raise Conflict("机构当前状态不能进行此操作")
    reason = reason.strip()
    if needs_reason and not reason:
        raise Invalid("请填写原因", field="reason")
    session.add(OrganisationEvent(organisation_id=org.id, from_status=org.status,
                                  to_status=target, reason=reason, actor_id=actor.id))
    audit.record(session, actor, f"organisation_{action}", object_type="organisation",
                 object_id=org.id, detail={"from": org.status, "reason": reason})
    org.status = target
    org.status_reason = reason
    org.updated_at = utc_now()
    if target == "verified" and org.verified_at is None:
        org.verified_at = utc_now()
    session.add(org)
    if target in CUT_OFF:
        _return_referrals(session, actor, org, reason)
    session.commit()
    return org


def events(session: Session, *, actor: User, organisation_id: int) -> list[EventPublic]:
    """The organisation's status history, newest first (its staff and platform staff)."""
    org = _manageable(session, actor, organisation_id, staff_may=True)
    rows = session.exec(
        select(OrganisationEvent, User)
        .join(User, User.id == OrganisationEvent.actor_id, isouter=True)
        .where(OrganisationEvent.organisation_id == org.id)
        .order_by(OrganisationEvent.id.desc())
    ).all()
    return [
        EventPublic(id=e.id, from_status=e.from_status, to_status=e.to_status, reason=e.reason,
                    actor_name=u.display_name if u else "系统", at=e.at)
        for e, u in rows
    ]


def _manageable(session: Session, actor: User, organisation_id: int, *, staff_may: bool):
    org = get_organisation(session, actor=actor, organisation_id=organisation_id)
    ensure_manager(actor, org, staff_may=staff_may)
    return org


def ensure_manager(actor: User, org: Organisation, *, staff_may: bool | None = None) -> None:
    """Own staff manage an organisation; admins too (and supervisors where `staff_may`)."""
    own = actor.role == "org_staff" and actor.organisation_id == org.id
    if staff_may is None:
        staff_may = actor.role == "admin"
    if not own and not (staff_may and actor.role in STAFF_ROLES):
        raise Forbidden("只有本机构的工作人员可以进行此操作")


def update_profile(
    session: Session, *, actor: User, organisation_id: int, data: OrganisationProfile
) -> Organisation:
    """The organisation's staff (or an admin) update its contact details and description."""
    org = _manageable(session, actor, organisation_id, staff_may=actor.role == "admin")
    for key, value in data.model_dump().items():
        setattr(org, key, value)
    org.updated_at = utc_now()
    session.add(org)
    audit.record(session, actor, "organisation_updated", object_type="organisation",
                 object_id=org.id)
    session.commit()
    return org


def colleagues(session: Session, *, actor: User, organisation_id: int) -> list[User]:
    """The organisation's staff accounts."""
    org = _manageable(session, actor, organisation_id, staff_may=True)
    return list(session.exec(
        select(User).where(User.organisation_id == org.id, User.role == "org_staff")
        .order_by(User.id)
    ).all())


def invite_colleague(
    session: Session, *, actor: User, organisation_id: int, data: ColleagueCreate
) -> User:
    """A staff member creates an account for a colleague in the same organisation."""
    org = _manageable(session, actor, organisation_id, staff_may=actor.role == "admin")
    user = _add_staff(session, actor, org, data)
    session.commit()
    return user


def list_organisations(
    session: Session, *, actor: User, kind: str | None = None, status: str | None = None,
    offset: int = 0, limit: int = 50,
) -> tuple[list[Organisation], int]:
    """Organisations, by name; staff of the platform see all, others verified ones only."""
    query = visible_organisations(actor)
    if kind:
        query = query.where(Organisation.kind == kind)
    if status:
        query = query.where(Organisation.status == status)
    return paginate(session, query.order_by(Organisation.name), offset=offset, limit=limit)


def names_of(session: Session, ids: set[int] | list[int]) -> dict[int, str]:
    """{organisation id: name} for the given ids, in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Organisation.id, Organisation.name)
                        .where(Organisation.id.in_(list(ids)))).all()
    return dict(rows)


def choices(session: Session, *, actor: User) -> list[Organisation]:
    """The organisations the actor may see, by name, for a form's picker."""
    return list(session.exec(visible_organisations(actor).order_by(Organisation.name)).all())


def own_organisation(session: Session, *, actor: User | None) -> Organisation | None:
    """The organisation the actor works for (org staff, donors), if any."""
    if actor is None or not actor.organisation_id:
        return None
    return session.get(Organisation, actor.organisation_id)


def department_of(session: Session, *, actor: User | None) -> str | None:
    """The department (codes.DEPARTMENTS) the actor works for, if the actor is staff of a
    verified government body that has one: a "department user", who may exchange rolls,
    referrals and alerts with civil affairs. None for everyone else."""
    org = own_organisation(session, actor=actor) if actor and actor.role == "org_staff" else None
    if org is None or org.kind != "government" or org.status != "verified":
        return None
    return org.department


def ensure_department(
    session: Session, *, actor: User | None, allowed: tuple[str, ...] = ()
) -> str:
    """The actor's department, or Forbidden when the actor is no department user (or not of
    one of the `allowed` departments, when any are named)."""
    department = department_of(session, actor=actor)
    if department is None or (allowed and department not in allowed):
        raise Forbidden("仅限政府部门工作人员")
    return department


@dataclass
class OrganisationPage:
    """One organisation as its page shows it; the history and colleagues only to those who
    manage it (its own staff, platform staff)."""

    organisation: Organisation
    manage: bool
    events: list[EventPublic]
    colleagues: list[User]
    offers: list
    decisions: list[str]


def organisation_page(
    session: Session, *, actor: User | None, organisation_id: int
) -> OrganisationPage:
    """An organisation the actor may see (NotFound otherwise) with its live offers."""
    org = get_organisation(session, actor=actor, organisation_id=organisation_id)
    manage = actor is not None and (
        actor.role in STAFF_ROLES or (actor.role == "org_staff" and actor.organisation_id == org.id)
    )
    return OrganisationPage(
        organisation=org,
        manage=manage,
        events=events(session, actor=actor, organisation_id=org.id) if manage else [],
        colleagues=colleagues(session, actor=actor, organisation_id=org.id) if manage else [],
        offers=offers.offers_public(session, offers.published_by(session, organisation_id=org.id)),
        decisions=[a for a, (src, _t, _r) in DECISIONS.items() if org.status in src]
        if may_decide(actor, org) else [],
    )


# An organisation in one of these states loses access to household data at once.
CUT_OFF = ("suspended", "rejected")


def ensure_decides(actor: User, org: Organisation) -> None:
    """Admins decide city-wide; a supervisor only on organisations registered in their
    region (an organisation without a service area is city-wide: admins and city
    supervisors)."""
    if actor.role == "admin":
        return
    area = org.service_area or regions.root_path()
    if not (actor.role == "supervisor" and actor.region_path
            and regions.within(area, actor.region_path)):
        raise Forbidden("该机构不在您的辖区登记，只能由其所在辖区的监管人员或管理员审核")


def _return_referrals(session: Session, actor: User, org: Organisation, reason: str) -> None:
    """The organisation's live referrals go back to their caseworkers, places released."""
    from zhuanjie.referrals import service as referrals

    # A pledge's referral is the caseworker's own to settle with the pledge; it stays.
    live = session.exec(
        select(Referral).where(Referral.organisation_id == org.id, Referral.pledge_id.is_(None),
                               Referral.status.in_(referrals.LIVE))
        .order_by(Referral.id)
    ).all()
    status = "暂停" if org.status == "suspended" else "未通过认证"
    referrals.return_to_caseworker(
        session, actor=actor, referrals=list(live), kind="referral_returned",
        reason=f"服务机构「{org.name}」已{status}（{reason}），转介已退回。",
    )


def may_decide(user: User | None, org: Organisation) -> bool:
    """Whether the page offers this user the verify / reject / suspend buttons."""
    if user is None or user.role not in STAFF_ROLES:
        return False
    try:
        ensure_decides(user, org)
    except Forbidden:
        return False
    return True
