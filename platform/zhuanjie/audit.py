"""The audit log: who did or saw what. Helpers add, the calling use case commits."""

from __future__ import annotations

from sqlmodel import Session

from zhuanjie.models import AuditEntry, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    *,
    object_type: str = "",
    object_id: int | None = None,
    detail: dict | None = None,
    ip: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail or {},
        ip=ip,
    )
    session.add(entry)
    return entry
