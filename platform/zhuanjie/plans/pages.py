"""Form routes for service plans; they render on the referral's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import FormDep, attempt
from zhuanjie.plans import service
from zhuanjie.plans.schemas import PlanCreate, PlanEnd, VisitRecord
from zhuanjie.referrals import pages as referral_pages

router = APIRouter(include_in_schema=False)


@router.post("/referrals/{referral_id}/plan")
def create_plan(
    referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    data = {k: v for k, v in values.items() if v != ""}
    _plan, errors = attempt(
        lambda: service.create_plan(
            session, actor=user, referral_id=referral_id, data=PlanCreate.model_validate(data)
        ),
        session=session,
    )
    if errors:
        return referral_pages.detail_page(
            request, session, user, referral_id, errors, values | {"action": "plan"}, 400
        )
    return RedirectResponse(f"/referrals/{referral_id}", status_code=303)


@router.post("/visits/{visit_id}")
def record_visit(
    visit_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    referral_id = service.referral_of_visit(session, actor=user, visit_id=visit_id)
    _done, errors = attempt(
        lambda: service.record_visit(
            session, actor=user, visit_id=visit_id, data=VisitRecord.model_validate(values)
        )
    )
    if errors:
        return referral_pages.detail_page(request, session, user, referral_id, errors, values, 400)
    return RedirectResponse(f"/referrals/{referral_id}", status_code=303)


@router.post("/plans/{plan_id}/end")
def end_plan(
    plan_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    """End a plan early with a reason (caseworker or the serving organisation)."""
    _plan, referral = service.get_plan(session, actor=user, plan_id=plan_id)
    _ended, errors = attempt(
        lambda: service.end_plan(
            session, actor=user, plan_id=plan_id, data=PlanEnd.model_validate(values)
        ),
        session=session,
    )
    if errors:
        return referral_pages.detail_page(
            request, session, user, referral.id, errors,
            values | {"action": "end_plan", "plan_id": str(plan_id)}, 400,
        )
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)
