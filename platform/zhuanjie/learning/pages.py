"""/admin/models: the trained matching models, two side by side, promote and roll back."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId, form_id
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.learning import service
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/admin/models")
def models(request: Request, session: SessionDep, user: CurrentUser, page: str = "1",
           a: str = "", b: str = ""):
    """The list, and the comparison of two (default: the one in use and the newest)."""
    shown = Page.requested(page)
    rows, total, in_use = service.models(session, actor=user, offset=shown.offset,
                                         limit=shown.size)
    left = form_id(a) if a else (in_use.id if in_use else None)
    right = form_id(b) if b else (rows[0].id if rows else None)
    comparison = service.compare(session, actor=user, left_id=left, right_id=right)
    return templates.TemplateResponse(
        request,
        "learning/models.html",
        {"user": user, "rows": rows, "in_use": in_use, "page": shown.of(total),
         "cmp": comparison},
    )


@router.post("/admin/models/{model_id}/promote")
def promote(model_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    service.promote(session, actor=user, model_id=model_id, ip=client_ip(request))
    return RedirectResponse("/admin/models", status_code=303)


@router.post("/admin/models/rollback")
def rollback(request: Request, session: SessionDep, user: CurrentUser):
    service.rollback(session, actor=user, ip=client_ip(request))
    return RedirectResponse("/admin/models", status_code=303)
