"""Request dependencies: who is asking, and coarse role gates."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from zhuanjie.auth import service as auth
from zhuanjie.db import SessionDep
from zhuanjie.errors import Unauthorized
from zhuanjie.models import User
from zhuanjie.notifications import service as notifications
from zhuanjie.policy import ensure_role


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The bearer token's user for programs, else the signed session cookie's user."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = auth.user_for_token(session, header[7:].strip())
        if user is None:
            raise Unauthorized("API 令牌无效或已过期")
        return user
    user_id = request.session.get("user_id")
    if user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        request.session.clear()
        return None
    if not request.url.path.startswith("/api/"):  # the navigation's badge, pages only
        request.state.unread = notifications.unread_count(session, user)
    return user


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
    return request.client.host if request.client else ""
