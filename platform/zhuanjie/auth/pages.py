"""Sign-in and sign-out pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.auth import service
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser, client_ip
from zhuanjie.errors import Unauthorized
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so the login page cannot be used to bounce people elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/"):
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return templates.TemplateResponse(
        request, "auth/login.html", {"user": None, "values": {"next": next}, "errors": {}}
    )


@router.post("/login")
async def login(request: Request, session: SessionDep):
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("username", "next")}
    errors = {}
    if not values["username"].strip():
        errors["username"] = "请输入用户名"
    if not form.get("password"):
        errors["password"] = "请输入密码"
    if not errors:
        try:
            user = service.authenticate(
                session,
                username=values["username"],
                password=str(form["password"]),
                ip=client_ip(request),
            )
        except Unauthorized as exc:
            errors["password"] = exc.message
        else:
            request.session.clear()
            request.session["user_id"] = user.id
            return RedirectResponse(_safe_next(values["next"]), status_code=303)
    return templates.TemplateResponse(
        request,
        "auth/login.html",
        {"user": None, "values": values, "errors": errors},
        status_code=400,
    )


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
