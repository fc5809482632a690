"""HTML pages for follow-up visits."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.followups import service
from zhuanjie.followups.schemas import FollowUpRecord
from zhuanjie.forms import FormDep, attempt
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/followups")
def followup_list(
    request: Request, session: SessionDep, user: CurrentUser, all: str = "", page: str = "1"
):
    shown = Page.requested(page)
    rows, total = service.list_followups(
        session, actor=user, due_only=not all, offset=shown.offset, limit=shown.size
    )
    return templates.TemplateResponse(
        request,
        "followups/list.html",
        {
            "user": user,
            "rows": rows,
            "all": all,
            "page": shown.of(total),
        },
    )


def _form(request, session, user, followup_id, values, errors, status=200):
    row, need = service.followup_with_need(session, actor=user, followup_id=followup_id)
    return templates.TemplateResponse(
        request,
        "followups/form.html",
        {
            "user": user,
            "f": row,
            "need": need,
            "values": values,
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/followups/{followup_id}")
def followup_form(followup_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _form(request, session, user, followup_id, {}, {})


@router.post("/followups/{followup_id}")
def record(
    followup_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    row = service.get_followup(session, actor=user, followup_id=followup_id)
    data = {k: v for k, v in values.items() if v != ""}
    _saved, errors = attempt(
        lambda: service.record_followup(
            session, actor=user, followup_id=row.id, data=FollowUpRecord.model_validate(data)
        )
    )
    if errors:
        return _form(request, session, user, row.id, values, errors, 400)
    return RedirectResponse(f"/needs/{row.need_id}", status_code=303)
