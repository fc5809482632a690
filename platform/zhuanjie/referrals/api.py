"""JSON routes for referrals: the organisation's answer, delivery, and the caseworker's moves."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.pagination import ListPage
from zhuanjie.referrals import checkin, service
from zhuanjie.referrals.schemas import (
    BulkAcceptIn,
    BulkResult,
    ConsentedView,
    DeclineIn,
    DeliveryIn,
    NoteIn,
    ReferralPublic,
)

router = APIRouter(tags=["referrals"])


@router.get("/referrals")
def list_referrals(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    box: str = Query("new", pattern="^(new|in_service|done)$"),
):
    """An organisation's inbox (org staff): one box at a time, with counts per box."""
    rows, counts = service.inbox(
        session, actor=user, box=box, offset=shown.offset, limit=shown.size
    )
    return {
        "counts": counts,
        "box": box,
        "page": shown.number,
        "size": shown.size,
        "items": [ReferralPublic.model_validate(r, from_attributes=True) for r in rows],
    }


@router.get("/referrals/{referral_id}", response_model=ReferralPublic)
def get_referral(referral_id: PathId, session: SessionDep, user: CurrentUser):
    return service.get_referral(session, actor=user, referral_id=referral_id)


@router.get("/referrals/{referral_id}/household", response_model=ConsentedView)
def consented_fields(
    referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    """The household's consented fields: whole for the receiving organisation's staff while
    it holds the referral and the consent is live (each look audited), masked for others."""
    return service.consented_of(
        session, actor=user, referral_id=referral_id, ip=client_ip(request)
    )


@router.post("/referrals/bulk-accept", response_model=BulkResult)
def bulk_accept(body: BulkAcceptIn, session: SessionDep, user: CurrentUser):
    """Accept several referrals; each is accepted or refused with its reason."""
    return service.bulk_accept(session, actor=user, referral_ids=body.referral_ids)


@router.post("/referrals/{referral_id}/accept", response_model=ReferralPublic)
def accept(referral_id: PathId, session: SessionDep, user: CurrentUser):
    """Accept (takes one place; 409 名额已满 when none is left)."""
    return service.accept(session, actor=user, referral_id=referral_id)


@router.post("/referrals/{referral_id}/decline", response_model=ReferralPublic)
def decline(referral_id: PathId, body: DeclineIn, session: SessionDep, user: CurrentUser):
    return service.decline(session, actor=user, referral_id=referral_id, data=body)


@router.post("/referrals/{referral_id}/start", response_model=ReferralPublic)
def start(referral_id: PathId, session: SessionDep, user: CurrentUser):
    return service.start_service(session, actor=user, referral_id=referral_id)


@router.post("/referrals/{referral_id}/deliver", response_model=ReferralPublic)
def deliver(referral_id: PathId, body: DeliveryIn, session: SessionDep, user: CurrentUser):
    return service.deliver(session, actor=user, referral_id=referral_id, data=body)


@router.post("/referrals/{referral_id}/fail", response_model=ReferralPublic)
def fail(referral_id: PathId, body: NoteIn, session: SessionDep, user: CurrentUser):
    return service.fail(session, actor=user, referral_id=referral_id, data=body)


@router.post("/referrals/{referral_id}/withdraw", response_model=ReferralPublic)
def withdraw(referral_id: PathId, body: NoteIn, session: SessionDep, user: CurrentUser):
    return service.withdraw(session, actor=user, referral_id=referral_id, data=body)


@router.post("/referrals/{referral_id}/close", response_model=ReferralPublic)
def close(referral_id: PathId, body: NoteIn, session: SessionDep, user: CurrentUser):
    return service.close(session, actor=user, referral_id=referral_id, data=body)


@router.post("/referrals/{referral_id}/arrival", response_model=ReferralPublic)
def arrival(referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """The receiving organisation records that the person arrived with the referral slip
    (an event; the referral's status stays as it was)."""
    return checkin.record_arrival(session, actor=user, referral_id=referral_id,
                                  ip=client_ip(request))
