"""HTML pages for organisations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie import regions
from zhuanjie.auth.pages import start_browser_session
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.forms import attempt, form_values
from zhuanjie.offers import service as offers
from zhuanjie.organisations import service
from zhuanjie.organisations.schemas import (
    ColleagueCreate,
    OrganisationCreate,
    OrganisationProfile,
    OrganisationSignup,
)
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/organisations")
def organisations(
    request: Request, session: SessionDep, user: CurrentUser, kind: str = "", status: str = "",
    page: str = "1",
):
    number = page_number(page)
    rows, total = service.list_organisations(
        session, actor=user, kind=kind or None, status=status or None,
        offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
    )
    return templates.TemplateResponse(
        request,
        "organisations/list.html",
        {
            "user": user,
            "rows": rows,
            "kind": kind,
            "status": status,
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


SIGNUP_FIELDS = ("name", "kind", "credit_code", "contact_name", "contact_phone", "contact_email",
                 "address", "service_area", "description", "username", "display_name")


def _signup_form(request: Request, values: dict, errors: dict, status: int = 200):
    return templates.TemplateResponse(
        request,
        "organisations/signup.html",
        {"user": None, "values": values, "errors": errors, "areas": _areas()},
        status_code=status,
    )


def _areas():
    return [n for n in regions.region_nodes() if n.level <= 2]


@router.get("/organisations/signup")
def signup_form(request: Request, user: OptionalUser):
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return _signup_form(request, {"kind": "ngo"}, {})


@router.post("/organisations/signup")
async def sign_up(request: Request, session: SessionDep):
    values = await form_values(request)
    data = {k: v for k, v in values.items() if v != ""}
    created, errors = attempt(
        lambda: service.sign_up(session, data=OrganisationSignup.model_validate(data))
    )
    if errors:
        values.pop("password", None)
        return _signup_form(request, values, errors, 400)
    org, staff = created
    start_browser_session(request, session, staff)
    return RedirectResponse(f"/organisations/{org.id}", status_code=303)


def _detail(request, session, user, org, errors=None, values=None, status=200):
    manage = user is not None and (
        user.role in service.STAFF_ROLES
        or (user.role == "org_staff" and user.organisation_id == org.id)
    )
    published = offers.published_by(session, organisation_id=org.id)
    return templates.TemplateResponse(
        request,
        "organisations/detail.html",
        {
            "user": user,
            "org": org,
            "manage": manage,
            "events": service.events(session, actor=user, organisation_id=org.id)
            if manage else [],
            "colleagues": service.colleagues(session, actor=user, organisation_id=org.id)
            if manage else [],
            "offers": offers.offers_public(session, published),
            "decisions": [a for a, (src, _t, _r) in service.DECISIONS.items()
                          if org.status in src],
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status,
    )


@router.get("/organisations/{organisation_id}")
def organisation_detail(
    organisation_id: PathId, request: Request, session: SessionDep, user: OptionalUser
):
    org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
    return _detail(request, session, user, org)


@router.post("/organisations/{organisation_id}/decide/{action}")
async def decide(
    organisation_id: PathId, action: str, request: Request, session: SessionDep, user: CurrentUser
):
    values = await form_values(request)
    _org, errors = attempt(
        lambda: service.decide(session, actor=user, organisation_id=organisation_id,
                               action=action, reason=values.get("reason", ""))
    )
    if errors:
        org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
        return _detail(request, session, user, org, errors, values | {"action": action}, 400)
    return RedirectResponse(f"/organisations/{organisation_id}", status_code=303)


def _profile_form(request, user, org, values, errors, status=200):
    return templates.TemplateResponse(
        request,
        "organisations/edit.html",
        {"user": user, "org": org, "values": values, "errors": errors, "areas": _areas()},
        status_code=status,
    )


@router.get("/organisations/{organisation_id}/edit")
def edit_profile(organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
    service.ensure_manager(user, org)
    values = OrganisationProfile.model_validate(org, from_attributes=True).model_dump()
    return _profile_form(request, user, org, {k: v or "" for k, v in values.items()}, {})


@router.post("/organisations/{organisation_id}/edit")
async def save_profile(
    organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    values = await form_values(request)
    data = {k: v for k, v in values.items() if v != ""}
    _org, errors = attempt(
        lambda: service.update_profile(session, actor=user, organisation_id=organisation_id,
                                       data=OrganisationProfile.model_validate(data))
    )
    if errors:
        org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
        return _profile_form(request, user, org, values, errors, 400)
    return RedirectResponse(f"/organisations/{organisation_id}", status_code=303)


@router.get("/organisations/{organisation_id}/colleagues/new")
def new_colleague(
    organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
    service.ensure_manager(user, org)
    return templates.TemplateResponse(
        request, "organisations/colleague_new.html",
        {"user": user, "org": org, "values": {}, "errors": {}},
    )


@router.post("/organisations/{organisation_id}/colleagues/new")
async def create_colleague(
    organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    values = await form_values(request)
    _colleague, errors = attempt(
        lambda: service.invite_colleague(session, actor=user, organisation_id=organisation_id,
                                         data=ColleagueCreate.model_validate(values))
    )
    if errors:
        org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
        values.pop("password", None)
        return templates.TemplateResponse(
            request, "organisations/colleague_new.html",
            {"user": user, "org": org, "values": values, "errors": errors}, status_code=400,
        )
    return RedirectResponse(f"/organisations/{organisation_id}", status_code=303)
