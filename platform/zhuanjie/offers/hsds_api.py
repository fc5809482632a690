"""JSON routes: the public directory and verified organisations as Open Referral HSDS 3.0."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhuanjie.bounds import PageNo
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.offers import hsds

router = APIRouter(tags=["hsds"])
PerPage = Annotated[int, Query(ge=1, le=500)]


@router.get("/hsds/services")
def hsds_services(session: SessionDep, user: OptionalUser, page: PageNo = 1,
                  per_page: PerPage = 50):
    """The public directory as Open Referral HSDS 3.0 services (a paginated HSDS page)."""
    return hsds.export_services(session, page=page, per_page=per_page)


@router.get("/hsds/organizations")
def hsds_organizations(session: SessionDep, user: OptionalUser, page: PageNo = 1,
                       per_page: PerPage = 50):
    """Verified organisations as Open Referral HSDS 3.0 organizations (paginated)."""
    return hsds.export_organizations(session, page=page, per_page=per_page)
