"""Attachments: scans and photos kept for a household, need, consent or follow-up.

Whoever may see the record an attachment hangs on may see the attachment (its household's
region is the scope); caseworkers and admins add and delete them. Every download is an audit
row. The file is checked and cleaned by content (attachments.content), encrypted with the
field key, and written to the storage before the row is committed: a rolled-back action
removes the file it wrote, and a deleted attachment's file goes once the deletion is committed
(see `_files_follow_the_transaction`), so no file outlives its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from zhuanjie import audit, codes, crypto
from zhuanjie.attachments import content
from zhuanjie.attachments.schemas import AttachmentPublic
from zhuanjie.attachments.storage import Storage, default_storage, new_key
from zhuanjie.config import get_settings
from zhuanjie.errors import Invalid, NotFound
from zhuanjie.followups import service as followups
from zhuanjie.households import service as households
from zhuanjie.models import Attachment, Consent, Household, Need, User
from zhuanjie.needs import service as needs
from zhuanjie.policy import ensure_role, one_visible, region_filter

WRITE_ROLES = ("caseworker", "admin")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')

_storage: Storage | None = None


def storage() -> Storage:
    global _storage
    if _storage is None:
        _storage = default_storage()
    return _storage


def use_storage(replacement: Storage | None) -> None:
    """Point attachments at another storage (None: the configured folder again)."""
    global _storage
    _storage = replacement


# --- files follow the database transaction ------------------------------------------------------

_NEW, _GONE = "zj_attachment_files_new", "zj_attachment_files_gone"


@event.listens_for(OrmSession, "after_commit")
def _files_follow_the_transaction(session) -> None:
    session.info.pop(_NEW, None)
    for key in session.info.pop(_GONE, []):
        storage().delete(key)


@event.listens_for(OrmSession, "after_rollback")
def _written_files_go_with_a_rollback(session) -> None:
    session.info.pop(_GONE, None)
    for key in session.info.pop(_NEW, []):
        storage().delete(key)


# --- reading -----------------------------------------------------------------------------------


def visible_attachments(user: User):
    """The one query every attachment lookup starts from: its household in the user's region."""
    ensure_role(user, *households.HOUSEHOLD_ROLES)
    return (
        select(Attachment)
        .join(Household, Household.id == Attachment.household_id)
        .where(region_filter(user, Household.region_path))
    )


def get_attachment(session: Session, *, actor: User, attachment_id: int) -> Attachment:
    return one_visible(session, visible_attachments(actor), Attachment, attachment_id,
                       missing="附件不存在", hidden="该附件不在您的辖区范围内")


def owner_household(session: Session, *, actor: User, owner_type: str, owner_id: int) -> int:
    """The household of the record an attachment hangs on, checking the actor may see it."""
    if owner_type == "household":
        return households.get_household(session, actor=actor, household_id=owner_id).id
    if owner_type == "need":
        return needs.get_need(session, actor=actor, need_id=owner_id).household_id
    if owner_type == "consent":
        consent = session.get(Consent, owner_id)
        if consent is None:
            raise NotFound("授权记录不存在")
        return households.get_household(
            session, actor=actor, household_id=consent.household_id
        ).id
    if owner_type == "follow_up":
        visit = followups.get_followup(session, actor=actor, followup_id=owner_id)
        return session.get(Need, visit.need_id).household_id
    raise NotFound("没有这种记录")


def _public(row: Attachment, names: dict[int, str]) -> AttachmentPublic:
    return AttachmentPublic(
        id=row.id, owner_type=row.owner_type, owner_id=row.owner_id, kind=row.kind,
        kind_label=codes.ATTACHMENT_KINDS.get(row.kind, row.kind),
        content_type=row.content_type, size=row.size, name=crypto.decrypt(row.name_enc) or "",
        uploaded_by=names.get(row.uploaded_by_id), created_at=row.created_at,
    )


@dataclass
class AttachmentList:
    owner_type: str
    owner_id: int
    household_id: int
    items: list[AttachmentPublic]
    can_write: bool
    max_mb: int


def attachments_of(
    session: Session, *, actor: User, owner_type: str, owner_id: int
) -> AttachmentList:
    household_id = owner_household(session, actor=actor, owner_type=owner_type, owner_id=owner_id)
    rows = session.exec(
        visible_attachments(actor)
        .where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
        .order_by(Attachment.id.desc())
    ).all()
    uploader_ids = {r.uploaded_by_id for r in rows} - {None}
    names = {
        u.id: u.display_name
        for u in session.exec(select(User).where(User.id.in_(uploader_ids or {0}))).all()
    }
    return AttachmentList(
        owner_type=owner_type, owner_id=owner_id, household_id=household_id,
        items=[_public(r, names) for r in rows], can_write=actor.role in WRITE_ROLES,
        max_mb=get_settings().attachment_max_bytes // (1024 * 1024),
    )


