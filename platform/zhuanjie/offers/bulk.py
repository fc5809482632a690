"""Bulk entry: organisation staff upload an Excel or CSV sheet of offers, see every row checked,
and save all rows as drafts or none. The sheet's format is `offers.bulk_format`; the routes
are `offers.bulk_pages` and `offers.api`."""

from __future__ import annotations

from sqlmodel import Session

from zhuanjie import audit
from zhuanjie.errors import Forbidden, Invalid
from zhuanjie.models import Offer, User
from zhuanjie.offers import service as offers
from zhuanjie.offers.bulk_format import Sheet, read_sheet
from zhuanjie.organisations import service as organisations
from zhuanjie.policy import ensure_role


def create_from_sheet(
    session: Session, *, actor: User, filename: str, content: bytes
) -> list[Offer]:
    """Save every row of the sheet as a draft offer, or none if any row is wrong."""
    ensure_role(actor, "org_staff")
    sheet = read_sheet(filename, content)
    if sheet.problem:
        raise Invalid(sheet.problem, field="file")
    if not sheet.ok:
        raise Invalid(sheet.summary(), field="file")
    org = organisations.own_organisation(session, actor=actor)
    if org is None:
        raise Forbidden("您的账号未关联机构")
    created = [
        offers.add_draft(session, actor=actor, organisation=org, data=row.data,
                         changes={"created": [None, row.data.title], "status": [None, "draft"],
                                  "sheet_row": [None, row.number]})
        for row in sheet.rows
    ]
    audit.record(session, actor, "offers_bulk_created", object_type="offer",
                 detail={"rows": len(created), "file": filename[:100]})
    session.commit()
    return created


def preview_sheet(*, actor: User, filename: str, content: bytes) -> Sheet:
    """Check an uploaded sheet without saving anything."""
    ensure_role(actor, "org_staff")
    return read_sheet(filename, content)


def upload(
    session: Session, *, actor: User, filename: str, content: bytes, commit: bool = False
) -> dict:
    """The API's upload: every row checked; with `commit`, all rows saved as drafts or none
    (Invalid naming the rows that are wrong)."""
    sheet = preview_sheet(actor=actor, filename=filename, content=content)
    rows = [{"row": r.number, "title": r.values.get("title", ""), "errors": r.errors}
            for r in sheet.rows]
    if not commit:
        return {"ok": sheet.ok, "problem": sheet.problem, "rows": rows}
    if not sheet.ok:
        raise Invalid(sheet.summary(), field="file")
    created = create_from_sheet(session, actor=actor, filename=filename, content=content)
    return {"ok": True, "created": [o.id for o in created], "rows": rows}
