"""Local days: the platform's calendar runs in Asia/Shanghai while instants are stored in UTC."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from zhuanjie.config import get_settings
from zhuanjie.db import utc_now


def today() -> date:
    return local_day(utc_now())


def local_day(at: datetime) -> date:
    """The platform's calendar day (Asia/Shanghai) of an instant: from 16:00 UTC on, it is
    already the next day in Nantong."""
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Run with the clock stopped at `at` (timezone-aware); for tests and replays."""
    from zhuanjie import db

    if at.tzinfo is None:
        raise ValueError("frozen() needs a timezone-aware datetime")
    previous = db.set_frozen_now(at.astimezone(UTC))
    try:
        yield
    finally:
        db.set_frozen_now(previous)


def local_time(day: date, hour: int = 9) -> datetime:
    """That day at `hour` o'clock in the platform's time zone, as a UTC instant."""
    zone = ZoneInfo(get_settings().timezone)
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def local_text(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as people read it: in the platform's time zone ('' for none)."""
    if at is None:
        return ""
    return at.astimezone(ZoneInfo(get_settings().timezone)).strftime(fmt)


def add_months(day: date, months: int) -> date:
    """Same day of month, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
