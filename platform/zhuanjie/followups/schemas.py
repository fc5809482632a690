"""Input and output shapes for follow-up visits."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class FollowUpRecord(BaseModel):
    need_met: bool
    rating: int | None = Field(default=None, ge=1, le=5)
    notes: str = Field(default="", max_length=2000)


class FollowUpPublic(BaseModel):
    id: int
    need_id: int
    referral_id: int | None
    assignee_id: int | None
    due_date: date
    status: str
    done_at: datetime | None
    need_met: bool | None
    rating: int | None
    notes: str
