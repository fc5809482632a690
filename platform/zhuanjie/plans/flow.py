"""The one owner of the service-plan and plan-visit lifecycles.

A plan is active until it ends, once: with its referral (delivered, failed, withdrawn or
closed: `zhuanjie.referrals.flow` ends it), on its own end date (the plans job), or by hand
with a reason. Ending cancels the visits still due, so nothing is laid out, flagged or told
after the end. A visit is due, then done or missed (a missed one may still be recorded late),
or cancelled when its plan ends. Every change is one conditional UPDATE from the allowed
states, so two people (or a person and the job) cannot both move the same row.

This module reads and writes plans and visits only; it imports no other feature.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select, update

from zhuanjie import transitions
from zhuanjie.codes import PlanStatus, VisitStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import ServicePlan, ServiceVisit, User

P, V = PlanStatus, VisitStatus

PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    P.ACTIVE: frozenset({P.ENDED}),
    P.ENDED: frozenset(),
}
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    V.DUE: frozenset({V.DONE, V.MISSED, V.CANCELLED}),
    V.MISSED: frozenset({V.DONE}),  # recorded late
    V.DONE: frozenset(),
    V.CANCELLED: frozenset(),
}
_VISIT_LABELS = {V.DUE: "待上门", V.DONE: "已完成", V.MISSED: "漏访", V.CANCELLED: "已取消"}


def visit_sources(to: str) -> tuple[str, ...]:
    """The visit states from which `to` may be reached."""
    to = VisitStatus(to)
    return transitions.sources(VISIT_TRANSITIONS, to)


def plan_status(plan: ServicePlan) -> PlanStatus:
    return P.ACTIVE if plan.active else P.ENDED


def move_plan(
    session: Session,
    plan: ServicePlan,
    *,
    to: str,
    by: User | None,
    reason: str,
    at: datetime | None = None,
) -> ServicePlan:
    """End an active plan (the only move a plan has) and cancel its visits still due."""
    to = PlanStatus(to)
    if to != P.ENDED:
        raise Conflict("服务计划一经结束不能恢复")
    now = at or utc_now()
    result = session.exec(
        update(ServicePlan)
        .where(ServicePlan.id == plan.id, ServicePlan.active)
        .values(active=False, ended_at=now, ended_by_id=by.id if by else None,
                end_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(plan)
        raise Conflict("该服务计划已经结束")
    session.exec(
        update(ServiceVisit)
        .where(ServiceVisit.plan_id == plan.id, ServiceVisit.status.in_(visit_sources(V.CANCELLED)))
        .values(status=V.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    session.refresh(plan)
    return plan


def end_plan(
    session: Session, plan: ServicePlan, *, by: User | None, reason: str,
    at: datetime | None = None,
) -> ServicePlan:
    return move_plan(session, plan, to=P.ENDED, by=by, reason=reason, at=at)


def end_plans_of_referral(
    session: Session, referral_id: int, *, by: User | None, reason: str,
    at: datetime | None = None,
) -> int:
    """End every active plan of a referral (its referral has ended); returns how many."""
    plans = session.exec(
        select(ServicePlan).where(ServicePlan.referral_id == referral_id, ServicePlan.active)
    ).all()
    for plan in plans:
        end_plan(session, plan, by=by, reason=reason, at=at)
    return len(plans)


def move_visit(
    session: Session, visit: ServiceVisit, *, to: str, at: datetime | None = None,
    notes: str | None = None,
) -> ServiceVisit:
    """Move one visit from an allowed state; Conflict (nothing changed) otherwise."""
    to = VisitStatus(to)
    values: dict = {"status": to}
    if to == V.DONE:
        values |= {"done_at": at or utc_now(), "notes": notes or ""}
    result = session.exec(
        update(ServiceVisit)
        .where(ServiceVisit.id == visit.id, ServiceVisit.status.in_(visit_sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(visit)
        current = _VISIT_LABELS.get(visit.status, visit.status)
        raise Conflict(f"这次服务当前为「{current}」，不能改为「{_VISIT_LABELS[to]}」")
    session.flush()
    session.refresh(visit)
    return visit


def mark_missed(session: Session, *, before: date) -> list[tuple[int, int, date]]:
    """Visits of active plans still due before `before` become missed, each exactly once;
    returns (visit id, plan id, due date) of those moved."""
    active = select(ServicePlan.id).where(ServicePlan.active)
    return list(
        session.exec(
            update(ServiceVisit)
            .where(
                ServiceVisit.status.in_(visit_sources(V.MISSED)),
                ServiceVisit.due_date < before,
                ServiceVisit.plan_id.in_(active),
            )
            .values(status=V.MISSED)
            .returning(ServiceVisit.id, ServiceVisit.plan_id, ServiceVisit.due_date)
        ).all()
    )
