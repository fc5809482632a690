"""JSON routes for consents: list a need's consents, record a withdrawal."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.bounds import PathId
from zhuanjie.consents import service
from zhuanjie.consents.schemas import ConsentPublic, WithdrawalIn, WithdrawalResult
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip

router = APIRouter(tags=["consents"])


@router.get("/needs/{need_id}/consents", response_model=list[ConsentPublic])
def list_consents(need_id: PathId, session: SessionDep, user: CurrentUser):
    """The need's consents (referral and publication), with any withdrawal."""
    return service.consents_of_need(session, actor=user, need_id=need_id)


@router.post("/needs/{need_id}/consents/withdraw", response_model=WithdrawalResult)
def withdraw(
    need_id: PathId, body: WithdrawalIn, request: Request, session: SessionDep, user: CurrentUser
):
    """Record the household's withdrawal (caseworkers): organisations see nothing more,
    live referrals on it come back, publications on it are taken down, the 公示 entry goes."""
    return service.withdraw(session, actor=user, need_id=need_id, data=body,
                            ip=client_ip(request))
