"""Accounts: sign-in, users, API tokens."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, func, select

from zhuanjie import audit
from zhuanjie.auth.passwords import hash_password, needs_rehash, verify_password
from zhuanjie.auth.schemas import UserCreate
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Invalid, Unauthorized
from zhuanjie.models import ApiToken, Organisation, User
from zhuanjie.policy import ensure_role

TOKEN_PREFIX = "zj_"


def authenticate(session: Session, *, username: str, password: str, ip: str = "") -> User:
    """Check a password; record the sign-in (or the failure) in the audit log."""
    user = session.exec(select(User).where(User.username == username.strip())).first()
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        audit.record(session, user, "login_failed", detail={"username": username[:60]}, ip=ip)
        session.commit()
        raise Unauthorized("用户名或密码不正确")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utc_now()
    audit.record(session, user, "login", object_type="user", object_id=user.id, ip=ip)
    session.commit()
    return user


def create_user(session: Session, *, actor: User | None, data: UserCreate) -> User:
    """Create an account; only admins may (the command line acts as the system)."""
    if actor is not None:
        ensure_role(actor, "admin")
    if session.exec(select(User).where(User.username == data.username)).first():
        raise Conflict("该用户名已被使用", field="username")
    if data.role in ("caseworker", "supervisor") and not data.region_path:
        raise Invalid("经办人员和监管人员须指定辖区", field="region_path")
    if data.role == "org_staff" and not data.organisation_id:
        raise Invalid("机构工作人员须指定所属机构", field="organisation_id")
    if data.organisation_id is not None and session.get(Organisation, data.organisation_id) is None:
        raise Invalid("所选机构不存在", field="organisation_id")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=data.role,
        region_path=data.region_path if data.role in ("caseworker", "supervisor") else None,
        organisation_id=data.organisation_id if data.role in ("org_staff", "donor") else None,
        email=data.email,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user_created",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username, "role": user.role},
    )
    session.commit()
    return user


def list_users(
    session: Session, *, actor: User, offset: int = 0, limit: int = 50
) -> tuple[list[User], int]:
    """All accounts, newest first; admins only."""
    ensure_role(actor, "admin")
    total = session.exec(select(func.count()).select_from(User)).one()
    rows = session.exec(select(User).order_by(User.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def _token_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def issue_token(session: Session, *, user: User, name: str = "api") -> str:
    """Create an API token for the user; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(user_id=user.id, name=name, token_hash=_token_hash(plain), prefix=plain[:10])
    )
    audit.record(
        session, user, "token_issued", object_type="user", object_id=user.id, detail={"name": name}
    )
    session.commit()
    return plain


def user_for_token(session: Session, plain: str) -> User | None:
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_hash(plain))).first()
    now = utc_now()
    if token is None or token.revoked_at or (token.expires_at and token.expires_at < now):
        return None
    user = session.get(User, token.user_id)
    return user if user and user.is_active else None
