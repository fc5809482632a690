"""Referrals between departments and monitoring alerts: what a department sends, what the
township's caseworker does with it, and what the sender sees come of it.

A department user (staff of a verified government body with a department) sends a household
to civil affairs or reports monitoring alerts; each becomes an intake routed to the township
(that of the registered household with the same ID number, found by its keyed hash, when
there is one). An alert about a registered household becomes that household's need at once.
The sender reads its own organisation's intakes only, and only what it sent plus the status
and outcome; caseworkers read those of their region.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from zhuanjie import audit, codes, crypto, regions
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid
from zhuanjie.households import service as households
from zhuanjie.households.schemas import HouseholdCreate, MemberCreate
from zhuanjie.intake import alert_format, flow, jobs
from zhuanjie.intake.schemas import (
    AcceptIn,
    AlertIn,
    AlertOutcome,
    CloseIn,
    DeclineIn,
    IntakeCreate,
    IntakePublic,
)
from zhuanjie.models import Household, Intake, Member, Need, User
from zhuanjie.needs import service as needs
from zhuanjie.needs.schemas import NeedCreate
from zhuanjie.notifications import service as notifications
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import count, paginate
from zhuanjie.policy import ensure_role, one_visible, region_filter

STAFF_ROLES = ("caseworker", "supervisor", "admin")
ACT_ROLES = ("caseworker", "admin")
BOXES = {"received": ("received",), "accepted": ("accepted",), "done": ("declined", "closed")}


# --- reading -----------------------------------------------------------------------------------


def visible_intakes(session: Session, user: User):
    """The one query every intake list and lookup starts from: platform staff see their
    region's, a department user its own organisation's; nobody else any."""
    if user.role in STAFF_ROLES:
        return select(Intake).where(region_filter(user, Intake.region_path))
    organisations.ensure_department(session, actor=user)
    return select(Intake).where(Intake.sender_org_id == user.organisation_id)


def get_intake(session: Session, *, actor: User, intake_id: int) -> Intake:
    return one_visible(session, visible_intakes(session, actor), Intake, intake_id,
                       missing="转介不存在", hidden="该转介不在您的范围内")


def is_sender(user: User) -> bool:
    return user.role not in STAFF_ROLES


def public(session: Session, actor: User, intake: Intake) -> IntakePublic:
    need = session.get(Need, intake.need_id) if intake.need_id else None
    staff = not is_sender(actor)
    fields = intake.model_dump(include=set(IntakePublic.model_fields))
    if not staff:  # what it sent, not where the household it matched lives, nor which
        fields |= {"region_path": intake.sent_region_path or intake.region_path,
                   "household_id": None, "need_id": None}
    return IntakePublic(
        **fields,
        name=crypto.decrypt(intake.name_enc) or "",
        id_number_masked=crypto.mask_id_number("0" * 14 + intake.id_last4),
        need_status=need.status if need else None,
        need_outcome=need.outcome if need else None,
    )


@dataclass
class IntakeList:
    rows: list[IntakePublic]
    total: int
    counts: dict[str, int]
    box: str


def list_intakes(
    session: Session, *, actor: User, box: str = "received", offset: int = 0, limit: int = 30
) -> IntakeList:
    """One box of intakes (to receive, accepted, done), oldest waiting first for the
    caseworker, newest first for the sender; with counts per box."""
    base = visible_intakes(session, actor)
    box = box if box in BOXES else "received"
    counts = {name: count(session, base.where(Intake.status.in_(states)))
              for name, states in BOXES.items()}
    order = Intake.id.desc() if is_sender(actor) else Intake.received_at
    rows, total = paginate(session, base.where(Intake.status.in_(BOXES[box])).order_by(order),
                           offset=offset, limit=limit)
    return IntakeList([public(session, actor, r) for r in rows], total, counts, box)


def intake_view(session: Session, *, actor: User, intake_id: int) -> IntakePublic:
    return public(session, actor, get_intake(session, actor=actor, intake_id=intake_id))


# --- sending -----------------------------------------------------------------------------------


def _household_with(session: Session, id_hashes: list[str]) -> tuple[Household, Member] | None:
    # The platform itself looks: the sender learns nothing of the household from it.
    return session.exec(
        select(Household, Member).join(Member, Member.household_id == Household.id)
        .where(Member.id_number_hash.in_(id_hashes))
    ).first()


def _household_of(session: Session, intake: Intake) -> Household | None:
    if intake.household_id:
        return session.get(Household, intake.household_id)
    found = _household_with(session, [intake.id_number_hash])
    if found is None and intake.id_number_enc:
        found = _household_with(session, crypto.lookup_hashes(crypto.decrypt(intake.id_number_enc)))
    return found[0] if found else None


def _new_intake(session: Session, actor: User, data, **fields) -> tuple[Intake, Member | None]:
    """The intake for a person, routed to the township of their registered household if
    there is one, else to the township the sender named (within its own service area)."""
    org = organisations.own_organisation(session, actor=actor)
    if org.service_area and not regions.within(data.region_path, org.service_area):
        raise Invalid("该镇（街道）不在本部门的辖区内", field="region_path")
    found = _household_with(session, crypto.lookup_hashes(data.id_number))
    household, member = found if found else (None, None)
    intake = Intake(
        sender_org_id=org.id, sent_by_id=actor.id,
        region_path=household.region_path if household else data.region_path,
        sent_region_path=data.region_path, village=data.village, name_enc=crypto.encrypt(data.name),
        id_number_enc=crypto.encrypt(data.id_number),
        id_number_hash=crypto.keyed_hash(data.id_number), id_last4=data.id_number[-4:],
        household_id=household.id if household else None, situation=data.situation, **fields,
    )
    return intake, member


def send_intake(session: Session, *, actor: User, data: IntakeCreate) -> IntakePublic:
    """A department refers a household to civil affairs: into the township's queue."""
    organisations.ensure_department(session, actor=actor)
    intake, _member = _new_intake(
        session, actor, data, kind="referral", reason=data.reason,
        income_per_capita=data.income_per_capita, category=data.category,
        urgency=data.urgency,
    )
    flow.open_intake(session, intake)
    audit.record(session, actor, "intake_sent", object_type="intake", object_id=intake.id)
    session.commit()
    return public(session, actor, intake)


