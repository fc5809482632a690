"""JSON routes of 统筹分配: start a run, adjust it, confirm it; the caseworker's proposals.

Sending a proposal is the ordinary referral (POST /needs/{need_id}/referrals, with the
household's consent): it marks the proposal sent."""

from __future__ import annotations

from fastapi import APIRouter

from zhuanjie.allocation import service
from zhuanjie.allocation.schemas import AdjustIn, ProposalDeclineIn, ProposalOut, RunCreate, RunOut
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.pagination import ListPage

router = APIRouter(tags=["allocation"])


def _out(session, user, run_id: int) -> dict:
    return service.run_out(service.run_view(session, actor=user, run_id=run_id))


@router.post("/allocation/runs", response_model=RunOut, status_code=201)
def start_run(body: RunCreate, session: SessionDep, user: CurrentUser):
    """Allocate an offer's (or a category's limited offers') places in a region."""
    run = service.start_run(session, actor=user, data=body)
    return _out(session, user, run.id)


@router.get("/allocation/runs/{run_id}", response_model=RunOut)
def get_run(run_id: PathId, session: SessionDep, user: CurrentUser):
    return _out(session, user, run_id)


@router.post("/allocation/runs/{run_id}/run", response_model=RunOut)
def rerun(run_id: PathId, session: SessionDep, user: CurrentUser):
    """Run again on today's needs and places, keeping the pins and removals."""
    run = service.rerun(session, actor=user, run_id=run_id)
    return _out(session, user, run.id)


@router.post("/allocation/runs/{run_id}/adjust", response_model=RunOut)
def adjust(run_id: PathId, body: AdjustIn, session: SessionDep, user: CurrentUser):
    """Pin an assignment or remove a need (or undo either), then run again."""
    run = service.adjust(session, actor=user, run_id=run_id, data=body)
    return _out(session, user, run.id)


@router.post("/allocation/runs/{run_id}/confirm", response_model=RunOut)
def confirm(run_id: PathId, session: SessionDep, user: CurrentUser):
    """Supervisors: each assignment becomes a proposal in its caseworker's queue."""
    run = service.confirm(session, actor=user, run_id=run_id)
    return _out(session, user, run.id)


@router.get("/allocation/proposals")
def proposals(session: SessionDep, user: CurrentUser, shown: ListPage):
    """Proposals waiting for the household's consent in the caller's region."""
    rows, total = service.proposal_queue(session, actor=user, offset=shown.offset,
                                         limit=shown.size)
    return shown.listing(total, [ProposalOut.model_validate(r.proposal, from_attributes=True)
                                 for r in rows])


@router.post("/allocation/proposals/{proposal_id}/decline", response_model=ProposalOut)
def decline(proposal_id: PathId, body: ProposalDeclineIn, session: SessionDep,
            user: CurrentUser):
    """The household does not want it (or cannot be reached): the place goes back."""
    return service.decline_proposal(session, actor=user, proposal_id=proposal_id, data=body)
