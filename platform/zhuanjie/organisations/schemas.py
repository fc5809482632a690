"""Input and output shapes for organisations."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from zhuanjie import codes, regions
from zhuanjie.auth.passwords import NewPassword
from zhuanjie.errors import Invalid
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
    department: str | None = None  # codes.DEPARTMENTS; a government body only

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

    @field_validator("department")
    @classmethod
    def _department(cls, v: str | None) -> str | None:
        if v and v not in codes.DEPARTMENTS:
            raise ValueError("请从列表中选择部门")
        return v or None

    @model_validator(mode="after")
    def _department_is_government(self):
        if self.department and self.kind != "government":
            raise Invalid("只有政府部门可以选择所属部门", field="department")
        return self


class OrganisationPublic(BaseModel):
    id: int
    name: str
    kind: str
    department: str | None = None
    credit_code: str | None
    status: str
    service_area: str | None
    description: str
    created_at: datetime


class OrganisationSignup(OrganisationCreate):
    """An organisation registering itself, with the account of its first staff member. Its
    department is for an administrator to set: a department may import rolls and refer
    households, so a sign-up cannot claim one."""

    department: None = None

    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=60)
    password: NewPassword


class OrganisationProfile(BaseModel):
    """What the organisation's own staff may change (name, kind and code are verified facts)."""

    contact_name: str = Field(default="", max_length=60)
    contact_phone: str = ""
    contact_email: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=200)
    service_area: str | None = None
    description: str = Field(default="", max_length=4000)

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return normalize_phone(v) if v.strip() else ""

    @field_validator("service_area")
    @classmethod
    def _area(cls, v: str | None) -> str | None:
        return regions.check_region(v) if v else None


class StatusDecision(BaseModel):
    """Verify, suspend, reactivate or reject, with the reason that is kept."""

    reason: str = Field(default="", max_length=1000)


class ColleagueCreate(BaseModel):
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=60)
    password: NewPassword
    email: str = Field(default="", max_length=120)


class ColleaguePublic(BaseModel):
    id: int
    username: str
    display_name: str
    email: str
    is_active: bool
    created_at: datetime


class EventPublic(BaseModel):
    id: int
    from_status: str
    to_status: str
    reason: str
    actor_name: str
    at: datetime


class OrganisationDetail(OrganisationPublic):
    contact_name: str
    contact_phone: str
    contact_email: str
    address: str
    status_reason: str
    verified_at: datetime | None
