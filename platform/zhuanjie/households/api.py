"""JSON routes for households."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from zhuanjie.bounds import MAX_PAGE, PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.households import service
from zhuanjie.households.pages import refuse_numbers_in_url
from zhuanjie.households.schemas import (
    ChangeIn,
    EntitlementCreate,
    EntitlementPublic,
    HouseholdChangePublic,
    HouseholdCreate,
    HouseholdPublic,
    HouseholdUpdate,
    MemberCreate,
    MemberRemoval,
    MemberUpdate,
    Revealed,
)
from zhuanjie.pagination import ListPage

router = APIRouter(tags=["households"])


@router.get("/households")
def list_households(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    q: str = "",
):
    """Households in the caller's region, masked, newest first. `q` may not hold digits:
    search by ID number with `POST /households/search`, which keeps it out of URLs."""
    refuse_numbers_in_url(q)
    rows, total = service.search_households(
        session, actor=user, q=q, offset=shown.offset, limit=shown.size
    )
    return shown.listing(total, [service.household_public(session, h) for h in rows])


@router.post("/households", response_model=HouseholdPublic, status_code=201)
def create_household(body: HouseholdCreate, session: SessionDep, user: CurrentUser):
    """Register a household with its members (caseworkers, in their region)."""
    household = service.create_household(session, actor=user, data=body)
    return service.household_public(session, household)


@router.get("/households/{household_id}", response_model=HouseholdPublic)
def get_household(household_id: PathId, session: SessionDep, user: CurrentUser):
    """One household, personal fields masked."""
    return service.household_view(session, actor=user, household_id=household_id)


@router.post("/households/{household_id}/members/{member_id}/reveal", response_model=Revealed)
def reveal(
    household_id: PathId,
    member_id: PathId,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    field: str = Query(pattern="^(id_number|phone)$"),
):
    """Show a member's whole ID number or phone; the reveal is written to the audit log."""
    value = service.reveal_member_field(
        session,
        actor=user,
        household_id=household_id,
        member_id=member_id,
        field=field,
        ip=client_ip(request),
    )
    return Revealed(field=field, value=value)


@router.put("/households/{household_id}", response_model=HouseholdPublic)
def update_household(
    household_id: PathId, body: HouseholdUpdate, session: SessionDep, user: CurrentUser
):
    """Change address, contact, groups or income (caseworkers in scope)."""
    household = service.update_household(session, actor=user, household_id=household_id, data=body)
    return service.household_public(session, household)


@router.post("/households/{household_id}/members", response_model=HouseholdPublic, status_code=201)
def add_member(household_id: PathId, body: MemberCreate, session: SessionDep, user: CurrentUser):
    """Add a member to the household."""
    service.add_member(session, actor=user, household_id=household_id, data=body)
    return service.household_view(session, actor=user, household_id=household_id)


@router.put("/households/{household_id}/members/{member_id}", response_model=HouseholdPublic)
def update_member(household_id: PathId, member_id: PathId, body: MemberUpdate,
                  session: SessionDep, user: CurrentUser):
    """Correct a member's name, relation, health or phone (an empty phone keeps the old one)."""
    service.update_member(session, actor=user, household_id=household_id, member_id=member_id,
                          data=body)
    return service.household_view(session, actor=user, household_id=household_id)


@router.post("/households/{household_id}/members/{member_id}/remove",
             response_model=HouseholdPublic)
def remove_member(household_id: PathId, member_id: PathId, body: MemberRemoval,
                  session: SessionDep, user: CurrentUser):
    """A member left the household (the reason is kept): their consents end and the
    household is due for review. The head cannot be removed (409)."""
    service.remove_member(session, actor=user, household_id=household_id, member_id=member_id,
                          data=body)
    return service.household_view(session, actor=user, household_id=household_id)


@router.post("/households/{household_id}/changes", response_model=HouseholdChangePublic,
             status_code=201)
def record_change(household_id: PathId, body: ChangeIn, session: SessionDep, user: CurrentUser):
    """Record a change of income or circumstance; the household is due for review from
    today."""
    return service.record_change(session, actor=user, household_id=household_id, data=body)


@router.get("/households/{household_id}/changes", response_model=list[HouseholdChangePublic])
def list_changes(household_id: PathId, session: SessionDep, user: CurrentUser):
    """The household's latest recorded changes, newest first."""
    return service.household_changes(session, actor=user, household_id=household_id)


@router.get("/households/{household_id}/entitlements", response_model=list[EntitlementPublic])
def list_entitlements(household_id: PathId, session: SessionDep, user: CurrentUser):
    """Government programmes the household receives."""
    return service.household_entitlements(session, actor=user, household_id=household_id)


@router.post(
    "/households/{household_id}/entitlements", response_model=EntitlementPublic, status_code=201
)
def add_entitlement(
    household_id: PathId, body: EntitlementCreate, session: SessionDep, user: CurrentUser
):
    """Record a government programme the household already receives."""
    return service.add_entitlement(session, actor=user, household_id=household_id, data=body)


@router.post("/households/{household_id}/review", response_model=HouseholdPublic)
def record_review(household_id: PathId, session: SessionDep, user: CurrentUser):
    """The annual review is done; the next one is scheduled."""
    household = service.record_review(session, actor=user, household_id=household_id)
    return service.household_public(session, household)


@router.post("/households/{household_id}/transition", response_model=HouseholdPublic)
def start_transition(household_id: PathId, session: SessionDep, user: CurrentUser):
    """Start the 渐退 transition period of a household leaving 低保."""
    household = service.start_transition(session, actor=user, household_id=household_id)
    return service.household_public(session, household)


class HouseholdSearch(BaseModel):
    q: str = Field(default="", max_length=100)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    size: int = Field(default=30, ge=1, le=200)


@router.post("/households/search")
def search_households(body: HouseholdSearch, session: SessionDep, user: CurrentUser):
    """Households in the caller's region by name, village, or ID number (whole or last four):
    the same answer as `GET /households`, with what is searched for in the body."""
    rows, total = service.search_households(
        session, actor=user, q=body.q, offset=(body.page - 1) * body.size, limit=body.size
    )
    return {
        "total": total,
        "page": body.page,
        "size": body.size,
        "items": [service.household_public(session, h) for h in rows],
    }
