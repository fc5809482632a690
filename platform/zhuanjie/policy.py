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
# Organisations whose offers the public, the directory and matching may see: verified bodies,
# and private donors (kind "person", never called verified) whose offers were each reviewed.
LISTED_ORG_STATUSES = ("verified", "person")


def ensure_organisation_active(user: User) -> None:
    """Staff of an organisation that is suspended, rejected or not yet verified see no
    household data at all, from the moment its status changes (checked on every request)."""
    from sqlalchemy.orm import object_session

    from zhuanjie.models import Organisation

    status = None
    if user.organisation_id is not None:
        session = object_session(user)
        if session is not None:  # the request's session: the status as of this request
            org = session.get(Organisation, user.organisation_id)
            status = org.status if org else None
        else:  # a user object detached from any session: look it up afresh
            from sqlmodel import Session

            from zhuanjie.db import get_engine

            with Session(get_engine()) as fresh:
                org = fresh.get(Organisation, user.organisation_id)
                status = org.status if org else None
    if status != "verified":
        raise Forbidden("本机构已被暂停、未通过认证或尚在审核中，不能查看困难家庭的信息")


def region_scope(user: User, column):
    """`region_filter` as the list of region paths the scope holds (`column IN (…)`), for a
    column that only holds paths of the shipped region tree (a foreign key to `regions`, which
    is filled from it): the same rows, but an index serves an IN list, where PostgreSQL reads
    `LIKE '南通市/如皋市/%'` row by row (it indexes a LIKE prefix only under the C collation).
    No condition at all for a scope holding the whole tree."""
    from sqlalchemy import true

    if user.role in REGION_ROLES and user.region_path and regions.is_known(user.region_path):
        nodes = regions.region_nodes()
        paths = [n.path for n in nodes if regions.within(n.path, user.region_path)]
        return true() if len(paths) == len(nodes) else column.in_(paths)
    return region_filter(user, column)
