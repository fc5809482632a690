"""The one owner of the intake lifecycle: `open_intake` and `move`.

An intake (a referral from another department, or a monitoring alert) is received into the
township's caseworker queue with an answer deadline (referrals.deadlines, by urgency) and its
reminder and escalation (tasks); a caseworker accepts it (with the household and need it
became), declines it with a reason, or closes it with an outcome. A move is one conditional
UPDATE from the states `TRANSITIONS` allows, so two caseworkers acting at once cannot both
succeed; the deadline tasks stop with the first answer, and the sender's staff are told.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, update

from zhuanjie import codes, transitions
from zhuanjie.codes import IntakeStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.intake import jobs
from zhuanjie.models import Intake, User
from zhuanjie.notifications import service as notifications
from zhuanjie.referrals.deadlines import respond_by

S = IntakeStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.DECLINED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.DECLINED: frozenset(),
    S.CLOSED: frozenset(),
}
_VERB = {S.RECEIVED: "重新接收", S.ACCEPTED: "受理", S.DECLINED: "不予受理", S.CLOSED: "办结"}


def sources(to: str) -> tuple[str, ...]:
    return transitions.sources(TRANSITIONS, IntakeStatus(to))


def open_intake(
    session: Session, intake: Intake, *, at: datetime | None = None, queue: bool = True
) -> Intake:
    """Receive an intake: with `queue`, into the caseworkers' queue with its deadline, its
    reminder and escalation, the township's caseworkers told. Without (an alert that
    becomes a known household's need at once) the caller accepts it next. The caller
    commits."""
    now = at or utc_now()
    intake.status, intake.received_at, intake.updated_at = S.RECEIVED, now, now
    intake.respond_by_at = respond_by(now, intake.urgency) if queue else None
    session.add(intake)
    session.flush()
    if queue:
        jobs.schedule_answer(session, intake)
        label = codes.INTAKE_KINDS[intake.kind]
        notifications.notify(
            session,
            user_ids=jobs.caseworkers_for(session, intake.region_path),
            kind="intake_received",
            title=f"收到{label}：{codes.CATEGORIES.get(intake.category, '')}",
            body=f"{codes.URGENCY[intake.urgency]}，请在期限内受理或说明不予受理的理由。",
            link=f"/intakes/{intake.id}",
        )
    return intake


def move(
    session: Session,
    intake: Intake,
    *,
    to: str,
    by: User | None,
    at: datetime | None = None,
    household_id: int | None = None,
    need_id: int | None = None,
    reason: str = "",
    outcome: str | None = None,
    note: str = "",
) -> Intake:
    """Move an intake to `to` from a state that allows it; Conflict (nothing changed)
    otherwise. The caller commits."""
    to = IntakeStatus(to)
    now = at or utc_now()
    values: dict = {"status": to, "updated_at": now}
    if intake.status == S.RECEIVED:
        values |= {"answered_at": now, "answered_by_id": by.id if by else None}
    if to == S.ACCEPTED:
        values |= {"household_id": household_id, "need_id": need_id}
    if to == S.DECLINED:
        values["decline_reason"] = reason
    if to == S.CLOSED:
        values |= {"outcome": outcome, "outcome_note": note, "closed_at": now}
    moved = session.exec(
        update(Intake)
        .where(Intake.id == intake.id, Intake.status.in_(sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        session.refresh(intake)
        current = codes.INTAKE_STATUSES.get(intake.status, intake.status)
        raise Conflict(f"该转介当前为「{current}」，不能{_VERB[to]}")
    session.refresh(intake)
    jobs.stop_clocks(session, intake)
    if by is not None:  # an alert accepted by the platform itself tells nobody
        notifications.notify(
            session,
            user_ids=notifications.organisation_staff(session, intake.sender_org_id),
            kind="intake_answered",
            title=f"{codes.INTAKE_KINDS[intake.kind]}{codes.INTAKE_STATUSES[to]}",
            body=reason or codes.INTAKE_OUTCOMES.get(outcome or "", "") or note,
            link=f"/intakes/{intake.id}",
        )
    session.flush()
    return intake
