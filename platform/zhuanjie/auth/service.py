"""Accounts: sign-in, users, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import Integer, literal, update
from sqlmodel import Session, func, select

from zhuanjie import audit
from zhuanjie.auth import throttle
from zhuanjie.auth.passwords import (
    burn_verify,
    hash_password,
    needs_rehash,
    policy_problem,
    random_password,
    verify_password,
)
from zhuanjie.auth.schemas import UserCreate
from zhuanjie.changes import TOUCH_OPTION
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from zhuanjie.models import ApiToken, Notification, Organisation, User, UserSession
from zhuanjie.policy import ensure_role

TOKEN_PREFIX = "zj_"


def authenticate(
    session: Session, *, username: str, password: str, ip: str = ""
) -> User:
    """Check a password, throttled per account name and client address. A failure is
    recorded (and committed) before Unauthorized is raised; on success the caller commits.
    An unknown name costs one Argon2 verification like a known one."""
    now = utc_now()
    account = throttle.account_key(username)
    throttle.ensure_not_locked(session, account=account, address=ip, now=now)
    user = session.exec(select(User).where(User.username == username.strip())).first()
    _release(session)
    if user is None or not user.password_hash.startswith("$argon2"):
        burn_verify(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok:
        throttle.record_failure(session, account=account, address=ip, user=user, now=now)
        audit.record(session, user, "login_failed", detail={"username": username[:60]}, ip=ip)
        session.commit()
        raise Unauthorized("用户名或密码不正确")
    if not user.is_active:
        audit.record(session, user, "login_refused_inactive", object_type="user",
                     object_id=user.id, ip=ip)
        session.commit()
        raise Forbidden("该账号已停用，请联系管理员")
    rehashed = hash_password(password) if needs_rehash(user.password_hash) else None
    throttle.record_success(session, account=account)
    if rehashed:
        user.password_hash = rehashed
    user.last_login_at = now
    return user


def _release(session: Session) -> None:
    """End the reading transaction before Argon2 runs (tens of milliseconds): nothing is held
    meanwhile, neither a PostgreSQL transaction nor SQLite's write lock (BEGIN IMMEDIATE), so
    a flood of sign-ins cannot queue other requests behind its hashing."""
    session.commit()


def create_user(session: Session, *, actor: User | None, data: UserCreate) -> User:
    """Create an account; only admins may (the command line acts as the system)."""
    if actor is not None:
        ensure_role(actor, "admin")
    _release(session)
    password_hash = hash_password(data.password)  # before the transaction that writes
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
        password_hash=password_hash,
        role=data.role,
        region_path=data.region_path if data.role in ("caseworker", "supervisor") else None,
        organisation_id=data.organisation_id if data.role in ("org_staff", "donor") else None,
        email=data.email,
        # The administrator knows the first password: the person chooses their own.
        must_change_password=actor is not None,
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


def _new_token(
    session: Session, *, user: User, name: str, days: int | None
) -> tuple[ApiToken, str]:
    """A new token row and its plain value (never stored)."""
    days = days or get_settings().token_days
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_token_hash(plain),
        prefix=plain[:10],
        expires_at=utc_now() + timedelta(days=days),
    )
    session.add(token)
    audit.record(
        session,
        user,
        "token_issued",
        object_type="user",
        object_id=user.id,
        detail={"name": name, "days": days},
    )
    return token, plain


def issue_token(session: Session, *, user: User, name: str = "api", days: int | None = None) -> str:
    """Create an API token for the user (expiring after `days`, by default the setting);
    the plain token is returned once and never stored."""
    _token, plain = _new_token(session, user=user, name=name, days=days)
    session.commit()
    return plain


def user_for_token(session: Session, plain: str, seen: dict | None = None) -> User | None:
    """The active user of a live token: one SELECT joining the token to its user (and the
    user's organisation, see `_keep`), and an
    UPDATE of its last use at most every `session_touch_seconds`. `seen`, when given, is
    filled with the token's expiry and last recorded use (for the page cache's sign-in
    cache)."""
    now = utc_now()
    row = session.exec(
        select(User, ApiToken.id, ApiToken.last_used_at, ApiToken.expires_at, _unread(seen),
               Organisation)
        .join(ApiToken, ApiToken.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(
            ApiToken.token_hash == _token_hash(plain),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
            User.is_active,
        )
    ).first()
    if row is None:
        return None
    user, token_id, last_used, expires, unread, organisation = row
    _keep(session, organisation)
    if seen is not None:
        seen.update(expires=expires, touched=last_used, idle=None, unread=unread)
    _touch(session, ApiToken, token_id, "last_used_at", last_used, now, seen)
    return user


def _keep(session: Session, organisation: Organisation | None) -> None:
    """The signed-in user's organisation is read with the sign-in (an outer join): held for
    the request's session, so that its status and department (policy's organisation check,
    the navigation's department links) are read from the identity map, not once more."""
    if organisation is not None:
        session.info["signed_in_organisation"] = organisation


