"""HTML pages for households."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from zhuanjie import regions
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.errors import Invalid
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.households import service
from zhuanjie.households.schemas import (
    EntitlementCreate,
    HouseholdCreate,
    HouseholdUpdate,
    MemberCreate,
)
from zhuanjie.pagination import Page
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/households")
def households(
    request: Request, session: SessionDep, user: CurrentUser, q: str = "", page: str = "1"
):
    refuse_numbers_in_url(q)
    return _list_page(request, session, user, q, page, posted=False)


def _list_page(request: Request, session, user, q: str, page: str, *, posted: bool):
    shown = Page.requested(page)
    rows, total = service.search_households(
        session, actor=user, q=q, offset=shown.offset, limit=shown.size
    )
    return templates.TemplateResponse(
        request,
        "households/list.html",
        {
            "user": user,
            "q": q,
            "posted": posted,
            "page": shown.of(total),
            "rows": [service.household_public(session, h) for h in rows],
        },
    )


def _townships_for(user) -> list[regions.RegionNode]:
    return [
        t
        for t in regions.townships()
        if user.role == "admin" or regions.within(t.path, user.region_path or "")
    ]


def _form(request: Request, user, values: dict, groups: list[str], errors: dict, status: int = 200):
    return templates.TemplateResponse(
        request,
        "households/new.html",
        {
            "user": user,
            "values": values,
            "groups": groups,
            "errors": errors,
            "townships": _townships_for(user),
        },
        status_code=status,
    )


@router.get("/households/new")
def new_household(request: Request, user: CurrentUser):
    ensure_role(user, "caseworker", "admin")
    return _form(request, user, {}, [], {})


@router.post("/households/new")
def create_household(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    values = {k: str(v) for k, v in form.items() if k != "groups"}
    groups = [str(g) for g in form.getlist("groups")]

    def save():
        data = HouseholdCreate.model_validate(
            {
                "region_path": values.get("region_path", ""),
                "village": values.get("village", ""),
                "address": values.get("address", ""),
                "phone": values.get("phone", ""),
                "groups": groups,
                "income_per_capita": values.get("income_per_capita") or None,
                "members": [
                    {
                        "name": values.get("head_name", ""),
                        "id_number": values.get("head_id_number", ""),
                        "relation": "head",
                        "phone": values.get("phone", ""),
                    }
                ],
            }
        )
        return service.create_household(session, actor=user, data=data)

    household, errors = attempt(save)
    if errors:
        # The head is member 0 in the schema; the form names those fields head_*.
        renamed = {
            "head_" + k.removeprefix("members.0.") if k.startswith("members.0.") else k: v
            for k, v in errors.items()
        }
        if "id_number" in renamed:
            renamed["head_id_number"] = renamed.pop("id_number")
        return _form(request, user, values, groups, renamed, 400)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}")
def household_detail(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    return templates.TemplateResponse(
        request,
        "households/detail.html",
        {
            "user": user,
            "h": service.household_view(session, actor=user, household_id=household_id),
            "revealed": {},
        },
    )


@router.post("/households/{household_id}/members/{member_id}/reveal")
def reveal(
    household_id: PathId, member_id: PathId, request: Request, session: SessionDep,
    user: CurrentUser, values: FormDep,
):
    field = values.get("field", "")
    value = service.reveal_member_field(
        session,
        actor=user,
        household_id=household_id,
        member_id=member_id,
        field=field,
        ip=client_ip(request),
    )
    return templates.TemplateResponse(
        request,
        "households/detail.html",
        {
            "user": user,
            "h": service.household_view(session, actor=user, household_id=household_id),
            "revealed": {(member_id, field): value},
        },
    )


def _simple_form(request, user, template, household, values, errors, status=200, **extra):
    return templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "h": household,
            "values": values,
            "errors": errors,
            **extra,
        },
        status_code=status,
    )


@router.get("/households/{household_id}/edit")
def edit_household(household_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    household, values = service.contact_for_edit(
        session, actor=user, household_id=household_id, ip=client_ip(request)
    )
    return _simple_form(
        request, user, "households/edit.html", household, values, {}, groups=household.groups
    )


@router.post("/households/{household_id}/edit")
def update_household(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    form: FormDataDep,
):
    household = service.get_household(session, actor=user, household_id=household_id)
    values = {k: str(v) for k, v in form.items() if k != "groups"}
    groups = [str(g) for g in form.getlist("groups")]
    _saved, errors = attempt(
        lambda: service.update_household(
            session,
            actor=user,
            household_id=household.id,
            data=HouseholdUpdate.model_validate(
                values
                | {"groups": groups, "income_per_capita": values.get("income_per_capita") or None}
            ),
        )
    )
    if errors:
        return _simple_form(
            request, user, "households/edit.html", household, values, errors, 400, groups=groups
        )
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}/members/new")
def new_member(household_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "caseworker", "admin")
    household = service.get_household(session, actor=user, household_id=household_id)
    return _simple_form(
        request, user, "households/member_new.html", household, {"relation": "child"}, {}
    )


@router.post("/households/{household_id}/members/new")
def add_member(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
    household = service.get_household(session, actor=user, household_id=household_id)
    _added, errors = attempt(
        lambda: service.add_member(
            session, actor=user, household_id=household.id, data=MemberCreate.model_validate(values)
        )
    )
    if errors:
        return _simple_form(
            request, user, "households/member_new.html", household, values, errors, 400
        )
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}/entitlements/new")
def new_entitlement(household_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "caseworker", "admin")
    household = service.get_household(session, actor=user, household_id=household_id)
    return _simple_form(request, user, "households/entitlement_new.html", household, {}, {})


@router.post("/households/{household_id}/entitlements/new")
def add_entitlement(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
    household = service.get_household(session, actor=user, household_id=household_id)
    data = {k: v for k, v in values.items() if v != ""}
    _added, errors = attempt(
        lambda: service.add_entitlement(
            session,
            actor=user,
            household_id=household.id,
            data=EntitlementCreate.model_validate(data),
        )
    )
    if errors:
        return _simple_form(
            request, user, "households/entitlement_new.html", household, values, errors, 400
        )
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.post("/households/{household_id}/review")
def review(household_id: PathId, session: SessionDep, user: CurrentUser):
    service.record_review(session, actor=user, household_id=household_id)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


@router.post("/households/{household_id}/transition")
def transition(household_id: PathId, session: SessionDep, user: CurrentUser):
    service.start_transition(session, actor=user, household_id=household_id)
    return RedirectResponse(f"/households/{household_id}", status_code=303)


def refuse_numbers_in_url(q: str) -> None:
    """ID numbers (and their last digits) are searched by POST: in a URL they would land in
    access logs, proxies and the browser's history."""
    if any(ch.isdigit() for ch in q):
        raise Invalid("按身份证号查找请使用页面上的查找框，不要把号码写在网址里", field="q")


@router.post("/households")
def search_households(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    q: Annotated[str, Form(max_length=100)] = "",
    page: Annotated[str, Form(max_length=10)] = "1",
):
    """The search form: what is searched for travels in the body, never in the URL."""
    return _list_page(request, session, user, q, page, posted=True)
