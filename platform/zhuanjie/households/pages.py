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
from zhuanjie.households.family import (
    FAMILY_ROWS,
    MEMBER_FIELDS,
    family_from_form,
    form_errors_by_row,
)
from zhuanjie.households.schemas import (
    MAX_MEMBERS,
    ChangeIn,
    EntitlementCreate,
    HouseholdUpdate,
    MemberCreate,
    MemberRemoval,
    MemberUpdate,
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
            "rows": _family_rows(values),
            "row_fields": [f"m{r}_{f}" for r in _family_rows(values) for f in MEMBER_FIELDS],
        },
        status_code=status,
    )


def _family_rows(values: dict) -> list[int]:
    """The member rows the form shows: a fixed number (the form works without script), more
    when a script added rows and the form came back."""
    used = [int(k[1:].split("_", 1)[0]) for k in values
            if k.startswith("m") and k[1:].split("_", 1)[0].isdigit()]
    return list(range(1, min(max([FAMILY_ROWS, *used]), MAX_MEMBERS - 1) + 1))


@router.get("/households/new")
def new_household(request: Request, user: CurrentUser):
    ensure_role(user, "caseworker", "admin")
    return _form(request, user, {}, [], {})


@router.post("/households/new")
def create_household(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    values = {k: str(v) for k, v in form.items() if k != "groups"}
    groups = [str(g) for g in form.getlist("groups")]

    data, rows = family_from_form(values, groups)
    household, errors = attempt(
        lambda: service.create_household(session, actor=user, data=data())
    )
    if errors:
        return _form(request, user, values, groups, form_errors_by_row(errors, rows), 400)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}")
def household_detail(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    shown = service.household_page(session, actor=user, household_id=household_id)
    return templates.TemplateResponse(
        request,
        "households/detail.html",
        {"user": user, "h": shown.household, "changes": shown.changes, "needs": shown.needs,
         "entitlements": shown.entitlements, "revealed": {}},
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
    shown = service.household_page(session, actor=user, household_id=household_id)
    return templates.TemplateResponse(
        request,
        "households/detail.html",
        {"user": user, "h": shown.household, "changes": shown.changes, "needs": shown.needs,
         "entitlements": shown.entitlements, "revealed": {(member_id, field): value}},
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


def _member_form(request, user, household, member, values, errors, status=200):
    return templates.TemplateResponse(
        request, "households/member_edit.html",
        {"user": user, "h": household, "m": member, "values": values, "errors": errors},
        status_code=status,
    )


@router.get("/households/{household_id}/members/{member_id}/edit")
def edit_member(household_id: PathId, member_id: PathId, request: Request, session: SessionDep,
                user: CurrentUser):
    household, member = service.get_member(session, actor=user, household_id=household_id,
                                           member_id=member_id)
    values = {"name": member.name, "relation": member.relation,
              "disability": member.disability, "illness": member.illness}
    return _member_form(request, user, household, member, values, {})


@router.post("/households/{household_id}/members/{member_id}/edit")
def update_member(household_id: PathId, member_id: PathId, request: Request,
                  session: SessionDep, user: CurrentUser, values: FormDep):
    household, member = service.get_member(session, actor=user, household_id=household_id,
                                           member_id=member_id)
    _saved, errors = attempt(lambda: service.update_member(
        session, actor=user, household_id=household.id, member_id=member.id,
        data=MemberUpdate.model_validate(values)), session=session)
    if errors:
        return _member_form(request, user, household, member, values, errors, 400)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.post("/households/{household_id}/members/{member_id}/remove")
def remove_member(household_id: PathId, member_id: PathId, request: Request,
                  session: SessionDep, user: CurrentUser, values: FormDep):
    household, member = service.get_member(session, actor=user, household_id=household_id,
                                           member_id=member_id)
    _removed, errors = attempt(lambda: service.remove_member(
        session, actor=user, household_id=household.id, member_id=member.id,
        data=MemberRemoval.model_validate(values)), session=session)
    if errors:
        shown = {"name": member.name, "relation": member.relation,
                 "disability": member.disability, "illness": member.illness,
                 "reason": values.get("reason", "")}
        return _member_form(request, user, household, member, shown, errors, 400)
    return RedirectResponse(f"/households/{household.id}", status_code=303)


@router.get("/households/{household_id}/change")
def new_change(household_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "caseworker", "admin")
    household = service.get_household(session, actor=user, household_id=household_id)
    return _simple_form(request, user, "households/change.html", household, {}, {})


@router.post("/households/{household_id}/change")
def record_change(household_id: PathId, request: Request, session: SessionDep,
                  user: CurrentUser, values: FormDep):
    household = service.get_household(session, actor=user, household_id=household_id)
    data = {k: v for k, v in values.items() if v != ""}
    _saved, errors = attempt(lambda: service.record_change(
        session, actor=user, household_id=household.id, data=ChangeIn.model_validate(data)),
        session=session)
    if errors:
        return _simple_form(request, user, "households/change.html", household, values,
                            errors, 400)
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
