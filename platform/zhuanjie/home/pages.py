"""The start page: a public welcome, or the signed-in user's workbench."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from zhuanjie import pagecache
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.home import service
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
pagecache.cache_route("/")  # every kind: the workbench's figures come from everywhere


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



SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "sw.js"


@router.get("/sw.js")
def service_worker():
    """The service worker, from the site root so that its scope is every page."""
    return FileResponse(SERVICE_WORKER, media_type="text/javascript",
                        headers={"Cache-Control": "no-cache"})


@router.get("/offline")
def offline(request: Request):
    """What the service worker shows when a page cannot be reached: no personal data."""
    return templates.TemplateResponse(request, "offline.html", {"user": None})
