"""JSON routes: a department sends referrals and monitoring alerts; caseworkers answer them."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.intake import service
from zhuanjie.intake.schemas import (
    AcceptIn,
    AlertIn,
    AlertOutcome,
    CloseIn,
    DeclineIn,
    IntakeCreate,
    IntakePublic,
)
from zhuanjie.pagination import ListPage

router = APIRouter(tags=["intakes"])


@router.get("/intakes")
def list_intakes(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    box: str = Query("received", pattern="^(received|accepted|done)$"),
):
    """The caseworker's queue (their region's intakes), or a department's own sent ones."""
    listed = service.list_intakes(session, actor=user, box=box, offset=shown.offset,
                                  limit=shown.size)
    return {"counts": listed.counts, "box": listed.box, "page": shown.number,
            "size": shown.size, "total": listed.total, "items": listed.rows}


@router.post("/intakes", response_model=IntakePublic, status_code=201)
def send_intake(body: IntakeCreate, session: SessionDep, user: CurrentUser):
    """A department user refers a household to civil affairs (into the township's queue)."""
    return service.send_intake(session, actor=user, data=body)


@router.get("/intakes/{intake_id}", response_model=IntakePublic)
def get_intake(intake_id: PathId, session: SessionDep, user: CurrentUser):
    return service.intake_view(session, actor=user, intake_id=intake_id)


@router.post("/intakes/{intake_id}/accept", response_model=IntakePublic)
def accept(intake_id: PathId, body: AcceptIn, session: SessionDep, user: CurrentUser):
    """Accept: the need is recorded on the household with the ID number (registered from
    `household` when there is none yet)."""
    return service.accept(session, actor=user, intake_id=intake_id, data=body)


@router.post("/intakes/{intake_id}/decline", response_model=IntakePublic)
def decline(intake_id: PathId, body: DeclineIn, session: SessionDep, user: CurrentUser):
    return service.decline(session, actor=user, intake_id=intake_id, data=body)


@router.post("/intakes/{intake_id}/close", response_model=IntakePublic)
def close(intake_id: PathId, body: CloseIn, session: SessionDep, user: CurrentUser):
    return service.close(session, actor=user, intake_id=intake_id, data=body)


@router.post("/alerts", response_model=AlertOutcome, status_code=201)
def receive_alert(body: AlertIn, response: Response, session: SessionDep, user: CurrentUser):
    """One monitoring alert: a need on the registered household with the ID number, or an
    intake for the township's caseworkers. The same `external_id` again changes nothing
    (200, `duplicate`)."""
    outcome = service.receive_alert(session, actor=user, data=body)
    if outcome.duplicate:
        response.status_code = 200
    return outcome
