"""Page numbers for lists: every list, page and API alike, is paginated the same way."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from sqlmodel import Session, func, select

from zhuanjie.bounds import MAX_PAGE

PAGE_SIZE = 30


@dataclass(frozen=True)
class Page:
    """One page of a list: its number (from 1), its size and, once counted, the total."""

    number: int
    size: int = PAGE_SIZE
    total: int = 0

    @classmethod
    def requested(cls, raw: str | int | None, size: int = PAGE_SIZE) -> Page:
        """The page a request asks for; a missing or unreadable number is page 1."""
        return cls(page_number(raw), size)

    def of(self, total: int) -> Page:
        """This page, knowing how many rows the whole list has."""
        return replace(self, total=total)

    def listing(self, total: int, items: list) -> dict[str, Any]:
        """The API's list shape: {"total", "page", "size", "items"}."""
        return {"total": total, "page": self.number, "size": self.size, "items": items}

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(raw: str | int | None) -> int:
    """A page number from a query string: anything unreadable is page 1, anything past the
    last page there could be is that page (never an offset the database cannot take)."""
    try:
        return min(MAX_PAGE, max(1, int(raw or 1)))
    except ValueError:
        return 1


def count(session: Session, query) -> int:
    """How many rows a query returns."""
    return session.exec(select(func.count()).select_from(query.subquery())).one()


def counts(session: Session, queries: dict[str, Any]) -> dict[str, int]:
    """How many rows each query returns, in one statement of scalar subqueries (a start page's
    five figures cost one round trip and one compiled statement, not five)."""
    if not queries:
        return {}
    row = session.execute(select(*[
        select(func.count()).select_from(q.order_by(None).subquery()).scalar_subquery()
        for q in queries.values()])).one()  # fmt: skip
    return dict(zip(queries, (int(v) for v in row), strict=True))


def paginate(session: Session, query, *, offset: int, limit: int) -> tuple[list, int]:
    """One slice of an ordered query and the number of rows in all of it."""
    return list(session.exec(query.offset(offset).limit(limit)).all()), count(session, query)


def page_query(size: int = PAGE_SIZE, max_size: int = 200):
    """A route dependency: the `page` and `size` query parameters of a JSON list, as a Page."""
    from fastapi import Depends, Query

    def requested(
        page: int = Query(1, ge=1, le=MAX_PAGE), size: int = Query(size, ge=1, le=max_size)
    ) -> Page:
        return Page(page, size)

    return Depends(requested)


ListPage = Annotated[Page, page_query()]  # a JSON list's page: 30 rows unless asked, at most 200
