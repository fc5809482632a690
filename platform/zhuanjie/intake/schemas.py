"""Input and output shapes for referrals between departments and monitoring alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes, regions
from zhuanjie.households.schemas import HouseholdFields
from zhuanjie.validators import normalize_id_number


def _township(v: str) -> str:
    return regions.check_region(regions.path_for(v or ""), min_level=3)


class Person(BaseModel):
    """Who the sender writes about, and where they live."""

    name: str = Field(min_length=1, max_length=40)
    id_number: str
    region_path: str  # a township: its path or its unique name (白蒲镇)
    village: str = Field(default="", max_length=60)

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str) -> str:
        return normalize_id_number(v)

    @field_validator("region_path")
    @classmethod
    def _region(cls, v: str) -> str:
        return _township(v)

    @field_validator("name", "village")
    @classmethod
    def _strip(cls, v: str) -> str:
        return v.strip()


class IntakeCreate(Person):
    """A department refers a household to civil affairs for social assistance."""

    reason: str = Field(min_length=1, max_length=2000)
    situation: str = Field(default="", max_length=4000)
    income_per_capita: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    category: str = "basic_living"
    urgency: int = Field(default=1, ge=1, le=3)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in codes.CATEGORIES:
            raise ValueError("请选择救助类别")
        return v

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("请填写转介原因")
        return v.strip()


class AlertIn(Person):
    """A monitoring signal from a department's system, under that system's own id."""

    external_id: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.:/-]+$")
    signal: str
    situation: str = Field(default="", max_length=4000)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    occurred_date: date | None = None

    @field_validator("signal")
    @classmethod
    def _signal(cls, v: str) -> str:
        v = v.strip()
        by_label = {label: code for code, label in codes.ALERT_SIGNALS.items()}
        if v in codes.ALERT_SIGNALS:
            return v
        if v in by_label:
            return by_label[v]
        raise ValueError("未知的预警类型：" + "、".join(codes.ALERT_SIGNALS.values()))


class NeedFromIntake(BaseModel):
    category: str
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(min_length=1, max_length=4000)
    urgency: int = Field(default=1, ge=1, le=3)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in codes.CATEGORIES:
            raise ValueError("请选择需求类别")
        return v


class AcceptIn(NeedFromIntake):
    """Accept: the need to record, and (when no household has the ID number yet) the
    household to register, its head the person the sender named."""

    household: HouseholdFields | None = None


class DeclineIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("请填写不予受理的理由")
        return v.strip()


class CloseIn(BaseModel):
    outcome: str
    note: str = Field(default="", max_length=2000)

    @field_validator("outcome")
    @classmethod
    def _outcome(cls, v: str) -> str:
        if v not in codes.INTAKE_OUTCOMES:
            raise ValueError("请选择办理结果")
        return v


class IntakePublic(BaseModel):
    """An intake as its reader may see it: the sender what it sent (the ID number masked) and
    what came of it; the caseworker also the household and need it became."""

    id: int
    kind: str
    external_id: str | None
    signal: str | None
    status: str
    region_path: str
    village: str
    name: str
    id_number_masked: str
    reason: str
    situation: str
    income_per_capita: Decimal | None
    amount: Decimal | None
    category: str
    urgency: int
    received_at: datetime
    respond_by_at: datetime | None
    answered_at: datetime | None
    decline_reason: str
    outcome: str | None
    outcome_note: str
    need_status: str | None = None  # how the help goes, for the sender too
    need_outcome: str | None = None
    household_id: int | None = None  # platform staff only
    need_id: int | None = None  # platform staff only


class AlertOutcome(BaseModel):
    external_id: str
    intake_id: int
    status: str
    result: str  # Chinese, as the export says it
    duplicate: bool = False
