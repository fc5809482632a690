"""Input and output shapes for households and their members."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes, regions
from zhuanjie.validators import normalize_id_number, normalize_phone


class MemberCreate(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    id_number: str
    relation: str = "head"
    phone: str = ""
    disability: str = Field(default="", max_length=60)
    illness: str = Field(default="", max_length=120)

    @field_validator("id_number")
    @classmethod
    def _id(cls, v: str) -> str:
        return normalize_id_number(v)

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return normalize_phone(v) if v.strip() else ""

    @field_validator("relation")
    @classmethod
    def _relation(cls, v: str) -> str:
        if v not in codes.RELATIONS:
            raise ValueError("请选择与户主关系")
        return v


class HouseholdFields(BaseModel):
    village: str = Field(default="", max_length=60)
    address: str = Field(default="", max_length=200)
    phone: str = ""
    groups: list[str] = Field(default_factory=list)
    income_per_capita: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return normalize_phone(v) if v.strip() else ""

    @field_validator("groups")
    @classmethod
    def _groups(cls, v: list[str]) -> list[str]:
        unknown = [g for g in v if g not in codes.GROUPS]
        if unknown:
            raise ValueError("未知的对象类别：" + "、".join(unknown))
        return list(dict.fromkeys(v))


MAX_MEMBERS = 20


class HouseholdCreate(HouseholdFields):
    region_path: str
    members: list[MemberCreate] = Field(min_length=1, max_length=MAX_MEMBERS)

    @field_validator("region_path")
    @classmethod
    def _region(cls, v: str) -> str:
        return regions.check_region(v, min_level=3)


class HouseholdUpdate(HouseholdFields):
    pass


class MemberUpdate(BaseModel):
    """What may change about a member; the ID number identifies the person and does not."""

    name: str = Field(min_length=1, max_length=40)
    relation: str = "other"
    phone: str = ""
    disability: str = Field(default="", max_length=60)
    illness: str = Field(default="", max_length=120)

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        return normalize_phone(v) if v.strip() else ""

    @field_validator("relation")
    @classmethod
    def _relation(cls, v: str) -> str:
        if v not in codes.RELATIONS:
            raise ValueError("请选择与户主关系")
        return v


class MemberRemoval(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


RECORDED_CHANGES = ("income", "work", "health", "housing", "other")


class ChangeIn(BaseModel):
    """A change of income or circumstance, told at the household."""

    kind: str
    note: str = Field(min_length=2, max_length=2000)
    income_per_capita: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in RECORDED_CHANGES:
            raise ValueError("请选择变化类型")
        return v


class EntitlementCreate(BaseModel):
    programme: str = Field(min_length=1, max_length=60)
    category: str
    monthly_amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    since_date: date
    until_date: date | None = None

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in codes.CATEGORIES:
            raise ValueError("请选择类别")
        return v


class EntitlementPublic(EntitlementCreate):
    id: int


class MemberPublic(BaseModel):
    """A member as lists show it: the ID number's last four digits, the age, not the birth
    date (with the county the birth date would rebuild the masked number)."""

    id: int
    name: str
    relation: str
    is_head: bool = False
    id_number_masked: str
    phone_masked: str
    age: int | None
    sex: str
    disability: str
    illness: str


class HouseholdPublic(BaseModel):
    id: int
    region_path: str
    village: str
    groups: list[str]
    income_per_capita: Decimal | None
    status: str
    next_review_date: date | None
    transition_until_date: date | None
    address_masked: str
    phone_masked: str
    members: list[MemberPublic]


class Revealed(BaseModel):
    field: str
    value: str


class HouseholdChangePublic(BaseModel):
    id: int
    household_id: int
    kind: str
    note: str
    income_before: Decimal | None
    income_after: Decimal | None
    member_id: int | None
    recorded_at: datetime
