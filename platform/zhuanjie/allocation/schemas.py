"""Input and output shapes of the allocation (统筹分配) pages and API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from zhuanjie import codes, regions
from zhuanjie.bounds import Id

ADJUSTMENTS = {"pin": "固定", "unpin": "取消固定", "remove": "移出", "restore": "恢复"}


class RunCreate(BaseModel):
    """Allocate one offer's places, or a category's limited offers', in a region."""

    region_path: str = Field(max_length=120)
    offer_id: Id | None = None
    category: str = Field(default="", max_length=30, validate_default=True)

    @field_validator("region_path")
    @classmethod
    def _region(cls, v: str) -> str:
        return regions.check_region(v)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v and v not in codes.CATEGORIES:
            raise ValueError("请从列表中选择类别")
        return v

    @field_validator("category")
    @classmethod
    def _one(cls, v: str, info: ValidationInfo) -> str:
        if (info.data.get("offer_id") is None) == (not v):
            raise ValueError("请选择一个项目，或选择一个类别（二选一）")
        return v


class AdjustIn(BaseModel):
    """Pin an assignment, remove a need from the run, or undo either; then run it again."""

    action: str
    need_id: Id

    @field_validator("action")
    @classmethod
    def _action(cls, v: str) -> str:
        if v not in ADJUSTMENTS:
            raise ValueError("请选择固定、取消固定、移出或恢复")
        return v


class ProposalDeclineIn(BaseModel):
    reason: str
    note: str = Field(default="", max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if v not in codes.PROPOSAL_DECLINE_REASONS:
            raise ValueError("请选择未采纳的原因")
        return v


class AssignmentOut(BaseModel):
    need_id: int
    offer_id: int
    score: float
    priority: float
    pinned: bool
    reasons: list[str]
    need_title: str
    category: str
    township: str
    urgency: int
    groups: list[str]


class LeftOutOut(BaseModel):
    need_id: int
    reason: str
    priority: float
    need_title: str
    urgency: int
    groups: list[str]
    removed: bool = False


class RunOut(BaseModel):
    id: int
    status: str
    region_path: str
    offer_id: int | None
    category: str
    places: int
    needs_count: int
    total_score: float
    first_come_score: float
    objective: float
    first_come_objective: float
    method: str
    seconds: float
    assignments: list[AssignmentOut]
    left_out: list[LeftOutOut]
    inadmissible: int
    pinned: list[int]
    removed: list[int]
    created_at: datetime
    confirmed_at: datetime | None = None


class ProposalOut(BaseModel):
    id: int
    run_id: int
    need_id: int
    offer_id: int
    status: str
    score: float
    reasons: list[str]
    referral_id: int | None = None
    decline_reason: str | None = None
    created_at: datetime
