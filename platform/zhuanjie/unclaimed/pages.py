"""HTML pages for 应享未享: the caseworker's worklist, the supervisor's totals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import FormDep, attempt
from zhuanjie.pagination import Page
from zhuanjie.templating import templates
from zhuanjie.unclaimed import service
from zhuanjie.unclaimed.schemas import MARKS, MarkIn

router = APIRouter(include_in_schema=False)


def _page(request, session, user, status, page, errors=None, values=None, code=200):
    shown = Page.requested(page)
    overview = service.overview(
        session, actor=user, status=status, offset=shown.offset, limit=shown.size
    )
    return templates.TemplateResponse(
        request,
        "unclaimed/list.html",
        {
            "user": user,
            "view": overview,
            "page": shown.of(overview.total),
            "marks": MARKS,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=code,
    )


@router.get("/unclaimed")
def unclaimed_list(
    request: Request, session: SessionDep, user: CurrentUser, status: str = "open",
    page: str = "1",
):
    return _page(request, session, user, status, page)


@router.post("/unclaimed/{unclaimed_id}/mark")
def mark(unclaimed_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
         values: FormDep):
    _saved, errors = attempt(
        lambda: service.mark(
            session, actor=user, unclaimed_id=unclaimed_id, data=MarkIn.model_validate(values)
        )
    )
    if errors:
        return _page(request, session, user, "open", values.get("page", "1"),
                     {unclaimed_id: errors}, {unclaimed_id: values}, 400)
    return RedirectResponse(f"/unclaimed?page={values.get('page', '1')}", status_code=303)