def _unread(seen: dict | None):
    """The navigation's unread badge, read in the same statement as the sign-in when the
    caller asks for it (`seen` with "unread" set; pages, not the API): a NULL otherwise."""
    if seen is None or not seen.get("unread"):
        return literal(None, Integer)
    return (
        select(func.count())
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )


# --- browser sign-ins: server-side session records ----------------------------------------------


def _touch(
    session: Session, model, row_id: int, column: str, last, now, seen: dict | None = None
) -> None:
    """Write a token's last use or a session's last sight, at most every
    `session_touch_seconds` (not on every request)."""
    if last is not None and now - last < timedelta(seconds=get_settings().session_touch_seconds):
        return
    session.execute(
        update(model)
        .where(model.id == row_id)
        .values({column: now})
        .execution_options(synchronize_session=False, **{TOUCH_OPTION: True})
    )
    session.commit()
    if seen is not None:
        seen["touched"] = now


def _open_session(session: Session, *, user: User, ip: str, user_agent: str) -> str:
    now = utc_now()
    plain = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_token_hash(plain),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=get_settings().session_max_age_seconds),
            ip=ip[:45],
            user_agent=user_agent[:200],
        )
    )
    return plain


def start_session(session: Session, *, user: User, ip: str = "", user_agent: str = "") -> str:
    """Open a browser session for a user who has just proved who they are (sign-up);
    returns the random id for the cookie (only its hash is stored)."""
    plain = _open_session(session, user=user, ip=ip, user_agent=user_agent)
    session.commit()
    return plain


def sign_in(
    session: Session, *, username: str, password: str, ip: str = "", user_agent: str = ""
) -> tuple[User, str]:
    """The login page: check the password and open a session; returns the user and the
    session id for the cookie."""
    user = authenticate(session, username=username, password=password, ip=ip)
    plain = _open_session(session, user=user, ip=ip, user_agent=user_agent)
    audit.record(session, user, "login", object_type="user", object_id=user.id, ip=ip)
    session.commit()
    return user, plain


def sign_in_for_token(
    session: Session,
    *,
    username: str,
    password: str,
    name: str,
    days: int | None = None,
    ip: str = "",
) -> tuple[ApiToken, str]:
    """POST /api/v1/auth/token: check the password (throttled like the page) and issue a
    token; returns its row and its plain value (shown once)."""
    user = authenticate(session, username=username, password=password, ip=ip)
    audit.record(session, user, "login", object_type="user", object_id=user.id, ip=ip,
                 detail={"via": "token"})
    token, plain = _new_token(session, user=user, name=name, days=days)
    session.commit()
    return token, plain


