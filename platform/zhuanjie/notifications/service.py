"""Telling people: one row per person per event in their inbox."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, func, select, update

from zhuanjie.db import utc_now
from zhuanjie.models import Notification, User
from zhuanjie.pagination import paginate
from zhuanjie.policy import one_visible


def notify(
    session: Session,
    *,
    user_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str | None = None,
) -> list[int]:
    """Tell each user; with a dedupe key an event is told only once, however often (and in
    however many workers) the code that tells it runs. Returns the users newly told."""
    told = []
    for user_id in dict.fromkeys(user_ids):
        key = f"{dedupe_key}:{user_id}" if dedupe_key else None
        statement = _insert_for(session)(Notification).values(
            user_id=user_id,
            kind=kind,
            title=title,
            body=body,
            link=link,
            dedupe_key=key,
            created_at=utc_now(),
        )
        if key:
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
        if session.exec(statement).rowcount:
            told.append(user_id)
    return told


def _insert_for(session: Session):
    dialect = session.get_bind().dialect.name
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


def organisation_staff(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.exec(
            select(User.id).where(
                User.organisation_id == organisation_id, User.role == "org_staff", User.is_active
            )
        ).all()
    )


def inbox(session: Session, *, user: User, offset: int = 0, limit: int = 30):
    """The user's notifications, newest first, and how many are unread."""
    query = visible_notifications(user).order_by(Notification.id.desc())
    rows, total = paginate(session, query, offset=offset, limit=limit)
    return rows, total, unread_count(session, user)


def mark_read(session: Session, *, user: User, notification_id: int | None = None) -> None:
    """Mark one notification (or all of them) read."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        _own_notification(session, user, notification_id)
        query = query.where(Notification.id == notification_id)
    session.exec(query.values(read_at=utc_now()))
    session.commit()


def supervisors_of(session: Session, region_path: str) -> list[int]:
    """Supervisors whose region holds this one (the township's county, the city)."""
    from zhuanjie.regions import ancestors

    return list(
        session.exec(
            select(User.id).where(
                User.role == "supervisor",
                User.is_active,
                User.region_path.in_(ancestors(region_path)),
            )
        ).all()
    )


def save_preferences(session: Session, *, user: User, email: str, kinds: list[str]) -> User:
    """Which kinds of notification the user also wants by e-mail, and where."""
    from zhuanjie.codes import NOTIFICATION_KINDS
    from zhuanjie.errors import Invalid

    email = email.strip()
    if email and ("@" not in email or len(email) > 120):
        raise Invalid("请填写有效的电子邮箱", field="email")
    if kinds and not email:
        raise Invalid("要接收邮件，请先填写电子邮箱", field="email")
    user.email = email
    user.email_kinds = [k for k in kinds if k in NOTIFICATION_KINDS]
    session.add(user)
    session.commit()
    return user


def unread_count(session: Session, user: User) -> int:
    return session.exec(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).one()


def visible_notifications(user: User):
    """The one query notification lists and lookups start from: the user's own."""
    return select(Notification).where(Notification.user_id == user.id)


def _own_notification(session: Session, user: User, notification_id: int) -> Notification:
    return one_visible(session, visible_notifications(user), Notification, notification_id,
                       missing="通知不存在")


def open_notification(session: Session, *, user: User, notification_id: int) -> str:
    """Mark one of the user's notifications read; where it points (404 if not theirs)."""
    mark_read(session, user=user, notification_id=notification_id)
    return _own_notification(session, user, notification_id).link or "/notifications"
