"""Organisations: registration and listing (verification flows build on this)."""

from __future__ import annotations

from sqlmodel import Session, func, select

from zhuanjie import audit
from zhuanjie.errors import Conflict, Invalid
from zhuanjie.models import Organisation, User
from zhuanjie.organisations.schemas import OrganisationCreate
from zhuanjie.policy import ensure_role


def create_organisation(
    session: Session, *, actor: User | None, data: OrganisationCreate
) -> Organisation:
    """Register an organisation; it waits for verification."""
    if actor is not None:
        ensure_role(actor, "admin", "supervisor")
    if data.kind in ("ngo", "enterprise") and not data.credit_code:
        raise Invalid("社会组织和企业须填写统一社会信用代码", field="credit_code")
    if (
        data.credit_code
        and session.exec(
            select(Organisation.id).where(Organisation.credit_code == data.credit_code)
        ).first()
    ):
        raise Conflict("该统一社会信用代码已登记", field="credit_code")
    org = Organisation.model_validate(data)
    session.add(org)
    session.flush()
    audit.record(
        session, actor, "organisation_created", object_type="organisation", object_id=org.id
    )
    session.commit()
    return org


def list_organisations(
    session: Session, *, actor: User, kind: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Organisation], int]:
    """Organisations, by name; staff of the platform see all, others verified ones only."""
    query = select(Organisation)
    if actor.role not in ("admin", "supervisor"):
        query = query.where(Organisation.status == "verified")
    if kind:
        query = query.where(Organisation.kind == kind)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Organisation.name).offset(offset).limit(limit)).all()
    return list(rows), total
