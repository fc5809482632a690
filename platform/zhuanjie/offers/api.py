"""JSON routes for offers and the directory."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, UploadFile

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.offers import bulk, directory, service
from zhuanjie.offers.schemas import (
    OfferCreate,
    OfferPublic,
    OfferUpdate,
    RevisionPublic,
    StatusChange,
)
from zhuanjie.pagination import ListPage, Page, page_query

router = APIRouter(tags=["offers"])


@router.get("/offers")
def search_offers(
    session: SessionDep,
    user: OptionalUser,
    shown: Annotated[Page, page_query(20, max_size=100)],
    q: str = Query("", max_length=100),
    category: str = "",
    region: str = "",
    group: str = "",
    mode: str = "",
    kind: str = "",
    sort: Literal["relevance", "newest"] = "relevance",
    only_open: bool = False,
):
    """The directory: published offers of verified organisations, searched and paginated.

    `region` is a region path; an offer covering a county is found for every township in it.
    """
    params = {"q": q, "category": category, "region": region, "group": group, "mode": mode,
              "kind": kind, "sort": sort, "only_open": only_open}
    query = directory.parse_query(params)
    rows, total = directory.search(session, user=user, query=query,
                                   offset=shown.offset, limit=shown.size)
    return shown.listing(total, rows)


@router.get("/offers/mine")
def my_offers(
    session: SessionDep,
    user: CurrentUser,
    shown: ListPage,
    status: str = "",
):
    """The caller's organisation's offers in every state, drafts included."""
    rows, total = service.my_offers(session, actor=user, status=status,
                                    offset=shown.offset, limit=shown.size)
    return shown.listing(total, service.offers_public(session, rows))


@router.post("/offers", response_model=OfferPublic, status_code=201)
def create_offer(body: OfferCreate, session: SessionDep, user: CurrentUser):
    """Save a new offer as a draft of the caller's organisation."""
    offer = service.create_offer(session, actor=user, data=body)
    return service.offers_public(session, [offer])[0]


@router.get("/offers/{offer_id}", response_model=OfferPublic)
def get_offer(offer_id: PathId, session: SessionDep, user: OptionalUser):
    """One offer: who runs it, whom it serves, how many places remain, until when."""
    offer = service.get_offer(session, actor=user, offer_id=offer_id)
    return service.offers_public(session, [offer])[0]


@router.patch("/offers/{offer_id}", response_model=OfferPublic)
def update_offer(offer_id: PathId, body: OfferUpdate, session: SessionDep, user: CurrentUser):
    """Change some fields of one's own offer; the change is kept in its history."""
    offer = service.update_offer(session, actor=user, offer_id=offer_id, data=body)
    return service.offers_public(session, [offer])[0]


@router.post("/offers/{offer_id}/{action}", response_model=OfferPublic)
def change_status(
    offer_id: PathId,
    action: Literal["publish", "pause", "close"],
    session: SessionDep,
    user: CurrentUser,
    body: StatusChange | None = None,
):
    """Publish, pause or close one's own offer."""
    offer = service.change_status(session, actor=user, offer_id=offer_id, action=action,
                                  note=body.note if body else "")
    return service.offers_public(session, [offer])[0]


@router.get("/offers/{offer_id}/revisions", response_model=list[RevisionPublic])
def offer_revisions(offer_id: PathId, session: SessionDep, user: CurrentUser):
    """Who changed what and when."""
    return service.revisions(session, actor=user, offer_id=offer_id)


@router.post("/offers/bulk")
def bulk_api(file: UploadFile, session: SessionDep, user: CurrentUser, commit: bool = False):
    """Check a sheet of offers (.xlsx or .csv); with `commit=true` save all rows as drafts or
    none (422 naming the rows that are wrong)."""
    return bulk.upload(session, actor=user, filename=file.filename or "",
                       content=file.file.read(), commit=commit)
