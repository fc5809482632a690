"""Time limits on referrals: remind the organisation before, escalate after."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from zhuanjie import codes
from zhuanjie.clock import local_time
from zhuanjie.matches import service as matches
from zhuanjie.models import Need, Offer, Referral, Task
from zhuanjie.notifications import service as notifications
from zhuanjie.referrals.deadlines import deliver_by, remind_at
from zhuanjie.tasks import cancel, handles, schedule_many

ANSWER_TASKS = ("referral_remind", "referral_overdue")
DELIVERY_TASKS = ("delivery_remind", "delivery_overdue")


def schedule_answer(session: Session, referral: Referral) -> None:
    """When a referral is sent: a reminder at 3/4 of the time, an escalation at the limit."""
    deadline = referral.respond_by_at
    _schedule(session, referral, {
        "referral_remind": remind_at(referral.sent_at, deadline),
        "referral_overdue": deadline,
    })


def schedule_delivery(session: Session, referral: Referral, urgency: int) -> None:
    """When a referral is accepted: delivery is due by a day that depends on urgency."""
    cancel(session, object_type="referral", object_id=referral.id, kinds=ANSWER_TASKS)
    referral.deliver_by_date = deliver_by(referral.responded_at.date(), urgency)
    session.add(referral)
    deadline = local_time(referral.deliver_by_date, 18)
    _schedule(session, referral, {
        "delivery_remind": remind_at(referral.responded_at, deadline),
        "delivery_overdue": deadline,
    })


def _schedule(session: Session, referral: Referral, due: dict[str, datetime]) -> None:
    schedule_many(session, [
        {"kind": kind, "object_type": "referral", "object_id": referral.id, "due_at": at}
        for kind, at in due.items()
    ])


def stop_clocks(session: Session, referral: Referral) -> None:
    """Answered, delivered or ended: no more reminders about it."""
    cancel(
        session, object_type="referral", object_id=referral.id, kinds=ANSWER_TASKS + DELIVERY_TASKS
    )


def _context(session: Session, task: Task) -> tuple[Referral, Need, Offer]:
    referral = session.get(Referral, task.object_id)
    return referral, session.get(Need, referral.need_id), session.get(Offer, referral.offer_id)


def _remind_organisation(
    session: Session, task: Task, referral: Referral, *, kind: str, title: str, body: str
) -> str:
    notifications.notify(
        session,
        user_ids=notifications.organisation_staff(session, referral.organisation_id),
        kind=kind,
        title=title,
        body=body,
        link=f"/referrals/{referral.id}",
        dedupe_key=f"{task.kind}:{referral.id}",
    )
    return "reminded"


def _escalate(
    session: Session,
    task: Task,
    referral: Referral,
    need: Need,
    *,
    kind: str,
    title: str,
    body: str,
    link: str,
) -> str:
    """Tell the caseworker who sent it, the one who recorded the need, and the region's
    supervisors."""
    people = [u for u in (referral.sent_by_id, need.created_by_id) if u]
    notifications.notify(
        session,
        user_ids=people + notifications.supervisors_of(session, need.region_path),
        kind=kind,
        title=title,
        body=body,
        link=link,
        dedupe_key=f"{task.kind}:{referral.id}",
    )
    return "escalated"


@handles("referral_remind")
def remind_answer(session: Session, task: Task, now: datetime) -> str:
    referral, need, offer = _context(session, task)
    if referral.status != "sent":
        return "answered"
    return _remind_organisation(
        session,
        task,
        referral,
        kind="referral_reminder",
        title=f"请尽快答复转介：{need.title}",
        body=f"「{offer.title}」的{codes.URGENCY[need.urgency]}转介即将超过答复期限。",
    )


@handles("referral_overdue")
def escalate_answer(session: Session, task: Task, now: datetime) -> str:
    referral, need, offer = _context(session, task)
    if referral.status != "sent":
        return "answered"
    view = matches.rank_need(session, need, explain=False)
    nxt = next((m for m in view.ranked if m.offer.id != offer.id), None)
    hint = f"可考虑下一个匹配：「{nxt.offer.title}」（{nxt.organisation.name}）。" if nxt else ""
    return _escalate(
        session,
        task,
        referral,
        need,
        kind="referral_overdue",
        title=f"转介超期未答复：{need.title}",
        body=f"「{offer.title}」未在期限内答复。{hint}",
        link=f"/needs/{need.id}/matches",
    )


@handles("delivery_remind")
def remind_delivery(session: Session, task: Task, now: datetime) -> str:
    referral, need, offer = _context(session, task)
    if referral.status not in ("accepted", "in_service"):
        return "settled"
    return _remind_organisation(
        session,
        task,
        referral,
        kind="delivery_reminder",
        title=f"请按期送达：{need.title}",
        body=f"「{offer.title}」承诺于 {referral.deliver_by_date} 前送达。",
    )


@handles("delivery_overdue")
def escalate_delivery(session: Session, task: Task, now: datetime) -> str:
    referral, need, offer = _context(session, task)
    if referral.status not in ("accepted", "in_service"):
        return "settled"
    return _escalate(
        session,
        task,
        referral,
        need,
        kind="delivery_overdue",
        title=f"服务超期未送达：{need.title}",
        body=f"「{offer.title}」应于 {referral.deliver_by_date} 前送达，至今未登记送达。",
        link=f"/referrals/{referral.id}",
    )
