"""Follow-up visits that come due, are missed, and are escalated."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from zhuanjie.codes import FollowUpStatus
from zhuanjie.followups import flow
from zhuanjie.models import FollowUp, Need, Task
from zhuanjie.notifications import service as notifications
from zhuanjie.tasks import handles


def _open(session: Session, task: Task) -> tuple[FollowUp, Need] | None:
    row = session.get(FollowUp, task.object_id)
    if row is None or row.status == "done":
        return None
    return row, session.get(Need, row.need_id)


@handles("followup_due")
def followup_due(session: Session, task: Task, now: datetime) -> str:
    found = _open(session, task)
    if found is None:
        return "done already"
    row, need = found
    notifications.notify(
        session,
        user_ids=[row.assignee_id] if row.assignee_id else [],
        kind="followup_due",
        title=f"今天应回访：{need.title}",
        body=f"回访日期 {row.due_date}，请上门或电话了解帮扶效果。",
        link=f"/followups/{row.id}",
        dedupe_key=f"followup_due:{row.id}",
    )
    return "reminded"


@handles("followup_missed")
def followup_missed(session: Session, task: Task, now: datetime) -> str:
    found = _open(session, task)
    if found is None:
        return "done already"
    row, need = found
    if row.status in flow.sources(FollowUpStatus.MISSED):
        flow.move(session, row, to=FollowUpStatus.MISSED)
    notifications.notify(
        session,
        user_ids=[row.assignee_id] if row.assignee_id else [],
        kind="followup_missed",
        title=f"回访已逾期：{need.title}",
        body=f"应于 {row.due_date} 回访，尚未登记。",
        link=f"/followups/{row.id}",
        dedupe_key=f"followup_missed:{row.id}",
    )
    return "marked missed"


@handles("followup_escalate")
def followup_escalate(session: Session, task: Task, now: datetime) -> str:
    found = _open(session, task)
    if found is None:
        return "done already"
    row, need = found
    notifications.notify(
        session,
        user_ids=notifications.supervisors_of(session, need.region_path),
        kind="followup_escalated",
        title=f"回访逾期未办：{need.title}",
        body=f"应于 {row.due_date} 回访，经办人员至今未登记。",
        link=f"/needs/{need.id}",
        dedupe_key=f"followup_escalate:{row.id}",
    )
    return "escalated"
