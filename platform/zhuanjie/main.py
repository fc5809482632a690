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
    are not affected."""

    @app.middleware("http")
    async def same_origin_only(request: Request, call_next):
        bearer = request.headers.get("authorization", "").lower().startswith("bearer ")
        if (
            request.method in _UNSAFE_METHODS
            and SESSION_COOKIE in request.cookies
            and not bearer
        ):
            source = request.headers.get("origin") or request.headers.get("referer")
            hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")}
            if not source or urlsplit(source).netloc not in hosts:
                log.warning("refused %s %s from origin %s", request.method, request.url.path,
                            source)
                message = "请求不是从本站页面发出的，已拒绝。请回到本站页面重新操作。"
                if _wants_json(request):
                    return JSONResponse({"detail": message}, status_code=403)
                return _error_page(request, 403, "没有权限", message)
        return await call_next(request)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="转介 Zhuanjie API",
        description="社会救助转介服务信息平台的接口。认证：`Authorization: Bearer <令牌>`。",
        version="0.1.0",
        lifespan=_lifespan,
        docs_url=None,  # served by _serve_api_docs, whose one script carries a nonce
        openapi_url="/api/v1/openapi.json",
    )
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
    from zhuanjie.auth import api as auth_api
    from zhuanjie.auth import pages as auth_pages
    from zhuanjie.consents import api as consents_api
    from zhuanjie.consents import pages as consents_pages
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
    from zhuanjie.referrals import pages as referrals_pages
    from zhuanjie.reports import pages as reports_pages

    for module in (
        auth_pages,
        home_pages,
        admin_pages,
        organisations_pages,
        households_pages,
        needs_pages,
        plans_pages,  # before referrals_pages: /referrals/{id}/plan is not a referral action
        referrals_pages,
        notifications_pages,
        followups_pages,
        reports_pages,
        insight_pages,
    ):
        app.include_router(module.router)
    for module in (
        auth_api,
        organisations_api,
        households_api,
        needs_api,
        referrals_api,
        followups_api,
        plans_api,
        insight_api,
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

    @app.get("/healthz", tags=["system"])
    def healthz(session: SessionDep):
        try:
            session.exec(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return {"status": "ok", "database": "ok"}

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Run the scheduler inside the web process unless a separate worker has it."""
    scheduler = None
    if get_settings().run_scheduler:
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

    @app.middleware("http")
    async def no_nul_characters(request: Request, call_next):
        where = None
        if "\x00" in request.url.path:
            where = ["path"]
        for key, value in request.query_params.multi_items():
            if where is None and ("\x00" in key or "\x00" in value):
                where = ["query", key]
        content_type = request.headers.get("content-type", "")
        if where is None and request.method in _UNSAFE_METHODS and \
                not content_type.startswith("multipart/"):
            body = await request.body()
            if _NUL.search(body):
                where = _nul_in_body(body, content_type)
        if where is None:
            return await call_next(request)
        log.info("refused %s %s: NUL character in %s", request.method, request.url.path, where)
        if _wants_json(request):
            detail = [{"loc": where, "msg": _NUL_MESSAGE, "type": "value_error"}]
            return JSONResponse({"detail": detail}, status_code=422)
        return _error_page(request, 422, "填写有误", _NUL_MESSAGE)


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