def _add_alert(session: Session, actor: User, data: AlertIn) -> AlertOutcome:
    org_id = actor.organisation_id
    known = session.exec(select(Intake).where(Intake.sender_org_id == org_id,
                                              Intake.external_id == data.external_id)).first()
    if known is not None:
        return _outcome(session, known, duplicate=True)
    category, urgency = codes.ALERT_NEEDS[data.signal]
    label = codes.ALERT_SIGNALS[data.signal]
    intake, member = _new_intake(
        session, actor, data, kind="alert", external_id=data.external_id, signal=data.signal,
        reason=f"监测预警：{label}", amount=data.amount, occurred_date=data.occurred_date,
        category=category, urgency=urgency,
    )
    if member is None:
        flow.open_intake(session, intake)
        return _outcome(session, intake)
    # A registered household: the alert is its need at once, for its caseworkers to match.
    flow.open_intake(session, intake, queue=False)
    now = utc_now()
    need = Need(
        household_id=intake.household_id, member_id=member.id, region_path=intake.region_path,
        category=category, urgency=urgency, title=f"监测预警：{label}"[:120],
        description=data.situation or label, amount_needed=data.amount,
        created_at=now, updated_at=now, last_action_at=now,
    )
    session.add(need)
    session.flush()
    flow.move(session, intake, to="accepted", by=None, household_id=intake.household_id,
              need_id=need.id)
    notifications.notify(
        session, user_ids=jobs.caseworkers_for(session, intake.region_path),
        kind="alert_need", title=f"监测预警生成需求：{label}",
        body=f"{codes.URGENCY[urgency]}，请尽快匹配帮扶项目。", link=f"/needs/{need.id}",
    )
    return _outcome(session, intake)


def _outcome(session: Session, intake: Intake, *, duplicate: bool = False) -> AlertOutcome:
    return AlertOutcome(external_id=intake.external_id or "", intake_id=intake.id,
                        status=intake.status, result=outcome_text(session, intake),
                        duplicate=duplicate)


