"""Tokens for programs, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.auth import service
from zhuanjie.auth.schemas import TokenIssued, TokenRequest, UserPublic
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip

router = APIRouter(tags=["accounts"])


@router.post("/auth/token", response_model=TokenIssued, status_code=201)
def create_token(body: TokenRequest, request: Request, session: SessionDep):
    """Exchange a username and password for a bearer token (shown once)."""
    user = service.authenticate(
        session, username=body.username, password=body.password, ip=client_ip(request)
    )
    token = service.issue_token(session, user=user, name=body.name)
    return TokenIssued(token=token, prefix=token[:10])


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser):
    """The signed-in account, its role and its scope."""
    return user
