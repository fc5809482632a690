"""JSON routes for 应享未享 (eligible for a government programme, not receiving it)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.pagination import ListPage
from zhuanjie.unclaimed import service
from zhuanjie.unclaimed.schemas import MarkIn, UnclaimedPublic, UnclaimedTotal

router = APIRouter(tags=["unclaimed"])


@router.get("/unclaimed")
def list_unclaimed(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    status: Literal["open", "applied", "refused", "not_wanted"] = "open",
):
    """Programmes households in the caller's region qualify for and do not receive, with the
    rules that make them eligible (open: still to apply for)."""
    rows, total = service.worklist(
        session, actor=user, status=status, offset=shown.offset, limit=shown.size
    )
    return shown.listing(total, rows)


@router.get("/unclaimed/totals", response_model=dict[str, list[UnclaimedTotal]])
def unclaimed_totals(session: SessionDep, user: CurrentUser):
    """The region's findings by township and by programme, each by status."""
    return service.totals(session, actor=user)


@router.post("/unclaimed/{unclaimed_id}/mark", response_model=UnclaimedPublic)
def mark_unclaimed(unclaimed_id: PathId, body: MarkIn, session: SessionDep, user: CurrentUser):
    """Record what came of a finding (applied, refused, not wanted): it leaves the worklist."""
    return service.mark(session, actor=user, unclaimed_id=unclaimed_id, data=body)
