"""JSON routes for follow-up visits."""

from __future__ import annotations

from fastapi import APIRouter

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.followups import service
from zhuanjie.followups.schemas import FollowUpPublic, FollowUpRecord
from zhuanjie.pagination import ListPage

router = APIRouter(tags=["follow-ups"])


@router.get("/followups")
def list_followups(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    due_only: bool = True,
):
    """Follow-up visits in the caller's region, soonest first."""
    rows, total = service.list_followups(
        session, actor=user, due_only=due_only, offset=shown.offset, limit=shown.size
    )
    return shown.listing(
        total, [FollowUpPublic.model_validate(f, from_attributes=True) for f, _ in rows]
    )


@router.post("/followups/{followup_id}", response_model=FollowUpPublic)
def record_followup(
    followup_id: PathId, body: FollowUpRecord, session: SessionDep, user: CurrentUser
):
    """Record a visit: a met need closes, an unmet one goes back to matching."""
    return service.record_followup(session, actor=user, followup_id=followup_id, data=body)
