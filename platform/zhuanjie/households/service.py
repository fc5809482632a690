"""Households: registration, scoped reading, and logged reveals of personal fields."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import Session, select

from zhuanjie import audit, crypto
from zhuanjie.clock import add_months, today
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid, NotFound
from zhuanjie.households.schemas import (
    ChangeIn,
    EntitlementCreate,
    HouseholdCreate,
    HouseholdPublic,
    HouseholdUpdate,
    MemberCreate,
    MemberPublic,
    MemberRemoval,
    MemberUpdate,
)
from zhuanjie.models import Entitlement, Household, HouseholdChange, Member, User
from zhuanjie.pagination import paginate
from zhuanjie.policy import (
    ensure_role,
    in_region_scope,
    one_visible,
    region_scope,
)
from zhuanjie.validators import age_on, birth_date_from_id, sex_from_id

HOUSEHOLD_ROLES = ("caseworker", "supervisor", "admin")


def visible_households(user: User):
    """The one query every household list and lookup starts from."""
    return select(Household).where(region_scope(user, Household.region_path))


def create_household(session: Session, *, actor: User, data: HouseholdCreate) -> Household:
    """Register a household and its members in the caseworker's region."""
    household = add_household(session, actor=actor, data=data)
    session.commit()
    return household


def add_household(session: Session, *, actor: User, data: HouseholdCreate) -> Household:
    """The registration itself, for use cases that register a household as one step of
    their own (an intake from another department); the caller commits."""
    ensure_role(actor, "caseworker", "admin")
    if not in_region_scope(actor, data.region_path):
        raise Invalid("只能登记本辖区内的家庭", field="region_path")
    hashes = [crypto.keyed_hash(m.id_number) for m in data.members]
    for index, id_hash in enumerate(hashes):
        if id_hash in hashes[:index]:
            raise Invalid("同一身份证号在成员中出现了两次", field=f"members.{index}.id_number")
    lookups = [crypto.lookup_hashes(m.id_number) for m in data.members]
    _refuse_known_ids(session, actor, [h for hs in lookups for h in hs],
                      fields={h: f"members.{i}.id_number" for i, hs in enumerate(lookups)
                              for h in hs})
    household = Household(
        region_path=data.region_path,
        village=data.village,
        address_enc=crypto.encrypt(data.address),
        phone_enc=crypto.encrypt(data.phone),
        groups=data.groups,
        income_per_capita=data.income_per_capita,
        next_review_date=add_months(today(), get_settings().review_months),
        created_by_id=actor.id,
    )
    session.add(household)
    session.flush()
    for index, (m, id_hash) in enumerate(zip(data.members, hashes, strict=True)):
        session.add(_member(household.id, m, id_hash, is_head=index == 0))
    audit.record(
        session, actor, "household_created", object_type="household", object_id=household.id
    )
    session.flush()
    return household


def _member(household_id: int, m: MemberCreate, id_hash: str, *, is_head: bool) -> Member:
    return Member(
        household_id=household_id,
        name=m.name,
        relation=m.relation,
        is_head=is_head,
        id_number_enc=crypto.encrypt(m.id_number),
        id_number_hash=id_hash,
        id_last4=m.id_number[-4:],
        birth_date=birth_date_from_id(m.id_number),
        sex=sex_from_id(m.id_number),
        phone_enc=crypto.encrypt(m.phone),
        disability=m.disability,
        illness=m.illness,
    )


def _refuse_known_ids(
    session: Session, actor: User, hashes: list[str], fields: dict[str, str] | None = None
) -> None:
    """The same person may belong to one household only; say where only to those in scope.
    `fields` names the form field of each hash (a family form has one per member)."""
    clash = session.exec(
        select(Member, Household)
        .join(Household, Household.id == Member.household_id)
        .where(Member.id_number_hash.in_(hashes))
    ).first()
    if clash is None:
        return
    member, other = clash
    field = (fields or {}).get(member.id_number_hash, "id_number")
    if in_region_scope(actor, other.region_path):
        raise Conflict(
            f"该身份证号已登记在家庭 #{other.id}（{other.village or other.region_path}）",
            field=field,
        )
    raise Conflict("该身份证号已在其他辖区登记，请联系上级民政部门核实", field=field)


