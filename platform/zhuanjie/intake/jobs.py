"""Time limits on intakes, on the same due-work queue and deadlines as referrals: the township's
caseworkers are reminded at three quarters of the answer time, and at the limit they, the
region's supervisors and the sender are told it is overdue."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from zhuanjie import codes, regions
from zhuanjie.models import Intake, Task, User
from zhuanjie.notifications import service as notifications
from zhuanjie.referrals.deadlines import remind_at
from zhuanjie.tasks import cancel, handles, schedule_many

ANSWER_TASKS = (codes.TaskKind.INTAKE_REMIND, codes.TaskKind.INTAKE_OVERDUE)


def caseworkers_for(session: Session, region_path: str) -> list[int]:
    """Active caseworkers whose region holds this township (its own, its county's …)."""
    return list(
        session.exec(
            select(User.id).where(
                User.role == "caseworker",
                User.is_active,
                User.region_path.in_(regions.ancestors(region_path)),
            ).order_by(User.id)
        ).all()
    )


def schedule_answer(session: Session, intake: Intake) -> None:
    schedule_many(session, [
        {"kind": str(codes.TaskKind.INTAKE_REMIND), "object_type": "intake",
         "object_id": intake.id, "due_at": remind_at(intake.received_at, intake.respond_by_at)},
        {"kind": str(codes.TaskKind.INTAKE_OVERDUE), "object_type": "intake",
         "object_id": intake.id, "due_at": intake.respond_by_at},
    ])


def stop_clocks(session: Session, intake: Intake) -> None:
    cancel(session, object_type="intake", object_id=intake.id,
           kinds=tuple(str(k) for k in ANSWER_TASKS))


@handles(codes.TaskKind.INTAKE_REMIND)
def remind(session: Session, task: Task, now: datetime) -> str:
    intake = session.get(Intake, task.object_id)
    if intake is None or intake.status != codes.IntakeStatus.RECEIVED:
        return "answered"
    notifications.notify(
        session,
        user_ids=caseworkers_for(session, intake.region_path),
        kind="intake_reminder",
        title=f"请尽快受理{codes.INTAKE_KINDS[intake.kind]}",
        body=f"{codes.URGENCY[intake.urgency]}，即将超过受理期限。",
        link=f"/intakes/{intake.id}",
        dedupe_key=f"{task.kind}:{intake.id}",
    )
    return "reminded"


@handles(codes.TaskKind.INTAKE_OVERDUE)
def escalate(session: Session, task: Task, now: datetime) -> str:
    intake = session.get(Intake, task.object_id)
    if intake is None or intake.status != codes.IntakeStatus.RECEIVED:
        return "answered"
    people = caseworkers_for(session, intake.region_path)
    people += notifications.supervisors_of(session, intake.region_path)
    people += notifications.organisation_staff(session, intake.sender_org_id)
    notifications.notify(
        session,
        user_ids=people,
        kind="intake_overdue",
        title=f"{codes.INTAKE_KINDS[intake.kind]}超期未受理（{regions.short_name(intake.region_path)}）",
        body="已超过受理期限，请尽快受理或说明不予受理的理由。",
        link=f"/intakes/{intake.id}",
        dedupe_key=f"{task.kind}:{intake.id}",
    )
    return "escalated"
