"""Input and output shapes for needs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes
from zhuanjie.bounds import Id


class NeedBase(BaseModel):
    category: str
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=4000)
    urgency: int = Field(default=1, ge=1, le=3)
    amount_needed: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    deadline_date: date | None = None
    member_id: Id | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in codes.CATEGORIES:
            raise ValueError("请选择需求类别")
        return v


class NeedCreate(NeedBase):
    pass


class NeedUpdate(NeedBase):
    pass


class NeedClose(BaseModel):
    outcome: str
    note: str = Field(default="", max_length=2000)

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, v: str) -> str:
        if v not in codes.NEED_OUTCOMES:
            raise ValueError("请选择办结结果")
        return v


class NeedPublic(BaseModel):
    id: int
    household_id: int
    member_id: int | None
    region_path: str
    category: str
    title: str
    description: str
    urgency: int
    amount_needed: Decimal | None
    deadline_date: date | None
    status: str
    outcome: str | None
    created_at: datetime
    closed_at: datetime | None


class TimelineEntry(BaseModel):
    at: datetime
    what: str  # Chinese, for the page
    kind: str  # created / referral / follow_up / closed
    link: str = ""
