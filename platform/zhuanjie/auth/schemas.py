"""Input and output shapes for accounts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator

from zhuanjie import codes, regions
from zhuanjie.auth.passwords import NewPassword, policy_problem
from zhuanjie.bounds import Id


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    display_name: str = Field(min_length=1, max_length=60)
    password: NewPassword
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

    @field_validator("password")
    @classmethod
    def _not_the_username(cls, v: str, info) -> str:
        problem = policy_problem(v, username=info.data.get("username", ""))
        if problem:
            raise ValueError(problem)
        return v


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    region_path: str | None
    organisation_id: int | None
    is_active: bool
    must_change_password: bool = False
    created_at: datetime


class TokenRequest(BaseModel):
    username: str = Field(max_length=200)
    password: str = Field(max_length=200)
    name: str = Field(default="api", min_length=1, max_length=60)
    days: int | None = Field(default=None, ge=1, le=3650)  # default: the token_days setting


class TokenIssued(BaseModel):
    token: str
    token_type: str = "bearer"
    prefix: str
    expires_at: datetime | None = None


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: NewPassword


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=60)
    days: int = Field(default=90, ge=1, le=3650)


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class SessionPublic(BaseModel):
    id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ip: str
    user_agent: str
    current: bool = False


class Security(BaseModel):
    sessions: list[SessionPublic]
    tokens: list[TokenPublic]
