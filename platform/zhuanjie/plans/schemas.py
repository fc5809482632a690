"""Input shapes for service plans and visits."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class PlanCreate(BaseModel):
    description: str = Field(min_length=1, max_length=500)
    every_days: int = Field(ge=1, le=92)
    start_date: date
    end_date: date | None = None


class VisitRecord(BaseModel):
    notes: str = Field(default="", max_length=2000)


class PlanEnd(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    reason: str = Field(min_length=1, max_length=500)
