"""Dynamic management: annual reviews and the end of 渐退 transition periods."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from zhuanjie.clock import today
from zhuanjie.models import Household, User
from zhuanjie.notifications import service as notifications

REVIEW_NOTICE_DAYS = 14
TRANSITION_NOTICE_DAYS = 30


def caseworkers_of(session: Session, region_path: str) -> list[int]:
    return list(
        session.exec(
            select(User.id).where(
                User.role == "caseworker", User.is_active, User.region_path == region_path
            )
        ).all()
    )


def review_and_transition(session: Session, now: datetime) -> int:
    """Remind of reviews coming due and transitions ending; end the transitions that have."""
    day, told = today(), 0
    due = session.exec(
        select(Household).where(
            Household.status != "exited",
            Household.next_review_date <= day + timedelta(days=REVIEW_NOTICE_DAYS),
        )
    ).all()
    for h in due:
        told += bool(
            notifications.notify(
                session,
                user_ids=caseworkers_of(session, h.region_path),
                kind="review_due",
                title=f"家庭 #{h.id} 应于 {h.next_review_date} 前完成年度复核",
                link=f"/households/{h.id}",
                dedupe_key=f"review_due:{h.id}:{h.next_review_date}",
            )
        )
    ending = session.exec(
        select(Household).where(
            Household.status == "transition",
            Household.transition_until_date <= day + timedelta(days=TRANSITION_NOTICE_DAYS),
        )
    ).all()
    for h in ending:
        if h.transition_until_date < day:
            h.status = "active"
            h.groups = [g for g in h.groups if g != "dibao"]
            session.add(h)
            title = f"家庭 #{h.id} 渐退期已结束，已退出低保"
            key = f"transition_ended:{h.id}:{h.transition_until_date}"
        else:
            title = f"家庭 #{h.id} 渐退期将于 {h.transition_until_date} 结束"
            key = f"transition_ending:{h.id}:{h.transition_until_date}"
        told += bool(
            notifications.notify(
                session,
                user_ids=caseworkers_of(session, h.region_path),
                kind="transition",
                title=title,
                link=f"/households/{h.id}",
                dedupe_key=key,
            )
        )
    session.commit()
    return told
