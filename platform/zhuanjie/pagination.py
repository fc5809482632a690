"""Page numbers for lists: every list is paginated the same way."""

from __future__ import annotations

from dataclasses import dataclass

from zhuanjie.bounds import MAX_PAGE

PAGE_SIZE = 30


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

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
