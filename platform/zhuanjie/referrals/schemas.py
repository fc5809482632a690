"""Input and output shapes for referrals and the consent that comes with each."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes
from zhuanjie.bounds import Id


class ConsentIn(BaseModel):
    member_id: Id
    fields: list[str] = Field(min_length=1)
    valid_until: date
    # A scan of the signed consent form, uploaded to the need beforehand (POST
    # /api/v1/attachments, kind consent_scan); it moves onto the consent recorded here.
    scan_attachment_id: Id | None = None

    @field_validator("fields")
    @classmethod
    def _fields(cls, v: list[str]) -> list[str]:
        unknown = [f for f in v if f not in codes.CONSENT_FIELDS]
        if unknown:
            raise ValueError("未知的授权项：" + "、".join(unknown))
        return list(dict.fromkeys(v))


class ReferralCreate(BaseModel):
    offer_id: Id
    note: str = Field(default="", max_length=2000)
    consent: ConsentIn


class DeclineIn(BaseModel):
    reason: str
    note: str = Field(default="", max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if v not in codes.DECLINE_REASONS:
            raise ValueError("请选择拒绝原因")
        return v


class DeliveryIn(BaseModel):
    delivery_date: date
    what: str = Field(min_length=1, max_length=2000)
    amount: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)


class NoteIn(BaseModel):
    note: str = Field(default="", max_length=2000)


class BulkAcceptIn(BaseModel):
    referral_ids: list[Id] = Field(min_length=1, max_length=200)


class ReferralPublic(BaseModel):
    id: int
    need_id: int
    offer_id: int
    organisation_id: int
    status: str
    note: str
    decline_reason: str | None
    sent_at: datetime
    respond_by_at: datetime | None
    responded_at: datetime | None
    delivered_at: datetime | None
    delivery_date: date | None
    delivery_note: str
    delivery_amount: Decimal | None


class ConsentedView(BaseModel):
    """What an organisation may see of the household: only the consented fields, while valid."""

    consent_valid: bool
    consent_until: date | None
    fields: dict[str, str]  # field code -> value (or masked, before the referral is accepted)
    masked: bool = True  # False only for the receiving organisation holding the referral


class BulkResult(BaseModel):
    accepted: list[int]
    refused: dict[int, str]  # referral id -> Chinese reason
