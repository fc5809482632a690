"""Input and output shapes for consents and their withdrawal."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from zhuanjie.bounds import Id


class WithdrawalIn(BaseModel):
    """The household withdraws a consent (or, without `consent_id`, every live one of the
    need); the caseworker records why, in the household's words."""

    consent_id: Id | None = None
    reason: str = Field(min_length=2, max_length=500)


class ConsentPublic(BaseModel):
    id: int
    purpose: str
    fields: list[str]
    member_name: str
    organisation_name: str | None
    given_at: datetime
    valid_until: date
    live: bool
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str
    signed: bool = False  # a scan of the signed consent form is attached


class WithdrawalResult(BaseModel):
    withdrawn: list[int]  # consent ids
    referrals_returned: int
    publications_taken_down: int
