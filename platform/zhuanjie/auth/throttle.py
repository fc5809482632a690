"""Failed sign-ins, counted per account name and per client address, lock for a while.

One row per (scope, key) in `login_throttles`, changed with single UPDATE statements whose new
values are computed by the database from the old ones, so concurrent failures (threads,
processes, replicas) all count and exactly one of them sets the lock and writes its audit row.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.auth.errors import TooManyAttempts
from zhuanjie.config import get_settings
from zhuanjie.db import UTCDateTime
from zhuanjie.models import LoginThrottle, User

ACCOUNT, ADDRESS = "account", "address"


def account_key(username: str) -> str:
    return username.strip().lower()[:64]


def _keys(account: str, address: str) -> list[tuple[str, str]]:
    keys = [(ACCOUNT, account)]
    if address:
        keys.append((ADDRESS, address[:64]))
    return keys


def _match(keys: list[tuple[str, str]]):
    return or_(*(and_(LoginThrottle.scope == s, LoginThrottle.key == k) for s, k in keys))


def ensure_not_locked(session: Session, *, account: str, address: str, now: datetime) -> None:
    """Refuse (429) while the account name or the address is locked; one indexed read."""
    until = session.exec(
        select(LoginThrottle.locked_until).where(
            _match(_keys(account, address)), LoginThrottle.locked_until > now
        )
    ).all()
    if until:
        seconds = max(1, math.ceil((max(until) - now).total_seconds()))
        minutes = math.ceil(seconds / 60)
        raise TooManyAttempts(
            f"登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。", retry_after=seconds
        )


def _count_failure(session: Session, scope: str, key: str, now: datetime) -> int:
    """Add one failure to the row's window (a new window once the old one has passed);
    returns the failures now counted."""
    settings = get_settings()
    at = literal(now, UTCDateTime())
    fresh = LoginThrottle.window_started_at > now - timedelta(
        seconds=settings.login_window_seconds
    )
    bump = (
        update(LoginThrottle)
        .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
        .values(
            failures=case((fresh, LoginThrottle.failures + 1), else_=1),
            window_started_at=case((fresh, LoginThrottle.window_started_at), else_=at),
            updated_at=at,
        )
        .returning(LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    )
    counted = session.execute(bump).scalar()
    if counted is not None:
        return counted
    try:
        with session.begin_nested():
            session.add(
                LoginThrottle(
                    scope=scope, key=key, failures=1, window_started_at=now, updated_at=now
                )
            )
        return 1
    except IntegrityError:  # another request made the row meanwhile
        return session.execute(bump).scalar() or 1


def record_failure(
    session: Session, *, account: str, address: str, user: User | None, now: datetime
) -> None:
    """Count a failed sign-in; lock what reached its limit, with one audit row per lock.
    The caller commits."""
    settings = get_settings()
    limits = {
        ACCOUNT: settings.login_max_failures,
        ADDRESS: settings.login_max_failures_per_address,
    }
    lock_until = now + timedelta(seconds=settings.login_lock_seconds)
    for scope, key in _keys(account, address):
        if _count_failure(session, scope, key, now) < limits[scope]:
            continue
        # Only the request whose UPDATE still sees the limit reached sets the lock.
        locked = session.execute(
            update(LoginThrottle)
            .where(
                LoginThrottle.scope == scope,
                LoginThrottle.key == key,
                LoginThrottle.failures >= limits[scope],
            )
            .values(failures=0, window_started_at=now, locked_until=lock_until)
            .execution_options(synchronize_session=False)
        ).rowcount
        if locked:
            audit.record(
                session,
                user if scope == ACCOUNT else None,
                "login_locked",
                object_type="user" if scope == ACCOUNT and user else "",
                object_id=user.id if scope == ACCOUNT and user else None,
                detail={
                    "scope": scope,
                    "key": key,
                    "failures": limits[scope],
                    "until": lock_until.isoformat(),
                },
                ip=address,
            )
    _forget_stale(session, now)


def record_success(session: Session, *, account: str) -> None:
    """A correct password clears the account's count (not the address's)."""
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == account)
        .execution_options(synchronize_session=False)
    )


def _forget_stale(session: Session, now: datetime) -> None:
    """Rows untouched for longer than a window and a lock count nothing any more."""
    settings = get_settings()
    horizon = now - timedelta(
        seconds=settings.login_window_seconds + settings.login_lock_seconds
    )
    session.execute(
        delete(LoginThrottle)
        .where(LoginThrottle.updated_at < horizon)
        .execution_options(synchronize_session=False)
    )
