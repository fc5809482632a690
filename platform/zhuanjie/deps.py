"""Request dependencies: who is asking, and coarse role gates."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from zhuanjie import pagecache
from zhuanjie.auth import service as auth
from zhuanjie.auth.errors import CHANGE_PASSWORD_PAGE, PasswordChangeRequired
from zhuanjie.config import get_settings
from zhuanjie.db import SessionDep
from zhuanjie.errors import Unauthorized
from zhuanjie.models import User
from zhuanjie.policy import ensure_role

# Where a user whose password an administrator reset may still go.
_WHILE_PASSWORD_RESET = {CHANGE_PASSWORD_PAGE, "/api/v1/account/password", "/logout"}


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The bearer token's user for programs, else the session cookie's user. Either way one
    SELECT joins the token or session row to its (active) user; see auth.service."""
    header = request.headers.get("authorization", "")
    page = not request.url.path.startswith("/api/")
    seen: dict = {"unread": page}  # pages show the unread badge: read with the sign-in
    if header.lower().startswith("bearer "):
        plain = header[7:].strip()
        user = auth.user_for_token(session, plain, seen)
        if user is None:
            raise Unauthorized("API 令牌无效或已过期")
    else:
        plain = request.session.get("sid")
        if not isinstance(plain, str) or not plain:
            return None
        found = auth.user_for_session(session, plain, seen)
        if found is None:  # ended, expired, idle too long, or the user was deactivated
            request.session.clear()
            return None
        user, request.state.session_id = found
    _remember(request, plain, user, seen)
    if user.must_change_password and request.url.path not in _WHILE_PASSWORD_RESET:
        raise PasswordChangeRequired()
    if page:  # the navigation's badge, pages only
        request.state.unread = seen["unread"]
    return user


def _remember(request: Request, plain: str, user: User, seen: dict) -> None:
    """For the page cache (zhuanjie.pagecache): who this request's credential belongs to,
    valid while the "accounts" version read before the sign-in row was is current."""
    state = request.scope.get("state")
    if state is None or "zj_versions" not in state:
        return  # not a page the cache serves
    state["zj_user"] = (user.id, user.must_change_password)
    if user.must_change_password:
        return
    expires = seen["expires"]
    if seen.get("idle") is not None and seen["touched"] is not None:
        expires = min(expires, seen["touched"] + timedelta(seconds=seen["idle"]))
    pagecache.remember_sign_in(plain, pagecache.SignIn(
        user_id=user.id,
        accounts=state["zj_versions"].get("accounts", 0),
        expires=expires,
        touched=seen["touched"],
        touch_seconds=get_settings().session_touch_seconds,
    ))


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthorized("请先登录")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: str):
    def gate(user: CurrentUser) -> User:
        ensure_role(user, *roles)
        return user

    return Depends(gate)


def client_ip(request: Request) -> str:
    """The address of the person's computer. Behind reverse proxies listed in
    ZHUANJIE_TRUSTED_PROXIES, X-Forwarded-For is read from the right: each hop a trusted proxy
    added is skipped, and the first address no trusted proxy vouches for is the client. A peer
    that is not a trusted proxy is the client itself, whatever headers it sends."""
    import ipaddress

    from zhuanjie.config import get_settings

    peer = request.client.host if request.client else ""
    trusted = get_settings().trusted_proxy_networks

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if not trusted or not is_trusted(peer):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    address = peer
    for hop in reversed(hops):
        address = hop
        if not is_trusted(hop):
            break
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return peer  # a proxy passed on garbage: keep the last address we can vouch for
