"""Routes of the review of private donors' standing offers: the reviewers' page and API."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.donors import review as reviews
from zhuanjie.forms import FormDep, attempt
from zhuanjie.pagination import ListPage, Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["donors"])


def _page(request, session, user, errors=None, values=None, status=200, page: str = ""):
    rows, shown = reviews.waiting_page(session, actor=user, page=Page.requested(page))
    return templates.TemplateResponse(
        request, "donors/reviews.html",
        {"user": user, "rows": rows, "page": shown, "errors": errors or {},
         "values": values or {}},
        status_code=status,
    )


@router.get("/reviews/offers")
def review_page(request: Request, session: SessionDep, user: CurrentUser, page: str = ""):
    return _page(request, session, user, page=page)


@router.post("/reviews/offers/{offer_id}")
def review_offer(
    offer_id: PathId, request: Request, values: FormDep, session: SessionDep, user: CurrentUser
):
    _done, errors = attempt(lambda: reviews.decide(
        session, actor=user, offer_id=offer_id, data=reviews.ReviewIn.model_validate(values),
        ip=client_ip(request)), session=session)
    if errors:
        return _page(request, session, user, errors, values | {"offer_id": offer_id}, 400)
    return RedirectResponse("/reviews/offers", status_code=303)


@api_router.get("/reviews/offers", response_model=list[reviews.ReviewRow])
def list_reviews(session: SessionDep, user: CurrentUser, page: ListPage):
    """Private donors' standing offers waiting for the caller's review (supervisors, admins),
    oldest first, a page at a time (`page`, `size`)."""
    return reviews.waiting(session, actor=user, page=page)


@api_router.post("/reviews/offers/{offer_id}")
def review(offer_id: PathId, body: reviews.ReviewIn, request: Request, session: SessionDep,
           user: CurrentUser):
    """Approve (published: matching and the directory) or reject (closed, reason required)."""
    offer = reviews.decide(session, actor=user, offer_id=offer_id, data=body, ip=client_ip(request))
    return {"id": offer.id, "status": offer.status}
