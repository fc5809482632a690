"""JSON routes for organisations."""

from __future__ import annotations

from fastapi import APIRouter, Query

from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.organisations import service
from zhuanjie.organisations.schemas import OrganisationCreate, OrganisationPublic

router = APIRouter(tags=["organisations"])


@router.get("/organisations")
def list_organisations(
    session: SessionDep,
    user: CurrentUser,
    kind: str | None = None,
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=200),
):
    """Organisations by name, paginated."""
    rows, total = service.list_organisations(
        session, actor=user, kind=kind, offset=(page - 1) * size, limit=size
    )
    return {
        "total": total,
        "page": page,
        "size": size,
        "items": [OrganisationPublic.model_validate(o, from_attributes=True) for o in rows],
    }


@router.post("/organisations", response_model=OrganisationPublic, status_code=201)
def create_organisation(body: OrganisationCreate, session: SessionDep, user: CurrentUser):
    """Register an organisation (admins and supervisors); it starts as pending verification."""
    return service.create_organisation(session, actor=user, data=body)
