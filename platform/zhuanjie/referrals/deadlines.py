"""When an organisation must answer a referral: by urgency, counting working days for 普通."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from zhuanjie.config import get_settings

HOURS_BY_URGENCY = {3: 24, 2: 48}
WORKING_DAYS_ORDINARY = 5


def add_working_days(start: datetime, days: int) -> datetime:
    """Same local time `days` working days later (Saturdays and Sundays skipped)."""
    local = start.astimezone(ZoneInfo(get_settings().timezone))
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local.astimezone(start.tzinfo)


def respond_by(sent_at: datetime, urgency: int) -> datetime:
    if urgency in HOURS_BY_URGENCY:
        return sent_at + timedelta(hours=HOURS_BY_URGENCY[urgency])
    return add_working_days(sent_at, WORKING_DAYS_ORDINARY)
