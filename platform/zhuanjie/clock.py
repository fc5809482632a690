"""Local days: the platform's calendar runs in Asia/Shanghai while instants are stored in UTC."""

from __future__ import annotations

import calendar
from datetime import date
from zoneinfo import ZoneInfo

from zhuanjie.config import get_settings
from zhuanjie.db import utc_now


def today() -> date:
    return utc_now().astimezone(ZoneInfo(get_settings().timezone)).date()


def add_months(day: date, months: int) -> date:
    """Same day of month, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
