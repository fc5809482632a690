"""Administration: the accounts list, the audit log and the scheduled jobs, each scoped."""

from __future__ import annotations

from sqlmodel import Session, select

from zhuanjie.auth import service as auth
from zhuanjie.models import AuditEntry, User
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import paginate
from zhuanjie.policy import ensure_role, region_filter


def users(
    session: Session, *, actor: User, offset: int, limit: int
) -> tuple[list[User], dict[int, str], int]:
    """One page of accounts (admins only), the names of their organisations, the total."""
    rows, total = auth.list_users(session, actor=actor, offset=offset, limit=limit)
    names = organisations.names_of(session, {u.organisation_id for u in rows if u.organisation_id})
    return rows, names, total


def visible_audit(user: User):
    """Audit entries with their actor: all for admins, those of people in a supervisor's
    region for supervisors, none for anyone else."""
    ensure_role(user, "admin", "supervisor")
    query = select(AuditEntry, User).join(User, User.id == AuditEntry.actor_id, isouter=True)
    if user.role == "supervisor":
        query = query.where(region_filter(user, User.region_path))
    return query


def audit_log(
    session: Session, *, actor: User, action: str = "", offset: int, limit: int
) -> tuple[list[tuple[AuditEntry, User | None]], int]:
    """The audit log, newest first, optionally one kind of action."""
    query = visible_audit(actor)
    if action:
        query = query.where(AuditEntry.action == action)
    return paginate(session, query.order_by(AuditEntry.id.desc()), offset=offset, limit=limit)


def jobs(session: Session, *, actor: User) -> tuple[list, dict]:
    """Scheduled jobs (what each does, its last run) and the tasks waiting, by kind."""
    from zhuanjie.scheduler import job_overview
    from zhuanjie.tasks import pending_by_kind

    ensure_role(actor, "admin", "supervisor")
    return job_overview(session), pending_by_kind(session)