def get_household(session: Session, *, actor: User, household_id: int) -> Household:
    ensure_role(actor, *HOUSEHOLD_ROLES)
    return one_visible(session, visible_households(actor), Household, household_id,
                       missing="家庭不存在", hidden="该记录不在您的辖区范围内")


def members_of(session: Session, household: Household) -> list[Member]:
    return list(
        session.exec(
            select(Member)
            .where(Member.household_id == household.id, Member.removed_at.is_(None))
            .order_by(Member.is_head.desc(), Member.id)
        ).all()
    )


def household_public(session: Session, household: Household) -> HouseholdPublic:
    """The masked view: what lists and detail pages show until someone reveals a field."""
    members = [
        MemberPublic(
            id=m.id,
            name=m.name,
            relation=m.relation,
            is_head=m.is_head,
            id_number_masked=masked_id(m),
            phone_masked=crypto.mask_phone(crypto.decrypt(m.phone_enc)),
            age=age_on(m.birth_date, today()) if m.birth_date else None,
            sex=m.sex,
            disability=m.disability,
            illness=m.illness,
        )
        for m in members_of(session, household)
    ]
    return HouseholdPublic(
        id=household.id,
        region_path=household.region_path,
        village=household.village,
        groups=household.groups,
        income_per_capita=household.income_per_capita,
        status=household.status,
        next_review_date=household.next_review_date,
        transition_until_date=household.transition_until_date,
        address_masked=crypto.mask_address(crypto.decrypt(household.address_enc)),
        phone_masked=crypto.mask_phone(crypto.decrypt(household.phone_enc)),
        members=members,
    )


def search_households(
    session: Session, *, actor: User, q: str = "", offset: int = 0, limit: int = 30
) -> tuple[list[Household], int]:
    """Households in scope, by name, village, or an ID number's last four digits or in full."""
    ensure_role(actor, *HOUSEHOLD_ROLES)
    query = visible_households(actor)
    q = q.strip()
    if q:
        by_member = select(Member.household_id).where(
            or_(
                Member.name.contains(q),
                Member.id_last4 == q[-4:].upper() if len(q) == 4 else False,
                Member.id_number_hash.in_(crypto.lookup_hashes(q.upper()))
                if len(q) == 18
                else False,
            )
        )
        query = query.where(or_(Household.id.in_(by_member), Household.village.contains(q)))
    return paginate(session, query.order_by(Household.id.desc()), offset=offset, limit=limit)


REVEALABLE = {"id_number", "phone"}


def reveal_member_field(
    session: Session, *, actor: User, household_id: int, member_id: int, field: str, ip: str = ""
) -> str:
    """Show one personal field whole; the look is written to the audit log."""
    if field not in REVEALABLE:
        raise Invalid("只能查看身份证号或电话", field="field")
    household = get_household(session, actor=actor, household_id=household_id)
    ensure_role(actor, "caseworker", "admin")
    member = session.get(Member, member_id)
    if member is None or member.household_id != household.id:
        raise NotFound("成员不存在")
    value = crypto.decrypt(member.id_number_enc if field == "id_number" else member.phone_enc) or ""
    audit.record(
        session,
        actor,
        f"reveal_{field}",
        object_type="member",
        object_id=member.id,
        detail={"household_id": household.id},
        ip=ip,
    )
    session.commit()
    return value


def entitlements_of(session: Session, household_id: int) -> list[Entitlement]:
    return list(
        session.exec(
            select(Entitlement)
            .where(Entitlement.household_id == household_id)
            .order_by(Entitlement.since_date)
        ).all()
    )


