"""Input and output shapes for the public board, publications, pledges and donors."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator, model_validator

from zhuanjie import codes, regions
from zhuanjie.auth.passwords import NewPassword
from zhuanjie.bounds import Id

MONEY = {"max_digits": 12, "decimal_places": 2}


class PublicationIn(BaseModel):
    """What a caseworker publishes, with the household's consent to publication."""

    title: str = Field(min_length=4, max_length=60)
    story: str = Field(min_length=20, max_length=2000)
    region_path: str
    category: str
    urgency: int = Field(default=1, ge=1, le=3)
    amount_goal: Decimal | None = Field(default=None, gt=0, **MONEY)
    goods_needed: str = Field(default="", max_length=500)
    deadline_date: date | None = None
    consent_member_id: Id
    consent_valid_until: date
    allow_house_numbers: bool = False  # the caseworker checked: no real house number here
    consent_display: bool = False  # the household also agrees to the 公示 once helped

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if v not in codes.CATEGORIES:
            raise ValueError("请选择需求类别")
        return v

    @field_validator("region_path")
    @classmethod
    def _region(cls, v: str) -> str:
        return regions.check_region(v, min_level=2)

    @model_validator(mode="after")
    def _something_needed(self):
        if self.amount_goal is None and not self.goods_needed.strip():
            raise ValueError("请填写还需金额或所需物资")
        return self


class TakedownIn(BaseModel):
    reason: str = Field(min_length=2, max_length=500)


class PledgeIn(BaseModel):
    kind: str
    amount: Decimal | None = Field(default=None, gt=0, **MONEY)
    goods: str = Field(default="", max_length=500)
    hours: int | None = Field(default=None, ge=1, le=2000)
    message: str = Field(default="", max_length=500)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in codes.PLEDGE_KINDS:
            raise ValueError("请选择认捐方式")
        return v


class PledgeCreate(PledgeIn):
    """The API's shape: the publication is named in the body."""

    publication_id: Id


class DeclineIn(BaseModel):
    note: str = Field(default="", max_length=500)


class DeliveredIn(BaseModel):
    thank_you_note: str = Field(min_length=4, max_length=500)
    delivery_date: date | None = None


class DonorSignup(BaseModel):
    """A person or a company registering to give; its donor organisation comes with it."""

    donor_type: str  # person / company
    display_name: str = Field(min_length=2, max_length=60)
    company_name: str = Field(default="", max_length=120)
    credit_code: str | None = None
    contact_phone: str = Field(default="", max_length=30)
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    password: NewPassword

    @field_validator("donor_type")
    @classmethod
    def _type(cls, v: str) -> str:
        if v not in ("person", "company"):
            raise ValueError("请选择个人或企业")
        return v

    @model_validator(mode="after")
    def _company(self):
        if self.donor_type == "company" and len(self.company_name.strip()) < 2:
            raise ValueError("企业须填写企业名称")
        return self


class BoardQuery(BaseModel):
    county: str = ""  # a county name such as 如皋市, or its path
    category: str = ""
    urgency: int | None = Field(default=None, ge=1, le=3)
    amount_min: Decimal | None = Field(default=None, ge=0, **MONEY)  # still needed, yuan
    amount_max: Decimal | None = Field(default=None, ge=0, **MONEY)
    sort: str = "urgency"  # urgency / deadline / newest
    page: int = Field(default=1, ge=1, le=10000)
    size: int = Field(default=20, ge=1, le=100)


class PublicationPublic(BaseModel):
    """One published need as anyone may see it: no household, member or need identifiers."""

    id: int
    title: str
    story: str
    region: str
    region_path: str
    category: str
    category_label: str
    urgency: int
    urgency_label: str
    amount_goal: Decimal | None
    amount_pledged: Decimal
    amount_remaining: Decimal | None
    goods_needed: str
    deadline_date: date | None
    deadline_passed: bool
    published_at: datetime
    status: str


class PledgePublic(BaseModel):
    id: int
    publication_id: int
    publication_title: str
    kind: str
    amount: Decimal | None
    goods: str
    hours: int | None
    message: str
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None
    delivered_at: datetime | None
    thank_you_note: str


class BoardPage(BaseModel):
    total: int
    page: int
    size: int
    items: list[PublicationPublic]
