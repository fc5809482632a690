"""Input and output shapes of the rolls' API (台帐比对 reports and their worklist rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zhuanjie.bounds import Id

Outcome = Literal["corrected", "transition_started", "included", "registered", "no_change",
                  "other"]


class ItemClose(BaseModel):
    outcome: Outcome
    note: str = Field(default="", max_length=500)


class ItemAssign(BaseModel):
    assignee_id: Id


class ItemPublic(BaseModel):
    """One worklist row: the person or household only as a masked label."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    review_id: int
    region_path: str
    village: str
    reason: str
    label: str
    detail: str
    household_id: int | None = None
    assignee_id: int | None = None
    status: str
    outcome: str | None = None
    outcome_note: str = ""
    closed_at: datetime | None = None


class ReviewPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    county_path: str
    as_of_date: date
    run_at: datetime
    counts: dict[str, int]
    items: list[ItemPublic] = []  # one page of the rows the caller may see
    total: int = 0  # rows the caller may see in all
    page: int = 1
    size: int = 30
