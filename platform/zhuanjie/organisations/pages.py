"""HTML pages for organisations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie import regions
from zhuanjie.auth.pages import start_browser_session
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.forms import FormDep, attempt
from zhuanjie.organisations import service
from zhuanjie.organisations.schemas import (
    ColleagueCreate,
    OrganisationCreate,
    OrganisationProfile,
    OrganisationSignup,
)
from zhuanjie.pagination import Page
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/organisations")
def organisations(
    request: Request, session: SessionDep, user: CurrentUser, kind: str = "", status: str = "",
    page: str = "1",
):
    shown = Page.requested(page)
    rows, total = service.list_organisations(
        session, actor=user, kind=kind or None, status=status or None,
        offset=shown.offset, limit=shown.size,
    )
    return templates.TemplateResponse(
        request,
        "organisations/list.html",
        {
            "user": user,
            "rows": rows,
            "kind": kind,
            "status": status,
            "page": shown.of(total),
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
def create_organisation(
    request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
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
def sign_up(request: Request, session: SessionDep, values: FormDep):
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


def _detail(request, session, user, organisation_id, errors=None, values=None, status=200):
    view = service.organisation_page(session, actor=user, organisation_id=organisation_id)
    return templates.TemplateResponse(
        request,
        "organisations/detail.html",
        {
            "user": user,
            "org": view.organisation,
            "manage": view.manage,
            "events": view.events,
            "colleagues": view.colleagues,
            "offers": view.offers,
            "decisions": view.decisions,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status,
    )


@router.get("/organisations/{organisation_id}")
def organisation_detail(
    organisation_id: PathId, request: Request, session: SessionDep, user: OptionalUser
):
    return _detail(request, session, user, organisation_id)


@router.post("/organisations/{organisation_id}/decide/{action}")
def decide(
    organisation_id: PathId, action: str, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
    _org, errors = attempt(
        lambda: service.decide(session, actor=user, organisation_id=organisation_id,
                               action=action, reason=values.get("reason", ""))
    )
    if errors:
        return _detail(
            request, session, user, organisation_id, errors, values | {"action": action}, 400
        )
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
def save_profile(
    organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
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
def create_colleague(
    organisation_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
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
