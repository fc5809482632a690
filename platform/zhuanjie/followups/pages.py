"""HTML pages for follow-up visits."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.followups import service
from zhuanjie.followups.schemas import FollowUpRecord
from zhuanjie.forms import attempt, form_values
from zhuanjie.models import Need
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/followups")
def followup_list(
    request: Request, session: SessionDep, user: CurrentUser, all: str = "", page: str = "1"
):
    number = page_number(page)
    rows, total = service.list_followups(
        session, actor=user, due_only=not all, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return templates.TemplateResponse(
        request,
        "followups/list.html",
        {
            "user": user,
            "rows": rows,
            "all": all,
            "page": Page(number, PAGE_SIZE, total),
        },
    )


def _form(request, session, user, row, values, errors, status=200):
    return templates.TemplateResponse(
        request,
        "followups/form.html",
        {
            "user": user,
            "f": row,
            "need": session.get(Need, row.need_id),
            "values": values,
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/followups/{followup_id}")
def followup_form(followup_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    row = service.get_followup(session, actor=user, followup_id=followup_id)
    return _form(request, session, user, row, {}, {})


@router.post("/followups/{followup_id}")
async def record(followup_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    row = service.get_followup(session, actor=user, followup_id=followup_id)
    values = await form_values(request)
    data = {k: v for k, v in values.items() if v != ""}
    _saved, errors = attempt(
        lambda: service.record_followup(
            session, actor=user, followup_id=row.id, data=FollowUpRecord.model_validate(data)
        )
    )
    if errors:
        return _form(request, session, user, row, values, errors, 400)
    return RedirectResponse(f"/needs/{row.need_id}", status_code=303)
