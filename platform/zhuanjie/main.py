"""create_app(): routers, static files, sessions, error handlers."""

from __future__ import annotations

import json
import logging
import re
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from zhuanjie.config import get_settings
from zhuanjie.db import SessionDep
from zhuanjie.errors import DomainError, Unauthorized
from zhuanjie.forms import chinese_message
from zhuanjie.templating import templates
from zhuanjie.web import docs_csp, new_nonce, wrap_application

log = logging.getLogger("zhuanjie")

_HTTP_TITLES = {
    404: "页面不存在", 405: "不支持的操作", 401: "请先登录", 403: "没有权限", 413: "内容太大"
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _error_page(request: Request, status: int, title: str, message: str):
    return templates.TemplateResponse(
        request,
        "errors/error.html",
        {"title": title, "message": message, "status": status, "user": None},
        status_code=status,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        if _wants_json(request):
            if exc.field:
                detail = [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]
            else:
                detail = exc.message
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        if isinstance(exc, Unauthorized):
            query = unquote(request.url.query)
            target = request.url.path + (f"?{query}" if query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        return _error_page(request, exc.status_code, exc.title, exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        detail = [
            {"loc": list(e["loc"]), "msg": chinese_message(e), "type": e["type"]}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=422)
        # People read Chinese messages, not English field names.
        messages = "；".join(dict.fromkeys(d["msg"] for d in detail))
        return _error_page(request, 422, "填写有误", messages)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        title = _HTTP_TITLES.get(exc.status_code, "请求有误")
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return _error_page(
            request,
            exc.status_code,
            title,
            "您要找的页面不存在或已被移除。" if exc.status_code == 404 else str(exc.detail),
        )

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "服务器内部错误，请稍后再试"}, status_code=500)
        return _error_page(request, 500, "系统出错了", "服务器内部错误，请稍后再试；问题已记录。")


SESSION_COOKIE = "zhuanjie_session"
_UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _refuse_cross_site_forms(app: FastAPI) -> None:
    """A change sent with the signed-in cookie from a page of another site is refused.
    SameSite=Lax already keeps the cookie off such requests in current browsers; comparing
    the browser's Origin (or Referer) with the host also covers older browsers and sibling
    subdomains. A change that names neither is refused too: browsers send Origin with every
    form POST, so only a forged or stripped request lacks both. Programs using a bearer token
    are not affected.

    A plain ASGI middleware: reading requests pass straight through (no per-request task and
    stream that `@app.middleware("http")` would add to every page)."""
    app.add_middleware(_SameOriginOnly)


class _SameOriginOnly:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in _UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        bearer = request.headers.get("authorization", "").lower().startswith("bearer ")
        if SESSION_COOKIE in request.cookies and not bearer:
            source = request.headers.get("origin") or request.headers.get("referer")
            hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")}
            if not source or urlsplit(source).netloc not in hosts:
                log.warning("refused %s %s from origin %s", request.method, request.url.path,
                            source)
                message = "请求不是从本站页面发出的，已拒绝。请回到本站页面重新操作。"
                if _wants_json(request):
                    response = JSONResponse({"detail": message}, status_code=403)
                else:
                    response = _error_page(request, 403, "没有权限", message)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _tcp_nodelay_on_inherited_sockets() -> None:
    """`serve --workers N`: uvicorn hands each worker the listening socket, whose accepted
    connections report protocol 0, so asyncio does not set TCP_NODELAY on them and every
    keep-alive response waits ~40 ms for a delayed ACK (measured: 22 req/s on one connection
    against 3,500 with one process). Set it on any TCP stream socket instead."""
    import asyncio.base_events
    import socket

    def set_nodelay(sock) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    asyncio.base_events._set_nodelay = set_nodelay


def create_app() -> FastAPI:
    _tcp_nodelay_on_inherited_sockets()
    settings = get_settings()
    app = FastAPI(
        title="转介 Zhuanjie API",
        description="社会救助转介服务信息平台的接口。认证：`Authorization: Bearer <令牌>`。",
        version="0.1.0",
        lifespan=_lifespan,
        docs_url=None,  # served by _serve_api_docs, whose one script carries a nonce
        openapi_url="/api/v1/openapi.json",
    )
    from zhuanjie import pagecache

    # Added first, so it sits inside the session middleware (it reads the browser session).
    # Whether it serves is decided now (ZHUANJIE_PAGE_CACHE), not at the first request.
    app.add_middleware(pagecache.PageCache, on=pagecache.enabled())
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.mode == "production",
    )
    _refuse_cross_site_forms(app)
    _refuse_nul_characters(app)
    static_dir = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    _install_error_handlers(app)
    from zhuanjie.auth.pages import install_error_handlers as install_sign_in_errors

    install_sign_in_errors(app)  # 429 with Retry-After; a reset password → the change page
    _serve_api_docs(app)
    wrap_application(
        app,
        production=settings.mode == "production",
        max_body_bytes=settings.max_body_bytes,
        session_cookie=SESSION_COOKIE,
    )

    from zhuanjie.admin import pages as admin_pages
    from zhuanjie.allocation import api as allocation_api
    from zhuanjie.allocation import pages as allocation_pages
    from zhuanjie.attachments import api as attachments_api
    from zhuanjie.attachments import pages as attachments_pages
    from zhuanjie.auth import api as auth_api
    from zhuanjie.auth import pages as auth_pages
    from zhuanjie.consents import api as consents_api
    from zhuanjie.consents import pages as consents_pages
    from zhuanjie.documents import pages as documents_pages
    from zhuanjie.donors import api as donors_api
    from zhuanjie.donors import pages as donors_pages
    from zhuanjie.donors import review_pages as donors_review
    from zhuanjie.followups import api as followups_api
    from zhuanjie.followups import pages as followups_pages
    from zhuanjie.home import pages as home_pages
    from zhuanjie.households import api as households_api
    from zhuanjie.households import pages as households_pages
    from zhuanjie.insight import api as insight_api
    from zhuanjie.insight import pages as insight_pages
    from zhuanjie.intake import api as intake_api
    from zhuanjie.intake import pages as intake_pages
    from zhuanjie.learning import api as learning_api
    from zhuanjie.learning import pages as learning_pages
    from zhuanjie.needs import api as needs_api
    from zhuanjie.needs import pages as needs_pages
    from zhuanjie.notifications import pages as notifications_pages
    from zhuanjie.offers import api as offers_api
    from zhuanjie.offers import bulk_pages as offers_bulk_pages
    from zhuanjie.offers import hsds_api as offers_hsds_api
    from zhuanjie.offers import pages as offers_pages
    from zhuanjie.organisations import api as organisations_api
    from zhuanjie.organisations import pages as organisations_pages
    from zhuanjie.plans import api as plans_api
    from zhuanjie.plans import pages as plans_pages
    from zhuanjie.referrals import api as referrals_api
    from zhuanjie.referrals import checkin_pages as referrals_checkin
    from zhuanjie.referrals import pages as referrals_pages
    from zhuanjie.reports import pages as reports_pages
    from zhuanjie.rolls import api as rolls_api
    from zhuanjie.rolls import pages as rolls_pages
    from zhuanjie.rolls import public_pages as rolls_public_pages

    for module in (
        auth_pages,
        home_pages,
        admin_pages,
        organisations_pages,
        households_pages,
        needs_pages,
        plans_pages,  # before referrals_pages: /referrals/{id}/plan is not a referral action
        referrals_pages,
        intake_pages,
        notifications_pages,
        followups_pages,
        reports_pages,
        insight_pages,
        learning_pages,
        allocation_pages,
        attachments_pages,
        documents_pages,
        referrals_checkin,
        rolls_pages,
        rolls_public_pages,
    ):
        app.include_router(module.router)
    for module in (
        auth_api,
        organisations_api,
        households_api,
        needs_api,
        referrals_api,
        intake_api,
        followups_api,
        plans_api,
        insight_api,
        learning_api,
        allocation_api,
        attachments_api,
        rolls_api,
    ):
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(donors_pages.router)
    app.include_router(donors_api.router, prefix="/api/v1")
    app.include_router(donors_review.router)
    app.include_router(donors_review.api_router, prefix="/api/v1")
    app.include_router(consents_pages.router)
    app.include_router(consents_api.router, prefix="/api/v1")
    # Offers: the bulk routes (/offers/bulk…) come before /offers/{offer_id}.
    app.include_router(offers_bulk_pages.router)
    app.include_router(offers_pages.router)
    app.include_router(offers_hsds_api.router, prefix="/api/v1")
    app.include_router(offers_api.router, prefix="/api/v1")
    from zhuanjie.unclaimed import api as unclaimed_api
    from zhuanjie.unclaimed import pages as unclaimed_pages

    app.include_router(unclaimed_pages.router)
    app.include_router(unclaimed_api.router, prefix="/api/v1")

    @app.get("/healthz", tags=["system"])
    def healthz(session: SessionDep):
        try:
            session.exec(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return {"status": "ok", "database": "ok"}

    _skip_routers_by_prefix(app)
    return app


def _skip_routers_by_prefix(app: FastAPI) -> None:
    """FastAPI (0.16x) keeps each included router as one route and, for every request,
    tries each of its routes in turn, with per-route bookkeeping: a request for a page whose
    router comes late paid several milliseconds just to be routed. Each included router is
    given a first test instead: the request's path must start with the literal beginning
    (up to the first parameter, without a trailing slash) of one of its routes; otherwise the
    router cannot match and is passed over. Routers this cannot describe are left as they
    are."""
    from starlette.routing import Match

    for route in app.router.routes:
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        prefix = getattr(getattr(route, "include_context", None), "prefix", None)
        if inner is None or prefix is None or not hasattr(route, "matches"):
            continue
        paths = [getattr(r, "path", None) for r in inner]
        if not paths or any(not isinstance(p, str) for p in paths):
            continue  # nested routers or mounts: keep the general path
        starts = tuple({(prefix + p).split("{", 1)[0].rstrip("/") for p in paths})
        if "" in starts:
            continue

        def first_test(scope, _starts=starts, _general=route.matches):
            path = scope.get("path", "")
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root):]
            if not path.startswith(_starts):
                return Match.NONE, {}
            return _general(scope)

        route.matches = first_test


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Run the scheduler inside the web process unless a separate worker has it."""
    scheduler = None
    if get_settings().run_scheduler and _scheduler_lock_won():
        from zhuanjie.scheduler import build_scheduler

        scheduler = build_scheduler()
        scheduler.start()
        log.info("scheduler started in the web process")
    yield
    if scheduler is not None:
        scheduler.shutdown(wait=False)


def _serve_api_docs(app: FastAPI) -> None:
    """Swagger UI at /docs under a Content-Security-Policy: its one inline script carries a
    per-request nonce instead of the policy allowing inline script."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    @app.get("/docs", include_in_schema=False)
    def api_docs():
        nonce = new_nonce()
        page = get_swagger_ui_html(openapi_url=app.openapi_url, title=app.title + " - 接口文档")
        html = page.body.decode().replace("<script>", f'<script nonce="{nonce}">')
        return HTMLResponse(html, headers={"Content-Security-Policy": docs_csp(nonce)})


