"""The web layer's own defences, as ASGI middleware around the whole application:

- security headers on every response (CSP without inline script, frame-ancestors 'none',
  nosniff, Referrer-Policy, HSTS in production) and `Cache-Control: no-store` on everything
  a signed-in person or a token receives;
- a request body limit: a declared Content-Length over the limit is refused before anything
  is read, and a body streamed without one is counted and cut off at the limit (413).

`wrap_application(app)` puts them outside Starlette's own error middleware, so 500 pages and
413 refusals carry the headers too.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE_MESSAGE = "提交的内容太大，已拒绝。上传文件请不要超过 {size}。"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def docs_csp(nonce: str) -> str:
    """The API documentation page loads Swagger UI from its CDN and starts it with one script
    carrying a per-request nonce; nothing else inline runs."""
    cdn = "https://cdn.jsdelivr.net"
    return (
        f"default-src 'self'; script-src 'self' {cdn} 'nonce-{nonce}'; style-src 'self' {cdn}; "
        f"img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def is_authenticated(headers: Headers, session_cookie: str) -> bool:
    """A request that carries a session cookie or a bearer token: what it gets back may hold
    personal data and must not be stored by browsers or proxies."""
    if headers.get("authorization", "").lower().startswith("bearer "):
        return True
    return any(
        part.strip().startswith(session_cookie + "=")
        for part in headers.get("cookie", "").split(";")
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, production: bool, session_cookie: str) -> None:
        self.app = app
        self.production = production
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        authenticated = is_authenticated(Headers(scope=scope), self.session_cookie)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = CSP
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
                if self.production:
                    headers["Strict-Transport-Security"] = HSTS
                if not static and (authenticated or "cache-control" not in headers):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        super().__init__(413, TOO_LARGE_MESSAGE.format(size=size))


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413 without reading them whole.

    A declared Content-Length over the limit is refused before any of the body is read (the
    server enforces the declared length, so a body cannot grow past it). A body sent without
    a length (chunked) is received chunk by chunk and counted; past the limit the request is
    refused at once, before its end arrives, and the application never sees it."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.limit:
                await _refuse(scope, receive, send, BodyTooLarge(self.limit))
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the application will see that too
            size += len(message.get("body", b""))
            if size > self.limit:
                await _refuse(scope, receive, send, BodyTooLarge(self.limit))
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                if message["type"] != "http.request":
                    return message
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, exc: HTTPException) -> None:
    from fastapi.responses import JSONResponse

    request = Request(scope, receive)
    if scope["path"].startswith("/api/"):
        response = JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    else:
        from zhuanjie.templating import templates

        response = templates.TemplateResponse(
            request,
            "errors/error.html",
            {"title": "内容太大", "message": exc.detail, "status": exc.status_code, "user": None},
            status_code=exc.status_code,
        )
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def wrap_application(
    app, *, production: bool, max_body_bytes: int, session_cookie: str
) -> None:
    """Put the body limit and the headers outside everything else Starlette builds."""
    build = app.build_middleware_stack

    def build_with_defences() -> ASGIApp:
        return SecurityHeaders(
            BodyLimit(build(), limit=max_body_bytes),
            production=production,
            session_cookie=session_cookie,
        )

    app.build_middleware_stack = build_with_defences