def update_household(
    session: Session, *, actor: User, household_id: int, data: HouseholdUpdate
) -> Household:
    """Change a household's address, contact, groups or income."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    household.village = data.village
    household.address_enc = crypto.encrypt(data.address)
    household.phone_enc = crypto.encrypt(data.phone)
    household.groups = data.groups
    household.income_per_capita = data.income_per_capita
    household.updated_at = utc_now()
    session.add(household)
    audit.record(
        session, actor, "household_updated", object_type="household", object_id=household.id
    )
    session.commit()
    return household


def add_member(session: Session, *, actor: User, household_id: int, data: MemberCreate) -> Member:
    """Add a member; an ID number already registered anywhere is refused."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    id_hash = crypto.keyed_hash(data.id_number)
    _refuse_known_ids(session, actor, crypto.lookup_hashes(data.id_number))
    member = _member(household.id, data, id_hash, is_head=False)
    session.add(member)
    session.flush()
    _changed(session, actor, household, kind="member_joined", note=f"{member.name}加入本户",
             member_id=member.id)
    audit.record(session, actor, "member_added", object_type="household", object_id=household.id)
    session.commit()
    return member


def add_entitlement(
    session: Session, *, actor: User, household_id: int, data: EntitlementCreate
) -> Entitlement:
    """Record a government programme the household already receives."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    if data.until_date and data.until_date < data.since_date:
        raise Invalid("结束日期不能早于开始日期", field="until_date")
    row = Entitlement.model_validate(data, update={"household_id": household.id})
    session.add(row)
    session.commit()
    return row


def record_review(session: Session, *, actor: User, household_id: int) -> Household:
    """The annual review is done: the next one is due a review period from today."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    household.next_review_date = add_months(today(), get_settings().review_months)
    household.updated_at = utc_now()
    session.add(household)
    audit.record(
        session, actor, "household_reviewed", object_type="household", object_id=household.id
    )
    session.commit()
    return household


def start_transition(session: Session, *, actor: User, household_id: int) -> Household:
    """Income rose above the line: keep support for the transition period (渐退), then exit."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    if "dibao" not in household.groups:
        raise Conflict("只有低保家庭才能进入渐退期")
    if household.status == "transition":
        raise Conflict("该家庭已在渐退期内")
    household.status = "transition"
    household.transition_until_date = add_months(today(), get_settings().transition_months)
    household.updated_at = utc_now()
    session.add(household)
    audit.record(
        session,
        actor,
        "household_transition",
        object_type="household",
        object_id=household.id,
        detail={"until": household.transition_until_date.isoformat()},
    )
    session.commit()
    return household


def contact_for_edit(
    session: Session, *, actor: User, household_id: int, ip: str = ""
) -> tuple[Household, dict[str, str]]:
    """The household and its edit form's values, address and phone whole: the look is
    written to the audit log."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    values = {
        "village": household.village,
        "address": crypto.decrypt(household.address_enc) or "",
        "phone": crypto.decrypt(household.phone_enc) or "",
        "income_per_capita": ""
        if household.income_per_capita is None
        else str(household.income_per_capita),
    }
    audit.record(
        session,
        actor,
        "reveal_household_contact",
        object_type="household",
        object_id=household.id,
        ip=ip,
    )
    session.commit()
    return household, values


@dataclass
class HouseholdPage:
    household: HouseholdPublic
    changes: list[HouseholdChange]
    needs: list
    entitlements: list[Entitlement]


def household_page(session: Session, *, actor: User, household_id: int) -> HouseholdPage:
    """A household in scope, masked, with its latest recorded changes, its needs and the
    government programmes it receives."""
    from zhuanjie.needs import service as needs

    household = get_household(session, actor=actor, household_id=household_id)
    return HouseholdPage(household_public(session, household), _changes(session, household),
                         needs.needs_of_household(session, household.id),
                         entitlements_of(session, household.id))


def household_changes(session: Session, *, actor: User, household_id: int
                      ) -> list[HouseholdChange]:
    """A household's latest recorded changes (in scope), newest first."""
    return _changes(session, get_household(session, actor=actor, household_id=household_id))


def _changes(session: Session, household: Household) -> list[HouseholdChange]:
    return list(session.exec(
        select(HouseholdChange).where(HouseholdChange.household_id == household.id)
        .order_by(HouseholdChange.id.desc()).limit(20)
    ).all())


def household_view(session: Session, *, actor: User, household_id: int) -> HouseholdPublic:
    """A household in scope (404 unknown, 403 out of scope), masked."""
    return household_public(session, get_household(session, actor=actor, household_id=household_id))


