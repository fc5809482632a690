"""Who may do what: role gates and region/organisation scope, checked by service functions."""

from __future__ import annotations

from sqlalchemy import or_

from zhuanjie import regions
from zhuanjie.errors import Forbidden, NotFound
from zhuanjie.models import User

REGION_ROLES = ("caseworker", "supervisor")


def ensure_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise Forbidden("您的角色无权进行此操作")


def in_region_scope(user: User, region_path: str) -> bool:
    """Admins see everything; caseworkers and supervisors their region and below."""
    if user.role == "admin":
        return True
    if user.role in REGION_ROLES and user.region_path:
        return regions.within(region_path, user.region_path)
    return False


def ensure_region(user: User, region_path: str) -> None:
    if not in_region_scope(user, region_path):
        raise Forbidden("该记录不在您的辖区范围内")


def region_filter(user: User, column):
    """A WHERE clause limiting `column` (a region path) to the user's scope."""
    if user.role == "admin":
        return True
    if user.role in REGION_ROLES and user.region_path:
        return or_(column == user.region_path, column.like(user.region_path + "/%"))
    return False


def one_visible(session, query, model, row_id: int, *, missing: str, hidden: str | None = None):
    """Row `row_id` of a `visible_*` query: NotFound when there is no such row at all,
    Forbidden (`hidden`) when it exists outside the user's scope, or NotFound for both when
    even its existence is not to be told (`hidden` None)."""
    row = session.exec(query.where(model.id == row_id)).first()
    if row is None:
        if hidden is None or session.get(model, row_id) is None:
            raise NotFound(missing)
        raise Forbidden(hidden)
    return row
