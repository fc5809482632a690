"""Form routes for service plans; they render on the referral's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import attempt, form_values
from zhuanjie.models import ServicePlan, ServiceVisit
from zhuanjie.plans import service
from zhuanjie.plans.schemas import PlanCreate, PlanEnd, VisitRecord
from zhuanjie.referrals import pages as referral_pages
from zhuanjie.referrals import service as referrals

router = APIRouter(include_in_schema=False)


@router.post("/referrals/{referral_id}/plan")
async def create_plan(
    referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    referral = referrals.get_referral(session, actor=user, referral_id=referral_id)
    values = await form_values(request)
    data = {k: v for k, v in values.items() if v != ""}
    _plan, errors = attempt(
        lambda: service.create_plan(
            session, actor=user, referral_id=referral.id, data=PlanCreate.model_validate(data)
        )
    )
    if errors:
        session.rollback()
        return referral_pages.detail_page(
            request, session, user, referral, errors, values | {"action": "plan"}, 400
        )
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)


@router.post("/visits/{visit_id}")
async def record_visit(visit_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    values = await form_values(request)
    visit = session.get(ServiceVisit, visit_id)
    plan = session.get(ServicePlan, visit.plan_id) if visit else None
    _done, errors = attempt(
        lambda: service.record_visit(
            session, actor=user, visit_id=visit_id, data=VisitRecord.model_validate(values)
        )
    )
    if errors:
        referral = referrals.get_referral(session, actor=user, referral_id=plan.referral_id)
        return referral_pages.detail_page(request, session, user, referral, errors, values, 400)
    return RedirectResponse(f"/referrals/{plan.referral_id}", status_code=303)


@router.post("/plans/{plan_id}/end")
async def end_plan(plan_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """End a plan early with a reason (caseworker or the serving organisation)."""
    _plan, referral = service.get_plan(session, actor=user, plan_id=plan_id)
    values = await form_values(request)
    _ended, errors = attempt(
        lambda: service.end_plan(
            session, actor=user, plan_id=plan_id, data=PlanEnd.model_validate(values)
        )
    )
    if errors:
        session.rollback()
        return referral_pages.detail_page(
            request, session, user, referral, errors,
            values | {"action": "end_plan", "plan_id": str(plan_id)}, 400,
        )
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)
