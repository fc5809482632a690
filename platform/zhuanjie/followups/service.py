"""Follow-up visits: scheduled by delivery, recorded by the caseworker, closing or reopening
the need."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.clock import local_time, today
from zhuanjie.codes import FollowUpStatus
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.followups import flow
from zhuanjie.followups.schemas import FollowUpRecord
from zhuanjie.models import FollowUp, Need, Referral, User
from zhuanjie.pagination import paginate
from zhuanjie.policy import ensure_role, one_visible, region_filter
from zhuanjie.tasks import schedule_many

# After the due day: remind the caseworker two days late, tell the supervisor five days late.
MISSED_AFTER_DAYS = 2
ESCALATE_AFTER_DAYS = 5
KINDS = flow.TASK_KINDS


def days_for(category: str) -> list[int]:
    settings = get_settings()
    return settings.followup_days_by_category.get(category, settings.followup_days)


def schedule_after_delivery(session: Session, referral: Referral) -> list[FollowUp]:
    """Delivery schedules the visits (7 and 30 days by default) and their reminders."""
    need = session.get(Need, referral.need_id)
    assignee = referral.sent_by_id or need.created_by_id
    delivered = referral.delivery_date or today()
    rows = [
        FollowUp(
            need_id=need.id,
            referral_id=referral.id,
            assignee_id=assignee,
            due_date=delivered + timedelta(days=days),
        )
        for days in days_for(need.category)
    ]
    session.add_all(rows)
    session.flush()
    schedule_many(session, [
        {"kind": kind, "object_type": "follow_up", "object_id": row.id,
         "due_at": local_time(row.due_date + timedelta(days=late), 9)}
        for row in rows
        for kind, late in zip(KINDS, (0, MISSED_AFTER_DAYS, ESCALATE_AFTER_DAYS), strict=True)
    ])
    return rows


def visible_followups(user: User, *also):
    """The one query every follow-up list starts from: visits of needs in the user's region.

    `also` adds entities to the row (SQLModel's `add_columns` on a one-entity select still
    yields scalars, so tuples must be asked for up front)."""
    ensure_role(user, "caseworker", "supervisor", "admin")
    return (
        select(FollowUp, *also)
        .join(Need, Need.id == FollowUp.need_id)
        .where(region_filter(user, Need.region_path))
    )


def list_followups(
    session: Session, *, actor: User, due_only: bool = True, offset: int = 0, limit: int = 30
) -> tuple[list[tuple[FollowUp, Need]], int]:
    """Visits in scope, soonest first; by default those due by today or missed."""
    query = visible_followups(actor, Need)
    if due_only:
        query = query.where(
            FollowUp.status.in_(("scheduled", "missed")),
            FollowUp.due_date <= today() + timedelta(days=7),
        )
    rows, total = paginate(session, query.order_by(FollowUp.due_date), offset=offset, limit=limit)
    return [(f, n) for f, n in rows], total


def get_followup(session: Session, *, actor: User, followup_id: int) -> FollowUp:
    return one_visible(session, visible_followups(actor), FollowUp, followup_id,
                       missing="回访记录不存在", hidden="该记录不在您的辖区范围内")


def record_followup(
    session: Session, *, actor: User, followup_id: int, data: FollowUpRecord
) -> FollowUp:
    """Record a visit. A met need closes with that outcome; an unmet one goes back to
    matching."""
    ensure_role(actor, "caseworker", "admin")
    row = get_followup(session, actor=actor, followup_id=followup_id)
    now = utc_now()
    flow.move(session, row, to=FollowUpStatus.DONE, at=now, need_met=data.need_met,
              rating=data.rating, notes=data.notes)
    need = session.get(Need, row.need_id)
    if need.status != "closed":
        if data.need_met:
            need.status, need.outcome, need.closed_at = "closed", "met", now
            need.outcome_note = data.notes
        else:
            need.status = "open"  # back to matching; the delivered referral stays on record
        need.updated_at = need.last_action_at = now
        session.add(need)
    audit.record(
        session,
        actor,
        "follow_up_recorded",
        object_type="need",
        object_id=need.id,
        detail={"need_met": data.need_met, "rating": data.rating},
    )
    session.commit()
    return row


def followup_with_need(
    session: Session, *, actor: User, followup_id: int
) -> tuple[FollowUp, Need]:
    """A visit in scope (404 unknown, 403 out of scope) and the need it follows up."""
    row = get_followup(session, actor=actor, followup_id=followup_id)
    return row, session.get(Need, row.need_id)
