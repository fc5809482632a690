"""JSON routes for needs, their matches and their referrals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from zhuanjie import pagecache
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.matches import service as matches
from zhuanjie.needs import service
from zhuanjie.needs.schemas import NeedClose, NeedCreate, NeedPublic, NeedUpdate, TimelineEntry
from zhuanjie.pagination import ListPage
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate, ReferralPublic

router = APIRouter(tags=["needs"])


@router.get("/needs")
def list_needs(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    status: str = "",
    category: str = "",
    urgency: int | None = Query(None, ge=1, le=3),
    cursor: str | None = Query(None, max_length=200),
):
    """Needs in the caller's region, most urgent first.

    Paged by `cursor`: each answer carries `next` and `prev` (null at either end); pass one
    back as `cursor` for the next or previous `size` rows. `total` counts at most 1000 rows
    (`total_capped` true when there are more). `page` still reads page N by offset for old
    clients, with the exact total and no cursors (slow deep in a province: page by cursor)."""
    if cursor is None and shown.number > 1:
        rows, total = service.search_needs(
            session, actor=user, status=status, urgency=urgency, category=category,
            offset=shown.offset, limit=shown.size,
        )
        items = [NeedPublic.model_validate(n, from_attributes=True) for n in rows]
        return shown.listing(total, items) | {"total_capped": False, "next": None, "prev": None}
    listed = service.need_page(session, actor=user, status=status, urgency=urgency,
                               category=category, cursor=cursor, size=shown.size)
    items = [NeedPublic.model_validate(n, from_attributes=True) for n in listed.rows]
    return listed.listing(items) | {"page": None if cursor else 1}


@router.post("/households/{household_id}/needs", response_model=NeedPublic, status_code=201)
def create_need(household_id: PathId, body: NeedCreate, session: SessionDep, user: CurrentUser):
    """Record a need on a household."""
    return service.create_need(session, actor=user, household_id=household_id, data=body)


@router.get("/needs/{need_id}", response_model=NeedPublic)
def get_need(need_id: PathId, session: SessionDep, user: CurrentUser):
    return service.get_need(session, actor=user, need_id=need_id)


@router.put("/needs/{need_id}", response_model=NeedPublic)
def update_need(need_id: PathId, body: NeedUpdate, session: SessionDep, user: CurrentUser):
    """Edit a need that is not closed."""
    return service.update_need(session, actor=user, need_id=need_id, data=body)


@router.post("/needs/{need_id}/close", response_model=NeedPublic)
def close_need(need_id: PathId, body: NeedClose, session: SessionDep, user: CurrentUser):
    """Close a need with its outcome."""
    return service.close_need(session, actor=user, need_id=need_id, data=body)


@router.get("/needs/{need_id}/timeline", response_model=list[TimelineEntry])
def need_timeline(need_id: PathId, session: SessionDep, user: CurrentUser):
    """Everything that happened to the need, oldest first."""
    return service.timeline(session, service.get_need(session, actor=user, need_id=need_id))


pagecache.cache_route("/api/v1/needs/{need_id}/matches")


@router.get("/needs/{need_id}/matches")
def need_matches(
    need_id: PathId,
    session: SessionDep,
    user: CurrentUser,
    filters: Annotated[matches.MatchFilters, Depends()],
):
    """Admissible offers ranked by the engine, with reasons, and why others are excluded."""
    view = matches.filtered_matches(session, actor=user, need_id=need_id, filters=filters)
    return {
        "need_id": view.need.id,
        "ranked": [
            {
                "offer_id": r.offer.id,
                "title": r.offer.title,
                "organisation": r.organisation.name,
                "provider_kind": r.organisation.kind,
                "mode": r.offer.mode,
                "score": r.score,
                "reasons": r.reasons,
                "remaining": r.remaining,
                "already_received": r.entitled,
                "government_first": r.government_first,
            }
            for r in view.ranked
        ],
        "excluded": [
            {
                "offer_id": e.offer.id,
                "title": e.offer.title,
                "rules": e.labels,
                "details": e.details,
            }
            for e in view.excluded
        ],
        "referred": [
            {"offer_id": o.id, "title": o.title, "state": s} for o, _org, s in view.referred
        ],
        "covered_by": [
            {"programme": e.programme, "monthly_amount": e.monthly_amount}
            for e in view.entitlements
        ],
        "amount_needed": view.need.amount_needed,
        "government_amount": view.government_amount,
        "uncovered_amount": view.uncovered,
    }


@router.post("/needs/{need_id}/referrals", response_model=ReferralPublic, status_code=201)
def send_referral(need_id: PathId, body: ReferralCreate, session: SessionDep, user: CurrentUser):
    """Send the need to an offer's organisation, with the household's consent."""
    return referrals.send_referral(session, actor=user, need_id=need_id, data=body)
