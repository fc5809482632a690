"""JSON routes of 台帐比对: a report with the worklist rows the caller may see, assigning a row
and closing it with an outcome (the same rules as the pages)."""

from __future__ import annotations

from fastapi import APIRouter

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.pagination import ListPage
from zhuanjie.rolls import reviews
from zhuanjie.rolls.schemas import ItemAssign, ItemClose, ItemPublic, ReviewPublic

router = APIRouter(tags=["rolls"])


@router.get("/roll-reviews/{review_id}", response_model=ReviewPublic)
def get_review(review_id: PathId, session: SessionDep, user: CurrentUser, shown: ListPage):
    """A 台帐比对 report with one page (`page`, `size`) of the worklist rows the caller may
    see, and how many there are (`total`)."""
    return reviews.review_public(session, actor=user, review_id=review_id, page=shown)


@router.post("/roll-review-items/{item_id}/assign", response_model=ItemPublic)
def assign_item(item_id: PathId, body: ItemAssign, session: SessionDep, user: CurrentUser):
    """Give a row to a caseworker of its township (county supervisors, civil affairs)."""
    return reviews.assign(session, actor=user, item_id=item_id, assignee_id=body.assignee_id)


@router.post("/roll-review-items/{item_id}/close", response_model=ItemPublic)
def close_item(item_id: PathId, body: ItemClose, session: SessionDep, user: CurrentUser):
    """Close an open row with its outcome (409 when it is closed already)."""
    return reviews.close(session, actor=user, item_id=item_id, outcome=body.outcome,
                         note=body.note)
