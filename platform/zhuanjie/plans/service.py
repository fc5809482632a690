"""Service plans: a schedule of visits for an accepted referral, kept by the organisation and
seen by the caseworker; visits not recorded are flagged as missed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.clock import today
from zhuanjie.codes import ReferralStatus, Role, VisitStatus
from zhuanjie.errors import Conflict, Invalid, NotFound
from zhuanjie.models import Need, Referral, ServicePlan, ServiceVisit, User
from zhuanjie.notifications import service as notifications
from zhuanjie.plans import flow
from zhuanjie.plans.schemas import PlanCreate, PlanEnd, VisitRecord
from zhuanjie.policy import ensure_region, ensure_role
from zhuanjie.referrals import service as referrals

HORIZON_DAYS = 28  # visits are laid out this far ahead, and topped up by the scheduler
MISSED_AFTER_DAYS = 2


def _lay_out(session: Session, plan: ServicePlan, until: date) -> int:
    """Add the plan's visits from its last one up to `until` (inclusive); returns how many."""
    last = session.exec(
        select(ServiceVisit.due_date)
        .where(ServiceVisit.plan_id == plan.id)
        .order_by(ServiceVisit.due_date.desc())
    ).first()
    day = last + timedelta(days=plan.every_days) if last else plan.start_date
    end = min(until, plan.end_date) if plan.end_date else until
    added = 0
    while day <= end:
        session.add(ServiceVisit(plan_id=plan.id, due_date=day))
        day += timedelta(days=plan.every_days)
        added += 1
    return added


def create_plan(
    session: Session, *, actor: User, referral_id: int, data: PlanCreate
) -> ServicePlan:
    """The organisation sets a schedule for a referral it has accepted."""
    ensure_role(actor, "org_staff", "admin")
    referral = referrals.get_referral(session, actor=actor, referral_id=referral_id)
    if referral.status not in ("accepted", "in_service"):
        raise Conflict("只有已接收或服务中的转介才能建立服务计划")
    if data.end_date and data.end_date < data.start_date:
        raise Invalid("结束日期不能早于开始日期", field="end_date")
    plan = ServicePlan.model_validate(data, update={"referral_id": referral.id})
    session.add(plan)
    session.flush()
    _lay_out(session, plan, today() + timedelta(days=HORIZON_DAYS))
    session.commit()
    return plan


def plans_of(session: Session, referral_id: int) -> list[tuple[ServicePlan, list[ServiceVisit]]]:
    plans = session.exec(
        select(ServicePlan).where(ServicePlan.referral_id == referral_id).order_by(ServicePlan.id)
    ).all()
    return [
        (
            p,
            list(
                session.exec(
                    select(ServiceVisit)
                    .where(ServiceVisit.plan_id == p.id)
                    .order_by(ServiceVisit.due_date)
                ).all()
            ),
        )
        for p in plans
    ]


def record_visit(
    session: Session, *, actor: User, visit_id: int, data: VisitRecord
) -> ServiceVisit:
    """The organisation records a visit as done (a missed one may still be recorded late)."""
    ensure_role(actor, "org_staff", "admin")
    visit = session.get(ServiceVisit, visit_id)
    if visit is None:
        raise NotFound("服务记录不存在")
    plan = session.get(ServicePlan, visit.plan_id)
    referrals.get_referral(session, actor=actor, referral_id=plan.referral_id)  # scope
    if visit.status == VisitStatus.DONE:
        raise Conflict("这次服务已经登记过")
    if visit.status == VisitStatus.CANCELLED:
        raise Conflict("服务计划已结束，这次服务已取消")
    if visit.due_date > today():
        raise Invalid("还未到这次服务的日期", field="notes")
    flow.move_visit(session, visit, to=VisitStatus.DONE, notes=data.notes)
    session.commit()
    return visit


