"""JSON routes for organisations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.organisations import service
from zhuanjie.organisations.schemas import (
    ColleagueCreate,
    ColleaguePublic,
    EventPublic,
    OrganisationCreate,
    OrganisationDetail,
    OrganisationProfile,
    OrganisationPublic,
    OrganisationSignup,
    StatusDecision,
)
from zhuanjie.pagination import Page, page_query

router = APIRouter(tags=["organisations"])


@router.get("/organisations")
def list_organisations(
    session: SessionDep,
    user: CurrentUser,
    shown: Annotated[Page, page_query(50)],
    kind: str | None = None,
    status: str | None = None,
):
    """Organisations by name, paginated; `status=pending` lists those waiting for verification."""
    rows, total = service.list_organisations(
        session, actor=user, kind=kind, status=status, offset=shown.offset, limit=shown.size
    )
    return shown.listing(
        total, [OrganisationPublic.model_validate(o, from_attributes=True) for o in rows]
    )


@router.post("/organisations", response_model=OrganisationPublic, status_code=201)
def create_organisation(body: OrganisationCreate, session: SessionDep, user: CurrentUser):
    """Register an organisation (admins and supervisors); it starts as pending verification."""
    return service.create_organisation(session, actor=user, data=body)


@router.post("/organisations/signup", response_model=OrganisationDetail, status_code=201)
def sign_up(body: OrganisationSignup, session: SessionDep):
    """An organisation registers itself and its first staff account; it waits for verification."""
    org, _user = service.sign_up(session, data=body)
    return OrganisationDetail.model_validate(org, from_attributes=True)


@router.get("/organisations/{organisation_id}", response_model=OrganisationDetail)
def get_organisation(organisation_id: PathId, session: SessionDep, user: OptionalUser):
    """One organisation (the public sees verified ones only)."""
    org = service.get_organisation(session, actor=user, organisation_id=organisation_id)
    return OrganisationDetail.model_validate(org, from_attributes=True)


@router.patch("/organisations/{organisation_id}", response_model=OrganisationDetail)
def update_profile(
    organisation_id: PathId, body: OrganisationProfile, session: SessionDep, user: CurrentUser
):
    """The organisation's staff update its contact details and description."""
    org = service.update_profile(session, actor=user, organisation_id=organisation_id,
                                 data=body)
    return OrganisationDetail.model_validate(org, from_attributes=True)


@router.get("/organisations/{organisation_id}/events", response_model=list[EventPublic])
def organisation_events(organisation_id: PathId, session: SessionDep, user: CurrentUser):
    """Verification and suspension history with reasons."""
    return service.events(session, actor=user, organisation_id=organisation_id)


@router.get("/organisations/{organisation_id}/colleagues", response_model=list[ColleaguePublic])
def list_colleagues(organisation_id: PathId, session: SessionDep, user: CurrentUser):
    """The organisation's staff accounts."""
    return [
        ColleaguePublic.model_validate(u, from_attributes=True)
        for u in service.colleagues(session, actor=user, organisation_id=organisation_id)
    ]


@router.post(
    "/organisations/{organisation_id}/colleagues", response_model=ColleaguePublic,
    status_code=201,
)
def invite_colleague(
    organisation_id: PathId, body: ColleagueCreate, session: SessionDep, user: CurrentUser
):
    """Create an account for a colleague in the same organisation."""
    colleague = service.invite_colleague(session, actor=user, organisation_id=organisation_id,
                                         data=body)
    return ColleaguePublic.model_validate(colleague, from_attributes=True)


# Last: /organisations/{id}/{action} would otherwise shadow /organisations/{id}/colleagues.
@router.post("/organisations/{organisation_id}/{action}", response_model=OrganisationDetail)
def decide(
    organisation_id: PathId,
    action: Literal["verify", "reject", "suspend", "reactivate"],
    session: SessionDep,
    user: CurrentUser,
    body: StatusDecision | None = None,
):
    """Verify, reject, suspend or reactivate (admins and supervisors); the reason is kept."""
    org = service.decide(session, actor=user, organisation_id=organisation_id, action=action,
                         reason=body.reason if body else "")
    return OrganisationDetail.model_validate(org, from_attributes=True)
