"""Administration pages: accounts and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie import regions
from zhuanjie.admin import service
from zhuanjie.auth import service as auth
from zhuanjie.auth.schemas import UserCreate
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.forms import FormDep, attempt
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import Page
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/admin/users")
def users(request: Request, session: SessionDep, user: CurrentUser, page: str = "1"):
    shown = Page.requested(page)
    rows, orgs, total = service.users(session, actor=user, offset=shown.offset, limit=shown.size)
    return templates.TemplateResponse(
        request,
        "admin/users.html",
        {
            "user": user,
            "rows": rows,
            "orgs": orgs,
            "page": shown.of(total),
        },
    )


def _user_form(request, session, user, values, errors, status=200):
    return templates.TemplateResponse(
        request,
        "admin/user_new.html",
        {
            "user": user,
            "values": values,
            "errors": errors,
            "regions": [n for n in regions.region_nodes() if n.level <= 3],
            "orgs": organisations.choices(session, actor=user),
        },
        status_code=status,
    )


@router.get("/admin/users/new")
def new_user(request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "admin")
    return _user_form(request, session, user, {"role": "caseworker"}, {})


@router.post("/admin/users/new")
def create_user(request: Request, session: SessionDep, user: CurrentUser, values: FormDep):
    ensure_role(user, "admin")  # before any validation: others learn nothing from this form
    data = {k: v for k, v in values.items() if v != ""}
    _created, errors = attempt(
        lambda: auth.create_user(session, actor=user, data=UserCreate.model_validate(data))
    )
    if errors:
        values.pop("password", None)
        return _user_form(request, session, user, values, errors, 400)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_log(
    request: Request, session: SessionDep, user: CurrentUser, action: str = "", page: str = "1"
):
    """The audit log; a supervisor sees the entries of people in their region."""
    shown = Page.requested(page)
    rows, total = service.audit_log(
        session, actor=user, action=action, offset=shown.offset, limit=shown.size
    )
    return templates.TemplateResponse(
        request,
        "admin/audit.html",
        {
            "user": user,
            "rows": rows,
            "action": action,
            "page": shown.of(total),
        },
    )


@router.get("/admin/jobs")
def jobs(request: Request, session: SessionDep, user: CurrentUser):
    """Scheduled jobs: what each does, when it last ran and what it did."""
    overview, pending = service.jobs(session, actor=user)
    return templates.TemplateResponse(
        request,
        "admin/jobs.html",
        {"user": user, "jobs": overview, "pending": pending},
    )


# --- deactivating, reactivating, resetting a password ---------------------------------------


@router.post("/admin/users/{user_id}/deactivate")
def deactivate_user(user_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """Every session and token of the account ends at once; its next request is refused."""
    auth.set_active(session, actor=user, user_id=user_id, active=False, ip=client_ip(request))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/activate")
def activate_user(user_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    auth.set_active(session, actor=user, user_id=user_id, active=True, ip=client_ip(request))
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/reset-password")
def reset_password(user_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """A temporary password, shown once; the user must change it at the next sign-in."""
    target, temporary = auth.reset_password(
        session, actor=user, user_id=user_id, ip=client_ip(request)
    )
    return templates.TemplateResponse(
        request,
        "admin/user_reset.html",
        {"user": user, "target": target, "temporary": temporary},
        headers={"Cache-Control": "no-store"},
    )
