"""Administration pages: accounts and the audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import func, select

from zhuanjie import regions
from zhuanjie.auth import service as auth
from zhuanjie.auth.schemas import UserCreate
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.forms import attempt, form_values
from zhuanjie.models import AuditEntry, Organisation, User
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.policy import ensure_role, region_filter
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/admin/users")
def users(request: Request, session: SessionDep, user: CurrentUser, page: str = "1"):
    number = page_number(page)
    rows, total = auth.list_users(
        session, actor=user, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    ids = {u.organisation_id for u in rows if u.organisation_id}
    orgs = {
        o.id: o.name for o in session.exec(select(Organisation).where(Organisation.id.in_(ids)))
    }
    return templates.TemplateResponse(
        request,
        "admin/users.html",
        {
            "user": user,
            "rows": rows,
            "orgs": orgs,
            "page": Page(number, PAGE_SIZE, total),
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
            "orgs": session.exec(select(Organisation).order_by(Organisation.name)).all(),
        },
        status_code=status,
    )


@router.get("/admin/users/new")
def new_user(request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "admin")
    return _user_form(request, session, user, {"role": "caseworker"}, {})


@router.post("/admin/users/new")
async def create_user(request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "admin")  # before any validation: others learn nothing from this form
    values = await form_values(request)
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
    ensure_role(user, "admin", "supervisor")
    number = page_number(page)
    query = select(AuditEntry, User).join(User, User.id == AuditEntry.actor_id, isouter=True)
    if user.role == "supervisor":
        query = query.where(region_filter(user, User.region_path))
    if action:
        query = query.where(AuditEntry.action == action)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(AuditEntry.id.desc()).offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    return templates.TemplateResponse(
        request,
        "admin/audit.html",
        {
            "user": user,
            "rows": rows,
            "action": action,
            "page": Page(number, PAGE_SIZE, total),
        },
    )


@router.get("/admin/jobs")
def jobs(request: Request, session: SessionDep, user: CurrentUser):
    """Scheduled jobs: what each does, when it last ran and what it did."""
    from zhuanjie.scheduler import job_overview
    from zhuanjie.tasks import pending_by_kind

    ensure_role(user, "admin", "supervisor")
    return templates.TemplateResponse(
        request,
        "admin/jobs.html",
        {
            "user": user,
            "jobs": job_overview(session),
            "pending": pending_by_kind(session),
        },
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