def outcome_text(session: Session, intake: Intake) -> str:
    """What came of an intake, in the sender's words: no household or need ids."""
    if intake.status == "received":
        return "已转镇（街道）经办人员核实，待受理"
    if intake.status == "declined":
        return f"不予受理：{intake.decline_reason}"
    if intake.status == "closed":
        text = codes.INTAKE_OUTCOMES.get(intake.outcome or "", "")
        return f"已办结：{text}" + (f"（{intake.outcome_note}）" if intake.outcome_note else "")
    need = session.get(Need, intake.need_id) if intake.need_id else None
    if need is None:
        return "已受理"
    state = codes.NEED_STATUSES.get(need.status, need.status)
    if need.outcome:
        state += "：" + codes.NEED_OUTCOMES.get(need.outcome, need.outcome)
    return f"已生成救助需求（{state}）"


def receive_alert(session: Session, *, actor: User, data: AlertIn) -> AlertOutcome:
    """One alert from a department's system; the same external id again changes nothing."""
    organisations.ensure_department(session, actor=actor)
    outcome = _add_alert(session, actor, data)
    if not outcome.duplicate:
        audit.record(session, actor, "alerts_imported", object_type="intake",
                     object_id=outcome.intake_id, detail={"count": 1, "via": "api"})
    session.commit()
    return outcome


@dataclass
class AlertImport:
    sheet: alert_format.Sheet
    outcomes: list[AlertOutcome]

    @property
    def added(self) -> int:
        return sum(1 for o in self.outcomes if not o.duplicate)


def import_alerts(session: Session, *, actor: User, filename: str, content: bytes) -> AlertImport:
    """A sheet of alerts: all rows checked first; nothing is written unless every row is
    right; alerts imported before (same 预警编号) are left as they are."""
    organisations.ensure_department(session, actor=actor)
    sheet = alert_format.read_sheet(filename, content)
    if not sheet.ok:
        return AlertImport(sheet, [])
    outcomes = []
    savepoint = session.begin_nested()
    for row in sheet.rows:
        try:
            outcomes.append(_add_alert(session, actor, row.data))
        except Invalid as exc:
            row.errors[exc.field or "__all__"] = exc.message
    if sheet.wrong:
        savepoint.rollback()
        return AlertImport(sheet, [])
    savepoint.commit()
    result = AlertImport(sheet, outcomes)
    audit.record(session, actor, "alerts_imported", detail={
        "file": filename[:120], "rows": len(outcomes), "added": result.added})
    session.commit()
    return result


def export_alerts(session: Session, *, actor: User, fmt: str) -> bytes:
    """Every alert the actor's organisation sent, in the upload's layout, with its outcome."""
    organisations.ensure_department(session, actor=actor)
    rows = session.exec(
        visible_intakes(session, actor).where(Intake.kind == "alert").order_by(Intake.id)
    ).all()
    out = [[
        i.external_id, codes.ALERT_SIGNALS.get(i.signal or "", i.signal),
        crypto.decrypt(i.name_enc), crypto.mask_id_number("0" * 14 + i.id_last4),
        regions.short_name(i.sent_region_path or i.region_path), i.village, i.situation,
        str(i.amount) if i.amount is not None else "",
        i.occurred_date.isoformat() if i.occurred_date else "",
        codes.INTAKE_STATUSES.get(i.status, i.status), outcome_text(session, i),
        _local(i.answered_at),
    ] for i in rows]
    return alert_format.write(out, "xlsx" if fmt == "xlsx" else "csv", outcome=True)


def _local(at) -> str:
    from zhuanjie.clock import local_text

    return local_text(at) if at else ""


def alerts_of(session: Session, *, actor: User, offset: int = 0, limit: int = 30):
    """The department's alerts, newest first, each with its outcome text."""
    organisations.ensure_department(session, actor=actor)
    query = visible_intakes(session, actor).where(Intake.kind == "alert").order_by(
        Intake.id.desc())
    rows, total = paginate(session, query, offset=offset, limit=limit)
    return [(public(session, actor, r), outcome_text(session, r)) for r in rows], total


# --- the caseworker's answer -------------------------------------------------------------------


def _actionable(session: Session, actor: User, intake_id: int) -> Intake:
    intake = get_intake(session, actor=actor, intake_id=intake_id)
    ensure_role(actor, *ACT_ROLES)
    return intake


