"""The inbox page: every user's notifications."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import FormDataDep, attempt
from zhuanjie.notifications import service
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/notifications")
def inbox(request: Request, session: SessionDep, user: CurrentUser, page: str = "1"):
    shown = Page.requested(page)
    rows, total, unread = service.inbox(session, user=user, offset=shown.offset, limit=shown.size)
    return templates.TemplateResponse(
        request,
        "notifications/inbox.html",
        {
            "user": user,
            "rows": rows,
            "unread": unread,
            "page": shown.of(total),
        },
    )


@router.post("/notifications/read-all")
def read_all(session: SessionDep, user: CurrentUser):
    service.mark_read(session, user=user)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/{notification_id}/open")
def open_one(notification_id: PathId, session: SessionDep, user: CurrentUser):
    link = service.open_notification(session, user=user, notification_id=notification_id)
    return RedirectResponse(link, status_code=303)


@router.get("/notifications/settings")
def settings_form(request: Request, user: CurrentUser):
    return templates.TemplateResponse(
        request,
        "notifications/settings.html",
        {
            "user": user,
            "values": {"email": user.email},
            "kinds": user.email_kinds,
            "errors": {},
        },
    )


@router.post("/notifications/settings")
def save_settings(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    email, kinds = str(form.get("email", "")), [str(k) for k in form.getlist("kinds")]
    _saved, errors = attempt(
        lambda: service.save_preferences(session, user=user, email=email, kinds=kinds)
    )
    if errors:
        return templates.TemplateResponse(
            request,
            "notifications/settings.html",
            {
                "user": user,
                "values": {"email": email},
                "kinds": kinds,
                "errors": errors,
            },
            status_code=400,
        )
    return RedirectResponse("/notifications", status_code=303)
