"""Sign-in, sign-out, and the account's own security page (password, sessions, tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import ValidationError

from zhuanjie.auth import service
from zhuanjie.auth.errors import CHANGE_PASSWORD_PAGE, PasswordChangeRequired, TooManyAttempts
from zhuanjie.auth.passwords import POLICY_TEXT
from zhuanjie.auth.schemas import PasswordChange, TokenCreate
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser, client_ip
from zhuanjie.errors import DomainError
from zhuanjie.forms import field_errors
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so the login page cannot be used to bounce people elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


def _agent(request: Request) -> str:
    return request.headers.get("user-agent", "")


def start_browser_session(request: Request, session, user) -> None:
    """Sign this browser in as `user` (after a sign-up; `session` is the request's database
    session): a new server-side session whose
    random id is the only thing the cookie carries."""
    request.session.clear()
    request.session["sid"] = service.start_session(
        session, user=user, ip=client_ip(request), user_agent=_agent(request)
    )


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str = "/"):
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return templates.TemplateResponse(
        request, "auth/login.html", {"user": None, "values": {"next": next}, "errors": {}}
    )


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: FormText = "",
    password: FormText = "",
    next: FormText = "/",
):
    """Sync on purpose: Argon2 runs in the thread pool, never on the event loop."""
    values = {"username": username[:200], "next": next[:2000]}
    errors: dict[str, str] = {}
    status, headers = 400, {}
    if not username.strip():
        errors["username"] = "请输入用户名"
    if not password:
        errors["password"] = "请输入密码"
    if len(username) > 200 or len(password) > 200:
        errors["password"] = "用户名或密码不正确"
    if not errors:
        try:
            user, sid = service.sign_in(
                session,
                username=username,
                password=password,
                ip=client_ip(request),
                user_agent=_agent(request),
            )
        except TooManyAttempts as exc:
            errors["password"] = exc.message
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        except DomainError as exc:  # wrong password, or the account is deactivated
            errors["password"] = exc.message
        else:
            request.session.clear()
            request.session["sid"] = sid
            target = _safe_next(values["next"])
            if user.must_change_password:
                target = CHANGE_PASSWORD_PAGE
            return RedirectResponse(target, status_code=303)
    return templates.TemplateResponse(
        request,
        "auth/login.html",
        {"user": None, "values": values, "errors": errors},
        status_code=status,
        headers=headers,
    )


@router.post("/logout")
def logout(request: Request, session: SessionDep):
    sid = request.session.get("sid")
    if isinstance(sid, str) and sid:
        service.sign_out(session, plain=sid, ip=client_ip(request))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# --- the account's security page ----------------------------------------------------------------


def _security_page(request, session, user, *, new_token=None, errors=None, values=None,
                   status=200):
    sessions, tokens = service.active_sessions_and_tokens(session, actor=user)
    return templates.TemplateResponse(
        request,
        "auth/security.html",
        {
            "user": user,
            "sessions": sessions,
            "tokens": tokens,
            "current_session_id": getattr(request.state, "session_id", None),
            "new_token": new_token,
            "errors": errors or {},
            "values": values or {"days": "90"},
        },
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/account/security")
def security(request: Request, session: SessionDep, user: CurrentUser):
    """The user's live sign-ins and API tokens; each can be ended here."""
    return _security_page(request, session, user)


@router.post("/account/sessions/{session_id}/end")
def end_session(session_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    service.end_session(session, actor=user, session_id=session_id, ip=client_ip(request))
    if session_id == getattr(request.state, "session_id", None):
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/account/security", status_code=303)


@router.post("/account/sign-out-everywhere")
def sign_out_everywhere(request: Request, session: SessionDep, user: CurrentUser):
    service.sign_out_everywhere(session, actor=user, ip=client_ip(request))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    service.revoke_token(session, actor=user, token_id=token_id, ip=client_ip(request))
    return RedirectResponse("/account/security", status_code=303)


@router.post("/account/tokens")
def create_token(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    name: FormText = "",
    days: FormText = "90",
):
    """A new token, shown once on the page that answers."""
    values = {"name": name[:200], "days": days[:20]}
    try:
        data = TokenCreate.model_validate(values)
    except ValidationError as exc:
        return _security_page(request, session, user, errors=field_errors(exc), values=values,
                              status=422)
    plain = service.issue_token(session, user=user, name=data.name, days=data.days)
    return _security_page(request, session, user, new_token=plain)


# --- changing one's password --------------------------------------------------------------------


def _password_page(request, user, errors=None, status=200):
    return templates.TemplateResponse(
        request,
        "auth/password.html",
        {"user": user, "errors": errors or {}, "policy": POLICY_TEXT},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@router.get(CHANGE_PASSWORD_PAGE)
def password_form(request: Request, user: CurrentUser):
    return _password_page(request, user)


@router.post(CHANGE_PASSWORD_PAGE)
def change_password(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    current_password: FormText = "",
    new_password: FormText = "",
    confirm_password: FormText = "",
):
    """Every other session and every token ends; this browser gets a fresh session."""
    errors: dict[str, str] = {}
    try:
        data = PasswordChange(current_password=current_password, new_password=new_password)
    except ValidationError as exc:
        errors = field_errors(exc)
    if not errors and new_password != confirm_password:
        errors["confirm_password"] = "两次输入的新密码不一致"
    if not errors:
        try:
            sid = service.change_password(
                session,
                actor=user,
                current_password=data.current_password,
                new_password=data.new_password,
                ip=client_ip(request),
                user_agent=_agent(request),
            )
        except DomainError as exc:
            if exc.field is None:
                raise
            errors[exc.field] = exc.message
        else:
            request.session.clear()
            request.session["sid"] = sid
            return RedirectResponse("/account/security?changed=1", status_code=303)
    return _password_page(request, user, errors, status=422)


# --- error handlers of signing in ------------------------------------------------------------


def install_error_handlers(app: FastAPI) -> None:
    """A reset password sends pages to the change page and answers the API with 403; a locked
    sign-in answers 429 with Retry-After."""

    @app.exception_handler(PasswordChangeRequired)
    async def password_change_required(request: Request, exc: PasswordChangeRequired):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=403)
        return RedirectResponse(CHANGE_PASSWORD_PAGE, status_code=303)

    @app.exception_handler(TooManyAttempts)
    async def too_many_attempts(request: Request, exc: TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=429, headers=headers)
        return templates.TemplateResponse(
            request,
            "errors/error.html",
            {"title": exc.title, "message": exc.message, "status": 429, "user": None},
            status_code=429,
            headers=headers,
        )

