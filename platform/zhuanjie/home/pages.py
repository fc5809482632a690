"""The start page: a public welcome, or the signed-in user's workbench."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.home import service
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser):
    if user is None:
        return templates.TemplateResponse(request, "home/welcome.html", {"user": None})
    figures, organisation, due = service.start_page(session, user=user)
    return templates.TemplateResponse(
        request,
        f"home/{user.role}.html",
        {"user": user, "figures": figures, "organisation": organisation, "due": due},
    )

