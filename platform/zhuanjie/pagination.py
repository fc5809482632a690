"""Page numbers for lists: every list, page and API alike, is paginated the same way."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import and_, true, tuple_
from sqlmodel import Session, func, select

from zhuanjie.bounds import MAX_ID, MAX_PAGE
from zhuanjie.errors import Invalid

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
    """How many rows a query returns (its order dropped: an ORDER BY in the counted subquery
    makes PostgreSQL walk the order's index, a second per million rows)."""
    return session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()


def counts(session: Session, queries: dict[str, Any]) -> dict[str, int]:
    """How many rows each query returns, in one statement of scalar subqueries (a start page's
    five figures cost one round trip and one compiled statement, not five)."""
    if not queries:
        return {}
    row = session.execute(counts_statement(queries)).one()
    return dict(zip(queries, (int(v) for v in row), strict=True))


def counts_statement(queries: dict[str, Any]):
    """`counts`' statement, for a caller that keeps it built (home.service)."""
    return select(*[
        select(func.count()).select_from(q.order_by(None).subquery()).scalar_subquery()
        for q in queries.values()])  # fmt: skip


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


# --- keyset (cursor) paging ------------------------------------------------------------------
# Deep page numbers make the database walk and drop every row before the page (OFFSET), and
# an exact total counts every row in scope: both grow with the province. A list paged by
# cursor reads only its page's rows from an index in the list's order, and counts at most
# COUNT_CAP + 1 rows ("1000+ 条").

COUNT_CAP = 1000
CURSOR_FIELD = "cursor"
_CURSOR_MAX = 200  # characters: a real cursor is well under this


@dataclass(frozen=True)
class Key:
    """One column of a list's order: `desc` newest/largest first. The last key of an order
    must be unique (the id), so that each row has exactly one place."""

    column: Any
    kind: type  # int or datetime: what a cursor's value is read back as
    desc: bool = False
    # For a first key of a few values (a need's urgency): every value it takes, in the list's
    # order. Each value is then read as its own range of an ascending index on
    # (key, later keys…), as `urgency = 3 AND (created_at, id) > (…)`, which needs no index
    # in the list's mixed directions (SQLite's and Alembic's reflection of DESC columns differ).
    among: tuple = ()

    @property
    def name(self) -> str:
        return self.column.key


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (`forward`) or before the row whose key values are `values`."""

    forward: bool
    values: tuple

    def encode(self) -> str:
        raw = json.dumps(["a" if self.forward else "b", [_plain(v) for v in self.values]],
                         separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def read_cursor(raw: str | None, keys: tuple[Key, ...]) -> Cursor | None:
    """A cursor from a query string, checked value by value against the list's keys; no
    cursor is the first page. Anything else (garbled, forged, of another list) is Invalid
    naming the field `cursor`: a 422 for the API, a message on a page."""
    if not raw:
        return None
    bad = Invalid("翻页位置无效，请从第一页重新浏览", field=CURSOR_FIELD)
    if len(raw) > _CURSOR_MAX or not raw.isascii():
        raise bad
    try:
        direction, values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad from exc
    if direction not in ("a", "b") or not isinstance(values, list) or len(values) != len(keys):
        raise bad
    read = []
    for key, value in zip(keys, values, strict=True):
        if key.kind is int:
            if type(value) is not int or not -MAX_ID <= value <= MAX_ID:
                raise bad
            if key.among and value not in key.among:
                raise bad
            read.append(value)
        elif key.kind is datetime:
            try:
                moment = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None or not 1 < moment.year < 9999:
                raise bad
            read.append(moment.astimezone(UTC))
        else:
            raise bad
    return Cursor(direction == "a", tuple(read))


@dataclass
class KeysetPage:
    """One page of a list paged by cursor: its rows, the cursors of the pages on either side
    (None at an end), and how many rows the whole list has, counted up to COUNT_CAP."""

    rows: list
    next: str | None
    prev: str | None
    total: int
    capped: bool  # the list has more than `total` rows
    size: int = PAGE_SIZE

    @property
    def total_label(self) -> str:
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"

    def listing(self, items: list) -> dict[str, Any]:
        """The API's list shape: the page shape plus the cursors."""
        return {"total": self.total, "total_capped": self.capped, "size": self.size,
                "next": self.next, "prev": self.prev, "items": items}


def capped_count(session: Session, query, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows a query returns, reading at most cap + 1 of them: (cap, True) when more."""
    sub = query.order_by(None).limit(cap + 1).subquery()
    n = int(session.exec(select(func.count()).select_from(sub)).one())
    return (cap, True) if n > cap else (n, False)


def _ordering(keys: tuple[Key, ...], forward: bool) -> list:
    return [k.column.desc() if k.desc == forward else k.column.asc() for k in keys]


def _tiers(keys: tuple[Key, ...], values: tuple, forward: bool) -> list:
    """The rows past a cursor as a few conditions each an index range: keys are grouped into
    runs of one direction; tier j holds the runs before j equal and compares run j as a row
    (`(created_at, id) > (…)`), nearest tier first. Each tier is a range of an index in the
    list's order, so no row before the cursor is read."""
    runs: list[list[int]] = []
    for i, key in enumerate(keys):
        if runs and keys[runs[-1][0]].desc == key.desc:
            runs[-1].append(i)
        else:
            runs.append([i])
    tiers = []
    for j in range(len(runs) - 1, -1, -1):
        equal = [keys[i].column == values[i] for run in runs[:j] for i in run]
        cols = [keys[i].column for i in runs[j]]
        vals = [values[i] for i in runs[j]]
        left, right = (cols[0], vals[0]) if len(cols) == 1 else (tuple_(*cols), tuple(vals))
        later = keys[runs[j][0]].desc != forward  # ascending going forward: greater
        tiers.append(and_(*equal, left > right if later else left < right))
    return tiers


def _ranges(keys: tuple[Key, ...], cursor: Cursor | None) -> list:
    """The conditions a page is read through, in the direction of travel, each one range."""
    forward = cursor is None or cursor.forward
    first = keys[0]
    if not first.among:
        return [true()] if cursor is None else _tiers(keys, cursor.values, forward)
    values = list(first.among if forward else reversed(first.among))
    if cursor is None:
        return [first.column == v for v in values]
    here = cursor.values[0]
    rest = ([and_(first.column == here, t) for t in _tiers(keys[1:], cursor.values[1:], forward)]
            if len(keys) > 1 else [])
    return rest + [first.column == v for v in values[values.index(here) + 1:]]


def keyset_page(session: Session, query, keys: tuple[Key, ...], cursor: Cursor | None,
                size: int = PAGE_SIZE, *, count: bool = True) -> KeysetPage:
    """One page of `query` (unordered, already filtered) in the order of `keys`, starting at
    `cursor`; paging forwards then backwards shows every row once."""
    forward = cursor is None or cursor.forward
    found: list = []
    for where in _ranges(keys, cursor):
        found += session.exec(query.where(where).order_by(*_ordering(keys, forward))
                              .limit(size + 1 - len(found))).all()
        if len(found) > size:
            break
    more = len(found) > size
    rows = found[:size]
    if not forward:
        rows.reverse()

    def at(row, forward: bool) -> str:
        return Cursor(forward, tuple(getattr(row, k.name) for k in keys)).encode()

    has_next = more if forward else cursor is not None
    has_prev = (cursor is not None) if forward else more
    total, capped = capped_count(session, query) if count else (0, False)
    return KeysetPage(rows=rows, size=size, total=total, capped=capped,
                      next=at(rows[-1], True) if rows and has_next else None,
                      prev=at(rows[0], False) if rows and has_prev else None)
