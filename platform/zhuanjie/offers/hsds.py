"""Open Referral HSDS 3.0: export the directory, import an HSDS file as draft offers.

The mapping between our rows and HSDS records is `offers.hsds_format`; the routes are
`offers.hsds_api`; the command is `zhuanjie import-hsds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import InvalidOperation

from pydantic import ValidationError
from sqlmodel import Session, select

from zhuanjie import audit, codes, regions
from zhuanjie.clock import today
from zhuanjie.errors import Invalid
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.models import Offer, Organisation, User
from zhuanjie.offers import hsds_format as fmt
from zhuanjie.offers import service as offers
from zhuanjie.offers.schemas import OfferCreate
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import Page, paginate


def service_records(session: Session, rows: list[Offer]) -> list[dict]:
    """Many offers as HSDS services, links and organisations loaded in a few queries."""
    links = offers.offer_links(session, [o.id for o in rows])
    orgs = offers.organisations_of(session, rows)
    return [fmt.service_record(o, orgs[o.organisation_id], links[o.id]) for o in rows]


def export_services(session: Session, *, page: int = 1, per_page: int = 50) -> dict:
    """One HSDS page of the public directory's services, oldest first (stable paging).

    Like the directory: live offers (`offers.live`) whose window has not ended.
    """
    query = offers.public_offers().where(offers.not_ended(today()))
    query = query.order_by(Offer.id).execution_options(populate_existing=True)
    shown = Page(page, per_page)
    rows, total = paginate(session, query, offset=shown.offset, limit=shown.size)
    return fmt.page(service_records(session, rows), total, page, per_page)


def export_organizations(session: Session, *, page: int = 1, per_page: int = 50) -> dict:
    """One HSDS page of verified organisations (what the public may see)."""
    query = organisations.visible_organisations(None).order_by(Organisation.id)
    shown = Page(page, per_page)
    rows, total = paginate(session, query, offset=shown.offset, limit=shown.size)
    return fmt.page([fmt.organization_record(o) for o in rows], total, page, per_page)


# --- import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    organisations_created: list[int] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (record label, why)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (record label, offer id)


def _organisation_for(session: Session, record: dict, made: dict[str, Organisation],
                      report: ImportReport) -> Organisation:
    org_rec = record.get("organization") or {}
    key = org_rec.get("id") or record.get("organization_id") or ""
    if key in made:
        return made[key]
    ext = org_rec.get(fmt.EXTENSION) or {}
    code = (org_rec.get("tax_id") or "").strip().upper() or None
    name = (org_rec.get("name") or "").strip()
    org = None
    if code:
        org = session.exec(select(Organisation).where(Organisation.credit_code == code)).first()
    if org is None and name:
        org = session.exec(select(Organisation).where(Organisation.name == name)).first()
    if org is None:
        if not name:
            raise ValueError("服务没有所属机构（organization.name）")
        kind = ext.get("kind") if ext.get("kind") in codes.ORG_KINDS else "ngo"
        area = ext.get("service_area")
        org = Organisation(
            name=name[:120], kind=kind, credit_code=code, status="pending",
            description=org_rec.get("description") or "",
            contact_email=(org_rec.get("email") or "")[:120],
            contact_name=((org_rec.get("contacts") or [{}])[0].get("name") or "")[:60],
            contact_phone=((org_rec.get("phones") or [{}])[0].get("number") or "")[:30],
            service_area=area if area and regions.is_known(area) else None,
            is_person=bool(ext.get("is_person")),
        )
        session.add(org)
        session.flush()
        report.organisations_created.append(org.id)
    made[key] = org
    return org


def import_services(session: Session, records: list[dict], *, actor: User | None = None,
                    validate=None) -> ImportReport:
    """Create a draft offer for each acceptable HSDS service; report each refused record.

    Organisations are matched by credit code, then name; unknown ones are created pending
    verification. Records that fail are reported with the field and the Chinese reason; the
    good ones are committed together. A service whose id an offer already came with is
    skipped (and reported), so importing a file again creates nothing twice.
    """
    report, made = ImportReport(), {}
    wanted = [x for x in (fmt.source_id(r) for r in records) if x]
    imported = dict(  # source id -> offer id, for the whole file in one query
        session.exec(select(Offer.source_id, Offer.id).where(Offer.source_id.in_(wanted))).all()
    ) if wanted else {}
    for index, record in enumerate(records, start=1):
        record = record if isinstance(record, dict) else {}
        label = f"第{index}条（{record.get('name') or record.get('id') or '无名称'}）"
        source = fmt.source_id(record)
        if source in imported:
            report.skipped.append((label, imported[source]))
            continue
        if validate is not None:
            problem = validate(record)
            if problem:
                report.refused.append((label, problem))
                continue
        try:
            data = OfferCreate.model_validate(fmt.offer_data(record))
        except ValidationError as exc:
            err = exc.errors()[0]
            report.refused.append((label, f"{field_name(err['loc'])}: {chinese_message(err)}"))
            continue
        except (TypeError, InvalidOperation, AttributeError) as exc:
            report.refused.append((label, f"格式不正确：{exc}"))
            continue
        savepoint = session.begin_nested()
        known, orgs_before = dict(made), len(report.organisations_created)
        try:
            org = _organisation_for(session, record, made, report)
            offer = offers.add_draft(session, actor=actor, organisation=org, data=data,
                                     source_id=source,
                                     changes={"imported": [None, record.get("id")],
                                              "status": [None, "draft"]})
        except (ValueError, Invalid) as exc:
            savepoint.rollback()
            made.clear()
            made.update(known)
            del report.organisations_created[orgs_before:]
            report.refused.append((label, str(exc)))
            continue
        savepoint.commit()
        report.created.append(offer.id)
        if source:
            imported[source] = offer.id
    audit.record(session, actor, "offers_imported_hsds", object_type="offer",
                 detail={"created": len(report.created), "refused": len(report.refused)})
    session.commit()
    return report
