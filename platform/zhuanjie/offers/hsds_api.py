"""JSON routes: the public directory and verified organisations as Open Referral HSDS 3.0."""

from __future__ import annotations

from fastapi import APIRouter, Query

from zhuanjie.bounds import MAX_PAGE
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.offers import hsds

router = APIRouter(tags=["hsds"])


@router.get("/hsds/services")
def hsds_services(
    session: SessionDep,
    user: OptionalUser,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(50, ge=1, le=500),
):
    """The public directory as Open Referral HSDS 3.0 services (a paginated HSDS page)."""
    return hsds.export_services(session, page=page, per_page=per_page)


@router.get("/hsds/organizations")
def hsds_organizations(
    session: SessionDep,
    user: OptionalUser,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(50, ge=1, le=500),
):
    """Verified organisations as Open Referral HSDS 3.0 organizations (paginated)."""
    return hsds.export_organizations(session, page=page, per_page=per_page)
