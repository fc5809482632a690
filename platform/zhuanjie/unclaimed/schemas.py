"""Input and output shapes of the 应享未享 worklist."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes

MARKS = {k: v for k, v in codes.UNCLAIMED_STATUSES.items() if k != "open"}


class MarkIn(BaseModel):
    """What the caseworker did about a finding: applied, refused or not wanted."""

    outcome: str
    note: str = Field(default="", max_length=500)

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, v: str) -> str:
        if v not in MARKS:
            raise ValueError("请选择处理结果：已申请、申请未获批或家庭不需要")
        return v


class UnclaimedPublic(BaseModel):
    id: int
    household_id: int
    village: str
    region_path: str
    head_name: str
    offer_id: int
    programme: str
    organisation: str
    reason: str
    status: str
    found_at: datetime
    marked_at: datetime | None
    note: str


class UnclaimedTotal(BaseModel):
    """One township's (or one programme's) findings by status."""

    key: str
    label: str
    open: int = 0
    applied: int = 0
    refused: int = 0
    not_wanted: int = 0
