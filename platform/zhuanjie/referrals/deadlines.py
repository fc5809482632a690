"""When an organisation must answer a referral: by urgency, counting working days for 普通."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from zhuanjie.config import get_settings


def add_working_days(start: datetime, days: int) -> datetime:
    """Same local time `days` working days later (Saturdays and Sundays skipped)."""
    local = start.astimezone(ZoneInfo(get_settings().timezone))
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local.astimezone(start.tzinfo)


def respond_by(sent_at: datetime, urgency: int) -> datetime:
    """急难 and 紧急 count hours; 普通 counts working days (Asia/Shanghai, weekends skipped)."""
    settings = get_settings()
    if urgency == 3:
        return sent_at + timedelta(hours=settings.answer_hours_emergency)
    if urgency == 2:
        return sent_at + timedelta(hours=settings.answer_hours_urgent)
    return add_working_days(sent_at, settings.answer_working_days)


def remind_at(start: datetime, deadline: datetime) -> datetime:
    """Remind when three quarters of the time has gone."""
    return start + (deadline - start) * 0.75


def deliver_by(accepted: date, urgency: int) -> date:
    return accepted + timedelta(days=get_settings().deliver_days.get(urgency, 14))
