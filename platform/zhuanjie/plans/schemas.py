"""Input shapes for service plans and visits."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class PlanCreate(BaseModel):
    description: str = Field(min_length=1, max_length=500)
    every_days: int = Field(ge=1, le=92)
    start_date: date
    end_date: date | None = None


class VisitRecord(BaseModel):
    notes: str = Field(default="", max_length=2000)


class PlanPublic(BaseModel):
    """A service plan as the API shows it."""

    id: int
    referral_id: int
    description: str
    every_days: int
    start_date: date
    end_date: date | None = None
    active: bool
    created_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None


class VisitPublic(BaseModel):
    """One visit of a plan: due, done or missed."""

    id: int
    plan_id: int
    due_date: date
    status: str
    done_at: datetime | None = None
    notes: str
class PlanEnd(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500)
