"""Bounds of the integers a request may carry, so that no value reaches the database outside
the range of its columns (ids are 32-bit INTEGER on PostgreSQL; SQLite overflows past 64 bits).

Route parameters use `PathId` / `PageNo` / `PageSize`; input schemas use `Id`. An id out of
range is a 422 naming the field, never a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1
MAX_PAGE = 100_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PageNo = Annotated[int, Query(ge=1, le=MAX_PAGE)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]


def form_id(value: object) -> int | None:
    """A form field as an id, or None when it is not one (not plain digits, or out of range):
    `"²".isdigit()` is true and `int("9" * 30)` overflows a column."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None