_NUL_MESSAGE = "不能包含空字符（\\0）"
_NUL = re.compile(rb"\x00|%00|\\u0000", re.IGNORECASE)


def _nul_field(value, where: list) -> list | None:
    """Where a decoded JSON value holds a NUL character: its location, else None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return [*where, key]
        found = _nul_field(item, [*where, key])
        if found is not None:
            return found
    return None


def _refuse_nul_characters(app: FastAPI) -> None:
    """No text the platform stores or looks up may hold a NUL character: PostgreSQL refuses
    it in every text column (a 500 otherwise), and no person types one. A request carrying
    one in its path, query or (non-file) body is a 422 naming where it was."""
    app.add_middleware(RefuseNulCharacters)


class RefuseNulCharacters:
    """Pure ASGI (no BaseHTTPMiddleware task and stream per request): a GET costs a look at
    the path and the raw query; the body of an unsafe request is read, checked and replayed
    to the application unchanged."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = None
        if "\x00" in scope["path"]:
            where = ["path"]
        elif _NUL.search(scope.get("query_string", b"")):
            for key, value in Request(scope).query_params.multi_items():
                if "\x00" in key or "\x00" in value:
                    where = ["query", key]
                    break
        if where is None and scope["method"] in _UNSAFE_METHODS:
            content_type = ""
            for name, value in scope.get("headers", ()):
                if name == b"content-type":
                    content_type = value.decode("latin-1")
                    break
            if not content_type.startswith("multipart/"):
                body, gone = await _read_body(receive)
                if gone:
                    return
                if _NUL.search(body):
                    where = _nul_in_body(body, content_type)
                receive = _replay(body, receive)
        if where is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        log.info("refused %s %s: NUL character in %s", request.method, request.url.path, where)
        if _wants_json(request):
            detail = [{"loc": where, "msg": _NUL_MESSAGE, "type": "value_error"}]
            response = JSONResponse({"detail": detail}, status_code=422)
        else:
            response = _error_page(request, 422, "填写有误", _NUL_MESSAGE)
        await response(scope, receive, send)


async def _read_body(receive) -> tuple[bytes, bool]:
    """The whole request body, and whether the client went away while it was read."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"", True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, receive):
    """A receive that gives the application the body already read, then the client's own."""
    pending = True

    async def replayed():
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _nul_in_body(body: bytes, content_type: str) -> list | None:
    if content_type.startswith("application/x-www-form-urlencoded"):
        for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                return ["body", key]
        return None
    try:
        decoded = json.loads(body)
    except ValueError:
        return ["body"] if b"\x00" in body else None
    return _nul_field(decoded, ["body"])


_held_lock = None


def _scheduler_lock_won() -> bool:
    """`zhuanjie serve --workers N --scheduler-in-one`: the first worker to lock the file named
    by ZHUANJIE_SCHEDULER_LOCK runs the scheduler, the others do not. No file: this process
    is the only one."""
    import fcntl
    import os

    global _held_lock
    path = os.environ.get("ZHUANJIE_SCHEDULER_LOCK")
    if not path:
        return True
    handle = open(path, "a")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _held_lock = handle
    return True
