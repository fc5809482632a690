"""Tokens for programs, who am I, and the account's own password, sessions and tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from zhuanjie.auth import service
from zhuanjie.auth.schemas import (
    PasswordChange,
    Security,
    SessionPublic,
    TokenIssued,
    TokenPublic,
    TokenRequest,
    UserPublic,
)
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip

router = APIRouter(tags=["accounts"])


@router.post("/auth/token", response_model=TokenIssued, status_code=201)
def create_token(body: TokenRequest, request: Request, session: SessionDep):
    """Exchange a username and password for a bearer token (shown once). Failed attempts are
    throttled per account and per client address like the login page (429 while locked).
    The token expires after `days` (default: the `token_days` setting)."""
    token, plain = service.sign_in_for_token(
        session,
        username=body.username,
        password=body.password,
        name=body.name,
        days=body.days,
        ip=client_ip(request),
    )
    return TokenIssued(token=plain, prefix=token.prefix, expires_at=token.expires_at)


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser):
    """The signed-in account, its role and its scope."""
    return user


@router.post("/account/password")
def change_password(body: PasswordChange, request: Request, session: SessionDep,
                    user: CurrentUser):
    """Change one's own password. Every session and every token of the account ends,
    the one making this call included: get a new token afterwards."""
    service.change_password(
        session,
        actor=user,
        current_password=body.current_password,
        new_password=body.new_password,
        ip=client_ip(request),
        browser=False,
    )
    return {"detail": "密码已修改；此账号的所有登录和令牌均已失效，请重新登录或获取令牌。"}


@router.get("/account/security", response_model=Security)
def security(request: Request, session: SessionDep, user: CurrentUser):
    """The account's live browser sessions and unexpired, unrevoked tokens."""
    sessions, tokens = service.active_sessions_and_tokens(session, actor=user)
    current = getattr(request.state, "session_id", None)
    return Security(
        sessions=[
            SessionPublic.model_validate(s, from_attributes=True).model_copy(
                update={"current": s.id == current}
            )
            for s in sessions
        ],
        tokens=[TokenPublic.model_validate(t, from_attributes=True) for t in tokens],
    )


@router.delete("/account/sessions/{session_id}", status_code=204)
def end_session(session_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """End one of the account's browser sessions."""
    service.end_session(session, actor=user, session_id=session_id, ip=client_ip(request))
    return Response(status_code=204)


@router.delete("/account/tokens/{token_id}", status_code=204)
def revoke_token(token_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """Revoke one of the account's API tokens."""
    service.revoke_token(session, actor=user, token_id=token_id, ip=client_ip(request))
    return Response(status_code=204)