def user_for_session(
    session: Session, plain: str, seen: dict | None = None
) -> tuple[User, int] | None:
    """The active user of a live browser session and the session's id: one SELECT joining
    the session to its user (not ended, within its lifetime, not idle too long; and the
    user's organisation, see `_keep`), and an
    UPDATE of last-seen at most every `session_touch_seconds`."""
    settings = get_settings()
    now = utc_now()
    row = session.exec(
        select(User, UserSession.id, UserSession.last_seen_at, UserSession.expires_at,
               _unread(seen), Organisation)
        .join(UserSession, UserSession.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(
            UserSession.token_hash == _token_hash(plain),
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - timedelta(seconds=settings.session_idle_seconds),
            User.is_active,
        )
    ).first()
    if row is None:
        return None
    user, session_id, last_seen, expires, unread, organisation = row
    _keep(session, organisation)
    if seen is not None:
        seen.update(expires=expires, touched=last_seen, idle=settings.session_idle_seconds,
                    unread=unread)
    _touch(session, UserSession, session_id, "last_seen_at", last_seen, now, seen)
    return user, session_id


def sign_out(session: Session, *, plain: str, ip: str = "") -> None:
    """Logout: the browser's session ends on the server, so a copied cookie is dead too."""
    now = utc_now()
    record = session.exec(
        select(UserSession).where(
            UserSession.token_hash == _token_hash(plain), UserSession.ended_at.is_(None)
        )
    ).first()
    if record is None:
        return
    record.ended_at, record.end_reason = now, "logout"
    entry = audit.record(session, None, "logout", object_type="user", object_id=record.user_id,
                         ip=ip)
    entry.actor_id = record.user_id  # without loading the user
    session.commit()


def _end_everything(
    session: Session, *, user_id: int, reason: str, keep_session_id: int | None = None
) -> None:
    """End every live session and revoke every live token of a user (no commit)."""
    now = utc_now()
    sessions = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep_session_id is not None:
        sessions = sessions.where(UserSession.id != keep_session_id)
    session.execute(
        sessions.values(ended_at=now, end_reason=reason).execution_options(
            synchronize_session=False
        )
    )
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def sign_out_everywhere(session: Session, *, actor: User, ip: str = "") -> None:
    """End every session and token of the signed-in user, this browser's included."""
    _end_everything(session, user_id=actor.id, reason="signed_out_everywhere")
    audit.record(session, actor, "signed_out_everywhere", object_type="user",
                 object_id=actor.id, ip=ip)
    session.commit()


def change_password(
    session: Session,
    *,
    actor: User,
    current_password: str,
    new_password: str,
    ip: str = "",
    user_agent: str = "",
    browser: bool = True,
) -> str | None:
    """The user's own change. Every session and token ends; a browser gets a fresh session
    (its id is returned) so the person stays signed in here and nowhere else."""
    _release(session)
    if not verify_password(actor.password_hash, current_password):
        raise Invalid("当前密码不正确", field="current_password")
    problem = policy_problem(new_password, username=actor.username)
    if problem:
        raise Invalid(problem, field="new_password")
    if verify_password(actor.password_hash, new_password):
        raise Invalid("新密码不能与当前密码相同", field="new_password")
    new_hash = hash_password(new_password)
    actor.password_hash = new_hash
    actor.must_change_password = False
    actor.password_changed_at = utc_now()
    session.add(actor)
    _end_everything(session, user_id=actor.id, reason="password_changed")
    plain = _open_session(session, user=actor, ip=ip, user_agent=user_agent) if browser else None
    audit.record(session, actor, "password_changed", object_type="user", object_id=actor.id,
                 ip=ip)
    session.commit()
    return plain


def _managed_user(session: Session, *, actor: User, user_id: int) -> User:
    ensure_role(actor, "admin")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("没有这个用户")
    return user


def reset_password(
    session: Session, *, actor: User, user_id: int, ip: str = ""
) -> tuple[User, str]:
    """An administrator sets a temporary password (returned once): every session and token
    of the user ends and the user must choose a new password at the next sign-in."""
    ensure_role(actor, "admin")
    _release(session)
    temporary = random_password()
    new_hash = hash_password(temporary)  # before the transaction that writes
    user = _managed_user(session, actor=actor, user_id=user_id)
    user.password_hash = new_hash
    user.must_change_password = True
    user.password_changed_at = utc_now()
    session.add(user)
    _end_everything(session, user_id=user.id, reason="password_reset")
    audit.record(session, actor, "password_reset", object_type="user", object_id=user.id, ip=ip,
                 detail={"username": user.username})
    session.commit()
    return user, temporary


def set_active(
    session: Session, *, actor: User, user_id: int, active: bool, ip: str = ""
) -> User:
    """Deactivate (every session and token ends at once) or reactivate an account."""
    user = _managed_user(session, actor=actor, user_id=user_id)
    if user.id == actor.id and not active:
        raise Forbidden("不能停用自己的账号")
    if user.is_active == active:
        return user
    user.is_active = active
    session.add(user)
    if not active:
        _end_everything(session, user_id=user.id, reason="deactivated")
    audit.record(session, actor, "user_activated" if active else "user_deactivated",
                 object_type="user", object_id=user.id, ip=ip,
                 detail={"username": user.username})
    session.commit()
    return user


# --- what the user sees of their own sign-ins ---------------------------------------------------


def active_sessions_and_tokens(
    session: Session, *, actor: User
) -> tuple[list[UserSession], list[ApiToken]]:
    """The user's live browser sessions (most recent first) and unrevoked, unexpired tokens."""
    settings = get_settings()
    now = utc_now()
    sessions = session.exec(
        select(UserSession)
        .where(
            UserSession.user_id == actor.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - timedelta(seconds=settings.session_idle_seconds),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    tokens = session.exec(
        select(ApiToken)
        .where(
            ApiToken.user_id == actor.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
        .order_by(ApiToken.id.desc())
    ).all()
    return list(sessions), list(tokens)


def end_session(session: Session, *, actor: User, session_id: int, ip: str = "") -> None:
    """End one of the user's own sessions (another browser, or this one)."""
    record = session.get(UserSession, session_id)
    if record is None or record.user_id != actor.id:
        raise NotFound("没有这个登录会话")
    if record.ended_at is None:
        record.ended_at, record.end_reason = utc_now(), "ended_by_user"
        audit.record(session, actor, "session_ended", object_type="user", object_id=actor.id,
                     ip=ip, detail={"session_id": record.id})
        session.commit()


def revoke_token(session: Session, *, actor: User, token_id: int, ip: str = "") -> None:
    """Revoke one of the user's own API tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound("没有这个令牌")
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        audit.record(session, actor, "token_revoked", object_type="user", object_id=actor.id,
                     ip=ip, detail={"token_id": token.id, "name": token.name})
        session.commit()
