"""JSON routes for service plans and their visits."""

from __future__ import annotations

from fastapi import APIRouter

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.plans import service
from zhuanjie.plans.schemas import PlanCreate, PlanEnd, PlanPublic, VisitPublic, VisitRecord

router = APIRouter(tags=["service plans"])


@router.post("/referrals/{referral_id}/plan", response_model=PlanPublic, status_code=201)
def create_plan(referral_id: PathId, body: PlanCreate, session: SessionDep, user: CurrentUser):
    """Set a schedule of visits for an accepted referral (organisation staff)."""
    return service.create_plan(session, actor=user, referral_id=referral_id, data=body)


@router.get("/referrals/{referral_id}/plan")
def get_plans(referral_id: PathId, session: SessionDep, user: CurrentUser):
    """The referral's plans with every visit: due, done or missed."""
    return [
        {"plan": plan, "visits": visits}
        for plan, visits in service.visible_plans(session, actor=user, referral_id=referral_id)
    ]


@router.post("/visits/{visit_id}", response_model=VisitPublic)
def record_visit(visit_id: PathId, body: VisitRecord, session: SessionDep, user: CurrentUser):
    """Record a visit as done."""
    return service.record_visit(session, actor=user, visit_id=visit_id, data=body)


@router.post("/plans/{plan_id}/end", response_model=PlanPublic)
def end_plan(plan_id: PathId, body: PlanEnd, session: SessionDep, user: CurrentUser):
    """End a plan early with a reason (caseworker or the serving organisation): the visits
    still due are cancelled and no missed-visit alert follows."""
    return service.end_plan(session, actor=user, plan_id=plan_id, data=body)
