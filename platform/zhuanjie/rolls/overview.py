"""The 台帐 page's content for whoever opens it: a department user's import (template, upload,
history), the comparisons a supervisor or civil affairs may run and read, a caseworker's
worklist rows, and the townships whose 公示 the user looks after."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from zhuanjie import regions
from zhuanjie.clock import today
from zhuanjie.errors import Forbidden
from zhuanjie.models import RollReview, RollReviewItem, User
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import Page
from zhuanjie.rolls import compare, reviews
from zhuanjie.rolls import service as imports
from zhuanjie.rolls.layouts import LAYOUT_OF_DEPARTMENT, LAYOUTS, Layout


@dataclass
class Overview:
    layout: Layout | None = None  # the roll the user imports
    import_counties: list[str] = field(default_factory=list)
    history: list = field(default_factory=list)
    compare_counties: list[str] = field(default_factory=list)
    reviews: list[RollReview] = field(default_factory=list)
    items: list[RollReviewItem] = field(default_factory=list)
    items_page: Page = field(default_factory=lambda: Page(1))  # of the caseworker's rows
    publicity_towns: list[str] = field(default_factory=list)
    layouts: dict = field(default_factory=lambda: LAYOUTS)
    today: object = None


def overview(session: Session, *, actor: User, page: Page | None = None) -> Overview:
    """Forbidden for those with nothing here (donors, other organisations' staff)."""
    out = Overview(today=today())
    department = organisations.department_of(session, actor=actor)
    if department in LAYOUT_OF_DEPARTMENT:
        out.layout, out.import_counties = imports.import_scope(session, actor=actor)
        out.history = imports.history(session, actor=actor)
    out.compare_counties = compare.comparison_counties(session, actor)
    if out.compare_counties or actor.role == "caseworker":
        out.reviews = reviews.reviews_list(session, actor=actor)
    out.items, out.items_page = reviews.my_items(session, actor=actor, page=page)
    if actor.role == "caseworker" and actor.region_path:
        out.publicity_towns = [actor.region_path]
    elif department in ("civil_affairs", "poverty") or actor.role in ("supervisor", "admin"):
        counties = out.compare_counties or imports.served_counties(session, actor)
        out.publicity_towns = [t.path for c in counties for t in regions.townships(c)]
    if not (out.layout or out.compare_counties or actor.role == "caseworker"
            or out.publicity_towns):
        raise Forbidden("台帐仅供政府部门、监管人员和经办人员使用")
    return out
