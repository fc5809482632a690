"""HTML pages for organisations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import attempt, form_values
from zhuanjie.organisations import service
from zhuanjie.organisations.schemas import OrganisationCreate
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/organisations")
def organisations(
    request: Request, session: SessionDep, user: CurrentUser, kind: str = "", page: str = "1"
):
    number = page_number(page)
    rows, total = service.list_organisations(
        session, actor=user, kind=kind or None, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    return templates.TemplateResponse(
        request,
        "organisations/list.html",
        {
            "user": user,
            "rows": rows,
            "kind": kind,
            "page": Page(number, PAGE_SIZE, total),
        },
    )


def _form(request: Request, user, values: dict, errors: dict, status: int = 200):
    return templates.TemplateResponse(
        request,
        "organisations/new.html",
        {"user": user, "values": values, "errors": errors},
        status_code=status,
    )


@router.get("/organisations/new")
def new_organisation(request: Request, user: CurrentUser):
    ensure_role(user, "admin", "supervisor")
    return _form(request, user, {"kind": "ngo"}, {})


@router.post("/organisations/new")
async def create_organisation(request: Request, session: SessionDep, user: CurrentUser):
    values = await form_values(request)
    org, errors = attempt(
        lambda: service.create_organisation(
            session, actor=user, data=OrganisationCreate.model_validate(values)
        )
    )
    if errors:
        return _form(request, user, values, errors, 400)
    return RedirectResponse("/organisations", status_code=303)
