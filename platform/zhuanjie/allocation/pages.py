"""HTML pages of 统筹分配: start a run, the proposal (pin, remove, run again, confirm), and
the caseworker's queue of proposals (consent and send, or decline with a reason)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie import codes
from zhuanjie.allocation import service
from zhuanjie.allocation.schemas import AdjustIn, ProposalDeclineIn, RunCreate
from zhuanjie.bounds import PathId, form_id
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import FormDep, attempt
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


def _start_page(request, session, user, values, errors, status=200, page="1"):
    shown = Page.requested(page)
    form = service.start_form(session, actor=user, offset=shown.offset, limit=shown.size)
    values = {"region_path": form.region, "kind": "offer"} | values
    return templates.TemplateResponse(
        request, "allocation/start.html",
        {"user": user, "form": form, "values": values, "errors": errors,
         "page": shown.of(form.total)},
        status_code=status,
    )  # fmt: skip


@router.get("/allocation")
def start(request: Request, session: SessionDep, user: CurrentUser, offer_id: str = "",
          page: str = "1"):
    values = {"offer_id": str(form_id(offer_id) or "")}
    return _start_page(request, session, user, values, {}, page=page)


@router.post("/allocation")
def start_run(request: Request, session: SessionDep, user: CurrentUser, values: FormDep):
    by_offer = values.get("kind", "offer") != "category"

    def run():
        data = RunCreate.model_validate({
            "region_path": values.get("region_path", ""),
            "offer_id": (values.get("offer_id") or None) if by_offer else None,
            "category": "" if by_offer else values.get("category", ""),
        })
        return service.start_run(session, actor=user, data=data)

    made, errors = attempt(run, session=session)
    if errors:
        errors = {("offer_id" if k == "category" and by_offer else k): v for k, v in errors.items()}
        return _start_page(request, session, user, values, errors, 400)
    return RedirectResponse(f"/allocation/{made.id}", status_code=303)


def _queue_page(request, session, user, page="1", errors=None, values=None, status=200):
    shown = Page.requested(page)
    rows, total = service.proposal_queue(session, actor=user, offset=shown.offset,
                                         limit=shown.size)
    return templates.TemplateResponse(
        request, "allocation/proposals.html",
        {"user": user, "rows": rows, "page": shown.of(total), "errors": errors or {},
         "values": values or {}, "reasons": codes.PROPOSAL_DECLINE_REASONS},
        status_code=status,
    )  # fmt: skip


@router.get("/allocation/proposals")
def proposals(request: Request, session: SessionDep, user: CurrentUser, page: str = "1"):
    return _queue_page(request, session, user, page)


@router.post("/allocation/proposals/{proposal_id}/decline")
def decline(proposal_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
            values: FormDep):
    service.get_proposal(session, actor=user, proposal_id=proposal_id)
    _done, errors = attempt(lambda: service.decline_proposal(
        session, actor=user, proposal_id=proposal_id,
        data=ProposalDeclineIn.model_validate(values)), session=session)
    if errors:
        return _queue_page(request, session, user, errors=errors,
                           values=values | {"proposal_id": proposal_id}, status=400)
    return RedirectResponse("/allocation/proposals", status_code=303)


def _run_page(request, session, user, run_id, errors=None, status=200):
    view = service.run_view(session, actor=user, run_id=run_id)
    return templates.TemplateResponse(
        request, "allocation/run.html",
        {"user": user, "view": view, "run": view.run, "result": view.run.result,
         "errors": errors or {}},
        status_code=status,
    )  # fmt: skip


@router.get("/allocation/{run_id}")
def run_page(run_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _run_page(request, session, user, run_id)


@router.post("/allocation/{run_id}/run")
def rerun(run_id: PathId, session: SessionDep, user: CurrentUser):
    service.rerun(session, actor=user, run_id=run_id)
    return RedirectResponse(f"/allocation/{run_id}", status_code=303)


@router.post("/allocation/{run_id}/adjust")
def adjust(run_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
           values: FormDep):
    service.get_run(session, actor=user, run_id=run_id)
    _done, errors = attempt(lambda: service.adjust(
        session, actor=user, run_id=run_id, data=AdjustIn.model_validate(values)),
        session=session)
    if errors:
        return _run_page(request, session, user, run_id, errors, 400)
    return RedirectResponse(f"/allocation/{run_id}#assigned", status_code=303)


@router.post("/allocation/{run_id}/confirm")
def confirm(run_id: PathId, session: SessionDep, user: CurrentUser):
    service.confirm(session, actor=user, run_id=run_id)
    return RedirectResponse(f"/allocation/{run_id}", status_code=303)
