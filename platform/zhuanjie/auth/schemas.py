"""Input and output shapes for accounts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes, regions
from zhuanjie.bounds import Id


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=8, max_length=200)
    role: str
    region_path: str | None = None
    organisation_id: Id | None = None
    email: str = Field(default="", max_length=120)

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        if v not in codes.ROLES:
            raise ValueError("未知的角色")
        return v

    @field_validator("region_path")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        return regions.check_region(v) if v else None


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    region_path: str | None
    organisation_id: int | None
    is_active: bool
    created_at: datetime


class TokenRequest(BaseModel):
    username: str
    password: str
    name: str = Field(default="api", max_length=60)


class TokenIssued(BaseModel):
    token: str
    token_type: str = "bearer"
    prefix: str
