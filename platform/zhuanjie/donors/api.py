"""JSON routes: the public board (no login), publications, pledges and their decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zhuanjie.bounds import MAX_PAGE, PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.donors import board, cache, display, service
from zhuanjie.donors.schemas import (
    BoardPage,
    BoardQuery,
    DeclineIn,
    DeliveredIn,
    PledgeCreate,
    PledgePublic,
    PublicationIn,
    PublicationPublic,
    TakedownIn,
)
from zhuanjie.errors import NotFound

router = APIRouter(tags=["board"])


def _json(request: Request, make, session=None) -> Response:
    """Public JSON, shared for a few seconds like the pages (see donors.cache)."""
    key = request.url.path + "?" + request.url.query
    hit = cache.get(key, session)
    if hit is None:
        hit = (make().model_dump_json().encode(), "application/json")
        cache.put(key, *hit)
    return Response(hit[0], media_type=hit[1])


@router.get("/board", response_model=BoardPage)
def board_list(request: Request, session: SessionDep, query: Annotated[BoardQuery, Query()]):
    """Published needs, de-identified; filter by county, category, urgency, amount still needed."""

    def make() -> BoardPage:
        rows, total = board.search(session, query=query)
        return BoardPage(total=total, page=query.page, size=query.size,
                         items=[board.public_view(p) for p in rows])

    return _json(request, make, session)


@router.get("/board/display/{county}")
def board_display(
    county: str, session: SessionDep, page: int = Query(1, ge=1, le=MAX_PAGE)
):
    """公示: what was given in a county by category and month; the recipients who agreed
    to be listed, masked, with township, category and month, 20 a page."""
    return display.county_display(session, county=county, page=page)


@router.get("/board/{publication_id}", response_model=PublicationPublic)
def board_detail(publication_id: PathId, request: Request, session: SessionDep):
    return _json(request, lambda: board.public_view(
        board.get_public(session, publication_id=publication_id)), session)


@router.get("/needs/{need_id}/publication", response_model=PublicationPublic)
def get_publication(need_id: PathId, session: SessionDep, user: CurrentUser):
    """The need's publication as the board shows it (any status)."""
    pub = service.publication_of_need(session, actor=user, need_id=need_id)
    if pub is None:
        raise NotFound("该需求尚未发布")
    return board.public_view(pub)


@router.post("/needs/{need_id}/publication", response_model=PublicationPublic, status_code=201)
def publish(need_id: PathId, body: PublicationIn, session: SessionDep, user: CurrentUser):
    """Publish a de-identified text of the need with the household's consent."""
    return board.public_view(service.publish(session, actor=user, need_id=need_id, data=body))


@router.post("/publications/{publication_id}/takedown", response_model=PublicationPublic)
def take_down(publication_id: PathId, body: TakedownIn, session: SessionDep, user: CurrentUser):
    """A supervisor takes a published need off the board."""
    pub = service.take_down(session, actor=user, publication_id=publication_id, data=body)
    return board.public_view(pub)


@router.post("/pledges", response_model=PledgePublic, status_code=201)
def create_pledge(body: PledgeCreate, session: SessionDep, user: CurrentUser):
    """A donor pledges money, goods or time; money beyond what is still needed is refused."""
    p = service.pledge(session, actor=user, publication_id=body.publication_id, data=body)
    return service.pledge_public(session, p)


@router.get("/pledges", response_model=list[PledgePublic])
def list_pledges(session: SessionDep, user: CurrentUser):
    """The donor's own pledges, newest first."""
    rows = service.my_pledges(session, actor=user)
    return [service.pledge_public(session, p) for p, _pub in rows]


@router.get("/pledges/{pledge_id}", response_model=PledgePublic)
def get_pledge(pledge_id: PathId, session: SessionDep, user: CurrentUser):
    p = service.get_pledge(session, actor=user, pledge_id=pledge_id)
    return service.pledge_public(session, p)


@router.post("/pledges/{pledge_id}/confirm", response_model=PledgePublic)
def confirm(pledge_id: PathId, session: SessionDep, user: CurrentUser):
    """The caseworker confirms: the pledge becomes an accepted referral."""
    return service.pledge_public(session, service.confirm(session, actor=user, pledge_id=pledge_id))


@router.post("/pledges/{pledge_id}/decline", response_model=PledgePublic)
def decline(pledge_id: PathId, body: DeclineIn, session: SessionDep, user: CurrentUser):
    return service.pledge_public(
        session, service.decline(session, actor=user, pledge_id=pledge_id, data=body)
    )


@router.post("/pledges/{pledge_id}/deliver", response_model=PledgePublic)
def deliver(pledge_id: PathId, body: DeliveredIn, session: SessionDep, user: CurrentUser):
    """Record delivery with a thank-you note for the donor (checked for identifying details)."""
    return service.pledge_public(
        session, service.deliver(session, actor=user, pledge_id=pledge_id, data=body)
    )


@router.post("/pledges/{pledge_id}/cancel", response_model=PledgePublic)
def cancel(pledge_id: PathId, session: SessionDep, user: CurrentUser):
    """The donor withdraws a pledge that is not yet confirmed."""
    return service.pledge_public(session, service.cancel(session, actor=user, pledge_id=pledge_id))