def household_entitlements(
    session: Session, *, actor: User, household_id: int
) -> list[Entitlement]:
    """The government programmes a household in scope receives."""
    household = get_household(session, actor=actor, household_id=household_id)
    return entitlements_of(session, household.id)
def get_member(session: Session, *, actor: User, household_id: int, member_id: int
               ) -> tuple[Household, Member]:
    """A present member of a household in scope, for those who may change it."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    member = session.get(Member, member_id)
    if member is None or member.household_id != household.id or member.removed_at:
        raise NotFound("成员不存在")
    return household, member


def update_member(session: Session, *, actor: User, household_id: int, member_id: int,
                  data: MemberUpdate) -> Member:
    """Correct a member's name, relation, health or phone (a blank phone keeps the old one)."""
    household, member = get_member(session, actor=actor, household_id=household_id,
                                   member_id=member_id)
    if member.is_head and data.relation != "head":
        raise Invalid("户主的关系不能更改", field="relation")
    if not member.is_head and data.relation == "head":
        raise Invalid("本户已有户主", field="relation")
    member.name = data.name
    member.relation = data.relation
    member.disability = data.disability
    member.illness = data.illness
    if data.phone:
        member.phone_enc = crypto.encrypt(data.phone)
    household.updated_at = utc_now()
    session.add_all([member, household])
    audit.record(session, actor, "member_updated", object_type="member", object_id=member.id,
                 detail={"household_id": household.id})
    session.commit()
    return member


def remove_member(session: Session, *, actor: User, household_id: int, member_id: int,
                  data: MemberRemoval) -> Member:
    """A member left the household (moved out, died …): they leave its lists, their consents
    end (consents.service), the change is recorded and the household is due for review. The
    row stays for the needs and consents that name it; its lookup hash goes, so the person
    can be registered in another household."""
    from zhuanjie.consents import service as consents

    household, member = get_member(session, actor=actor, household_id=household_id,
                                   member_id=member_id)
    if member.is_head:
        raise Conflict("户主不能移除；户主变更请重新登记家庭", field="reason")
    reason = data.reason.strip()
    member.removed_at = utc_now()
    member.removed_by_id = actor.id
    member.removed_reason = reason
    member.id_number_hash = None
    session.add(member)
    ended = consents.end_for_member(session, actor=actor, member_id=member.id, reason=reason)
    _changed(session, actor, household, kind="member_left", note=f"{member.name}：{reason}",
             member_id=member.id)
    audit.record(session, actor, "member_removed", object_type="member", object_id=member.id,
                 detail={"household_id": household.id, "reason": reason,
                         "consents_ended": ended})
    session.commit()
    consents.public_pages_changed()
    return member


def record_change(session: Session, *, actor: User, household_id: int, data: ChangeIn
                  ) -> HouseholdChange:
    """A change of income or circumstance told at the household: recorded, the new income
    (if given) saved, and a review due from today."""
    ensure_role(actor, "caseworker", "admin")
    household = get_household(session, actor=actor, household_id=household_id)
    change = _changed(session, actor, household, kind=data.kind, note=data.note.strip(),
                      income_after=data.income_per_capita)
    audit.record(session, actor, "household_change", object_type="household",
                 object_id=household.id, detail={"kind": data.kind, "change_id": change.id})
    session.commit()
    return change


def _changed(session: Session, actor: User, household: Household, *, kind: str, note: str,
             member_id: int | None = None, income_after=None) -> HouseholdChange:
    change = HouseholdChange(
        household_id=household.id, kind=kind, note=note, member_id=member_id,
        income_before=household.income_per_capita,
        income_after=income_after if income_after is not None else household.income_per_capita,
        recorded_by_id=actor.id,
    )
    if income_after is not None:
        household.income_per_capita = income_after
    if household.next_review_date is None or household.next_review_date > today():
        household.next_review_date = today()  # the change is reviewed now, not next year
    household.updated_at = utc_now()
    session.add_all([change, household])
    session.flush()
    return change


def masked_id(member: Member) -> str:
    """The ID number as every list, page and export shows it: the last four digits only."""
    return "*" * 14 + member.id_last4 if member.id_last4 else ""
