"""Input and output shapes for organisations."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes, regions
from zhuanjie.validators import normalize_credit_code, normalize_phone


class OrganisationCreate(BaseModel):
    name: str = Field(min_length=2, max_length=120)
    kind: str
    credit_code: str | None = None
    contact_name: str = Field(default="", max_length=60)
    contact_phone: str = ""
    contact_email: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=200)
    service_area: str | None = None
    description: str = Field(default="", max_length=4000)
    is_person: bool = False

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in codes.ORG_KINDS:
            raise ValueError("请选择机构类型")
        return v

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, v: str | None) -> str | None:
        return normalize_credit_code(v) if v and v.strip() else None

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return normalize_phone(v) if v.strip() else ""

    @field_validator("service_area")
    @classmethod
    def _area(cls, v: str | None) -> str | None:
        return regions.check_region(v) if v else None


class OrganisationPublic(BaseModel):
    id: int
    name: str
    kind: str
    credit_code: str | None
    status: str
    service_area: str | None
    description: str
    created_at: datetime