def keep_plans(session: Session, now: datetime) -> int:
    """Lay out upcoming visits and flag missed ones, telling the caseworker and the
    organisation once per missed visit."""
    horizon = today() + timedelta(days=HORIZON_DAYS)
    end_finished_plans(session, now)
    for plan in session.exec(select(ServicePlan).where(ServicePlan.active)).all():
        _lay_out(session, plan, horizon)
    cutoff = today() - timedelta(days=MISSED_AFTER_DAYS)
    missed = flow.mark_missed(session, before=cutoff)
    for visit_id, plan_id, due in missed:
        plan = session.get(ServicePlan, plan_id)
        referral = session.get(Referral, plan.referral_id)
        need = session.get(Need, referral.need_id)
        people = notifications.organisation_staff(session, referral.organisation_id)
        people += [u for u in (referral.sent_by_id,) if u]
        notifications.notify(
            session,
            user_ids=people,
            kind="visit_missed",
            title=f"服务计划漏访：{need.title}",
            body=f"{plan.description}，应于 {due} 上门。",
            link=f"/referrals/{referral.id}",
            dedupe_key=f"visit_missed:{visit_id}",
        )
    session.commit()
    return len(missed)


def visible_plans(session: Session, *, actor: User, referral_id: int):
    """A referral's plans with their visits, for those who may see the referral (404/403)."""
    referral = referrals.get_referral(session, actor=actor, referral_id=referral_id)
    return plans_of(session, referral.id)


def referral_of_visit(session: Session, *, actor: User, visit_id: int) -> int:
    """The referral a visit belongs to, if the actor may see it (404 unknown, 403 out of scope)."""
    visit = session.get(ServiceVisit, visit_id)
    if visit is None:
        raise NotFound("服务记录不存在")
    plan = session.get(ServicePlan, visit.plan_id)
    return referrals.get_referral(session, actor=actor, referral_id=plan.referral_id).id
# --- the end of a plan ------------------------------------------------------------------------

END_ROLES = (Role.CASEWORKER, Role.ORG_STAFF, Role.ADMIN)
RUNNING = (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)


def end_finished_plans(session: Session, now: datetime) -> int:
    """End active plans past their end date, and any whose referral has ended (plans from
    before referrals ended their plans); the caller commits."""
    ended = 0
    rows = session.exec(
        select(ServicePlan, Referral.status)
        .join(Referral, Referral.id == ServicePlan.referral_id)
        .where(ServicePlan.active)
    ).all()
    for plan, referral_status in rows:
        if plan.end_date is not None and plan.end_date < today():
            flow.end_plan(session, plan, by=None, reason=f"计划于 {plan.end_date} 到期结束", at=now)
        elif referral_status not in RUNNING:
            flow.end_plan(session, plan, by=None, reason="转介已结束", at=now)
        else:
            continue
        ended += 1
    return ended


def get_plan(session: Session, *, actor: User, plan_id: int) -> tuple[ServicePlan, Referral]:
    """A plan and its referral, if the actor may see the referral."""
    plan = session.get(ServicePlan, plan_id)
    if plan is None:
        raise NotFound("服务计划不存在")
    referral = referrals.get_referral(session, actor=actor, referral_id=plan.referral_id)
    return plan, referral


def end_plan(session: Session, *, actor: User, plan_id: int, data: PlanEnd) -> ServicePlan:
    """The caseworker or the serving organisation ends a plan early, saying why; the visits
    still due are cancelled and no missed-visit alert follows."""
    ensure_role(actor, *END_ROLES)
    plan, referral = get_plan(session, actor=actor, plan_id=plan_id)
    if actor.role == Role.CASEWORKER:
        ensure_region(actor, session.get(Need, referral.need_id).region_path)
    flow.end_plan(session, plan, by=actor, reason=data.reason)
    audit.record(session, actor, "plan_ended", object_type="referral", object_id=referral.id,
                 detail={"plan_id": plan.id, "reason": data.reason})
    session.commit()
    return plan