def accept(session: Session, *, actor: User, intake_id: int, data: AcceptIn) -> IntakePublic:
    """Accept: the need recorded on the household with this ID number, registered now from
    the intake (its head the person named) when there is none yet."""
    intake = _actionable(session, actor, intake_id)
    if intake.status != "received":
        raise Conflict("该转介已处理过")
    household = _household_of(session, intake)
    if household is not None:
        household = households.get_household(session, actor=actor, household_id=household.id)
    else:
        if data.household is None:
            raise Invalid("尚未登记此身份证号的家庭，请填写家庭登记信息", field="household")
        household = households.add_household(session, actor=actor, data=HouseholdCreate(
            region_path=intake.region_path, **data.household.model_dump(),
            members=[MemberCreate(name=crypto.decrypt(intake.name_enc) or "未知",
                                  id_number=crypto.decrypt(intake.id_number_enc) or "")],
        ))
    member = _household_with(session, crypto.lookup_hashes(crypto.decrypt(intake.id_number_enc)))
    need = needs.add_need(session, actor=actor, household_id=household.id, data=NeedCreate(
        category=data.category, title=data.title, description=data.description,
        urgency=data.urgency, member_id=member[1].id if member else None,
    ))
    flow.move(session, intake, to="accepted", by=actor, household_id=household.id,
              need_id=need.id)
    audit.record(session, actor, "intake_accepted", object_type="intake", object_id=intake.id)
    session.commit()
    return public(session, actor, intake)


def decline(session: Session, *, actor: User, intake_id: int, data: DeclineIn) -> IntakePublic:
    intake = _actionable(session, actor, intake_id)
    flow.move(session, intake, to="declined", by=actor, reason=data.reason)
    audit.record(session, actor, "intake_declined", object_type="intake", object_id=intake.id)
    session.commit()
    return public(session, actor, intake)


def close(session: Session, *, actor: User, intake_id: int, data: CloseIn) -> IntakePublic:
    intake = _actionable(session, actor, intake_id)
    flow.move(session, intake, to="closed", by=actor, outcome=data.outcome, note=data.note)
    audit.record(session, actor, "intake_closed", object_type="intake", object_id=intake.id)
    session.commit()
    return public(session, actor, intake)


def prefill(session: Session, *, actor: User, intake_id: int) -> dict[str, str]:
    """The accept form's first values, from what the sender wrote."""
    intake = _actionable(session, actor, intake_id)
    label = codes.ALERT_SIGNALS.get(intake.signal or "") or codes.CATEGORIES[intake.category]
    return {
        "category": intake.category, "urgency": str(intake.urgency),
        "title": (f"部门转介：{label}" if intake.kind == "referral" else f"监测预警：{label}"),
        "description": "\n".join(t for t in (intake.reason, intake.situation) if t),
        "village": intake.village,
        "income_per_capita": str(intake.income_per_capita or ""),
    }


# --- what the pages show --------------------------------------------------------------------


@dataclass
class IntakePage:
    intake: IntakePublic
    household: Household | None  # the caseworker's: linked, or found by the ID number
    prefill: dict[str, str]
    sender: str  # the sending organisation's name
    may_act: bool


def intake_page(session: Session, *, actor: User, intake_id: int) -> IntakePage:
    row = get_intake(session, actor=actor, intake_id=intake_id)
    may_act = actor.role in ACT_ROLES
    return IntakePage(
        intake=public(session, actor, row),
        household=None if is_sender(actor) else _household_of(session, row),
        prefill=prefill(session, actor=actor, intake_id=row.id) if may_act else {},
        sender=organisations.names_of(session, {row.sender_org_id}).get(row.sender_org_id, ""),
        may_act=may_act,
    )


def townships_for(session: Session, *, actor: User) -> list[tuple[str, str]]:
    """The townships a department user may send to (its service area's), as (path, label)."""
    organisations.ensure_department(session, actor=actor)
    org = organisations.own_organisation(session, actor=actor)
    area = org.service_area or regions.root_path()
    return [(t.path, regions.short_name(t.path)) for t in regions.townships()
            if regions.within(t.path, area)]


def alert_template(session: Session, *, actor: User, fmt: str) -> bytes:
    organisations.ensure_department(session, actor=actor)
    return alert_format.template(fmt)