def signed_consents(session: Session, consent_ids: list[int]) -> set[int]:
    """Those of the consents that have a signed scan attached."""
    if not consent_ids:
        return set()
    return set(session.exec(
        select(Attachment.owner_id).where(
            Attachment.owner_type == "consent", Attachment.owner_id.in_(consent_ids),
            Attachment.kind == "consent_scan",
        )
    ).all())


# --- writing -----------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    name = _UNSAFE_NAME.sub("_", (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip()
    return name[:120]


def store(
    session: Session, *, actor: User, household_id: int, owner_type: str, owner_id: int,
    kind: str, filename: str, data: bytes, field: str = "file",
) -> Attachment:
    """Check, clean, encrypt and keep one file for a record; the caller commits. Used by
    `upload` and by sending a referral with its signed consent."""
    ensure_role(actor, *WRITE_ROLES)
    if kind not in codes.ATTACHMENT_KINDS:
        raise Invalid("请选择材料类型", field="kind")
    kept = content.accept(data, max_bytes=get_settings().attachment_max_bytes, field=field)
    sealed, key_id = crypto.encrypt_bytes(kept.data)
    name = clean_name(filename)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    row = Attachment(
        household_id=household_id, owner_type=owner_type, owner_id=owner_id, kind=kind,
        content_type=kept.content_type, size=len(kept.data),
        name_enc=crypto.encrypt(f"{stem or codes.ATTACHMENT_KINDS[kind]}.{kept.extension}"),
        storage_key=new_key(), key_id=key_id, uploaded_by_id=actor.id,
    )
    session.info.setdefault(_NEW, []).append(row.storage_key)
    storage().put(row.storage_key, sealed)
    session.add(row)
    session.flush()
    return row


def upload(
    session: Session, *, actor: User, owner_type: str, owner_id: int, kind: str,
    filename: str, data: bytes, ip: str = "",
) -> AttachmentPublic:
    ensure_role(actor, *WRITE_ROLES)
    household_id = owner_household(session, actor=actor, owner_type=owner_type, owner_id=owner_id)
    row = store(session, actor=actor, household_id=household_id, owner_type=owner_type,
                owner_id=owner_id, kind=kind, filename=filename, data=data)
    audit.record(session, actor, "attachment_added", object_type="attachment", object_id=row.id,
                 detail={"owner_type": owner_type, "owner_id": owner_id, "kind": kind}, ip=ip)
    session.commit()
    return _public(row, {actor.id: actor.display_name})


@dataclass
class Download:
    content_type: str
    filename: str
    data: bytes


def download(session: Session, *, actor: User, attachment_id: int, ip: str = "") -> Download:
    row = get_attachment(session, actor=actor, attachment_id=attachment_id)
    data = crypto.decrypt_bytes(storage().get(row.storage_key))
    audit.record(session, actor, "attachment_downloaded", object_type="attachment",
                 object_id=row.id, detail={"owner_type": row.owner_type,
                                           "owner_id": row.owner_id, "kind": row.kind}, ip=ip)
    session.commit()
    return Download(row.content_type, crypto.decrypt(row.name_enc) or f"{row.id}", data)


def delete(session: Session, *, actor: User, attachment_id: int, ip: str = "") -> tuple[str, int]:
    """Remove an attachment and, once that is committed, its file."""
    ensure_role(actor, *WRITE_ROLES)
    row = get_attachment(session, actor=actor, attachment_id=attachment_id)
    owner = (row.owner_type, row.owner_id)
    session.info.setdefault(_GONE, []).append(row.storage_key)
    audit.record(session, actor, "attachment_deleted", object_type="attachment", object_id=row.id,
                 detail={"owner_type": row.owner_type, "owner_id": row.owner_id,
                         "kind": row.kind}, ip=ip)
    session.delete(row)
    session.commit()
    return owner


def bind_to_consent(
    session: Session, *, actor: User, attachment_id: int, need: Need, consent: Consent
) -> Attachment:
    """Move a signed scan uploaded to the need onto the consent it records (the API's way of
    sending a referral with its signed consent); the caller commits."""
    row = session.exec(visible_attachments(actor).where(Attachment.id == attachment_id)).first()
    if row is None or row.household_id != need.household_id or row.kind != "consent_scan" or (
        (row.owner_type, row.owner_id) != ("need", need.id)
    ):
        raise Invalid("请先把签字授权书扫描件上传到本需求", field="consent.scan_attachment_id")
    row.owner_type, row.owner_id = "consent", consent.id
    session.add(row)
    return row
