"""Open Referral HSDS 3.0: export the directory, import an HSDS file as draft offers.

Where HSDS has a field we use it: coverage → `service_areas` (name = our region path such as
南通市/如皋市, description = its Chinese short name),
categories, eligible groups and mode → `attributes` with taxonomy terms of our three
vocabularies, ages → `minimum_age`/`maximum_age`, validity → `schedules[0].valid_from/valid_to`,
the amount per person → `cost_options` (option "benefit_per_person", CNY), how to apply →
`application_process`, contact → `contacts`, status → `status`.
What HSDS has no field for travels in one documented extension object, `x-zhuanjie` (HSDS
schemas allow additional properties): capacity and places remaining (HSDS has no capacity),
the income ceiling, the total budget, the mode code, whether it is a government programme and
its structured rules. Identifiers are UUIDs derived from our row ids (uuid5), so an export is
stable from one day to the next.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Query
from pydantic import ValidationError
from sqlalchemy import or_
from sqlmodel import Session, func, select

from zhuanjie import audit, codes, regions
from zhuanjie.bounds import PageNo
from zhuanjie.clock import today
from zhuanjie.config import PROJECT_ROOT
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.models import Offer, OfferRevision, Organisation, User
from zhuanjie.offers.capacity import remaining
from zhuanjie.offers.schemas import OfferCreate
from zhuanjie.offers.service import offer_links, public_offers

NAMESPACE = uuid.UUID("6f1d1a52-6a39-4bd4-9d43-3a8c1f6b7e10")
EXTENSION = "x-zhuanjie"
TAXONOMIES = {"category": codes.CATEGORIES, "group": codes.GROUPS, "mode": codes.OFFER_MODES}
TAXONOMY_NAMES = {"category": "服务类别", "group": "服务对象", "mode": "帮扶方式"}
STATUS_OUT = {"published": "active", "paused": "temporarily closed", "closed": "inactive",
              "draft": "inactive"}
KIND_TAX_STATUS = {"government": "政府部门", "ngo": "社会组织", "donor": "爱心人士 / 企业捐助方",
                   "enterprise": "企业"}
BENEFIT = "benefit_per_person"


def _uid(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _attribute(service_id: str, taxonomy: str, code: str) -> dict:
    term_id = _uid(f"term-{taxonomy}", code)
    return {
        "id": _uid("attribute", f"{service_id}:{taxonomy}:{code}"),
        "link_id": service_id,
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": code,
        "taxonomy_term": {
            "id": term_id,
            "code": code,
            "name": TAXONOMIES[taxonomy][code],
            "description": f"{TAXONOMY_NAMES[taxonomy]}：{TAXONOMIES[taxonomy][code]}",
            "taxonomy": f"zhuanjie-{taxonomy}",
            "taxonomy_id": _uid("taxonomy", taxonomy),
            "taxonomy_detail": {
                "id": _uid("taxonomy", taxonomy),
                "name": f"zhuanjie-{taxonomy}",
                "description": f"转介平台{TAXONOMY_NAMES[taxonomy]}代码",
            },
        },
    }


def organization_record(org: Organisation) -> dict:
    """One organisation as an HSDS 3.0 organization."""
    org_id = _uid("organisation", org.id)
    record: dict = {
        "id": org_id,
        "name": org.name,
        "description": org.description or org.name,
        "tax_status": KIND_TAX_STATUS.get(org.kind, org.kind),
        "contacts": [],
        "phones": [],
        "organization_identifiers": [],
        EXTENSION: {"kind": org.kind, "service_area": org.service_area,
                    "status": org.status, "is_person": org.is_person},
    }
    if org.credit_code:
        record["tax_id"] = org.credit_code
        record["organization_identifiers"].append({
            "id": _uid("org-identifier", org.id), "organization_id": org_id,
            "identifier_scheme": "CN-USCC", "identifier_type": "统一社会信用代码",
            "identifier": org.credit_code,
        })
    if org.contact_email:
        record["email"] = org.contact_email
    if org.contact_name:
        record["contacts"].append({"id": _uid("org-contact", org.id), "organization_id": org_id,
                                   "name": org.contact_name})
    if org.contact_phone:
        record["phones"].append({"id": _uid("org-phone", org.id), "organization_id": org_id,
                                 "number": org.contact_phone})
    return record


def _eligibility_text(o: Offer, groups: list[str]) -> str:
    parts = []
    if groups:
        parts.append("服务对象：" + "、".join(codes.GROUPS[g] for g in groups))
    if o.age_min is not None or o.age_max is not None:
        low = o.age_min if o.age_min is not None else "不限"
        high = o.age_max if o.age_max is not None else "不限"
        parts.append(f"年龄：{low}–{high}周岁")
    if o.income_ceiling is not None:
        parts.append(f"家庭人均月收入不超过{_num(o.income_ceiling)}元")
    return "；".join(parts) or "覆盖区域内困难群众均可申请"


def service_record(o: Offer, org: Organisation, link: dict[str, list[str]]) -> dict:
    """One offer as an HSDS 3.0 service (fully nested: its organization included)."""
    sid = o.source_id or _uid("offer", o.id)   # an imported offer keeps its identity
    record: dict = {
        "id": sid,
        "organization_id": _uid("organisation", org.id),
        "name": o.title,
        "description": o.description,
        "status": STATUS_OUT[o.status],
        "application_process": o.how_to_apply,
        "eligibility_description": _eligibility_text(o, link["groups"]),
        "last_modified": o.updated_at.isoformat(),
        "service_areas": [
            {"id": _uid("area", f"{o.id}:{p}"), "service_id": sid, "name": p,
             "description": "南通市全市" if p == "南通市" else regions.short_name(p)}
            for p in link["coverage"]
        ],
        "attributes": [_attribute(sid, "category", c) for c in link["categories"]]
        + [_attribute(sid, "group", g) for g in link["groups"]]
        + [_attribute(sid, "mode", o.mode)],
        "schedules": [],
        "cost_options": [],
        "contacts": [],
        "organization": organization_record(org),
        EXTENSION: {
            "capacity": o.capacity,
            "places_taken": o.places_taken,
            "places_remaining": remaining(o),
            "income_ceiling": _num(o.income_ceiling),
            "budget_total": _num(o.budget_total),
            "mode": o.mode,
            "is_programme": o.is_programme,
            "rules": o.rules or {},
        },
    }
    if o.age_min is not None:
        record["minimum_age"] = o.age_min
    if o.age_max is not None:
        record["maximum_age"] = o.age_max
    if o.valid_from or o.valid_until:
        schedule = {"id": _uid("schedule", o.id), "service_id": sid,
                    "description": "项目有效期"}
        if o.valid_from:
            schedule["valid_from"] = o.valid_from.isoformat()
        if o.valid_until:
            schedule["valid_to"] = o.valid_until.isoformat()
        record["schedules"].append(schedule)
    if o.amount_per_person is not None:
        record["cost_options"].append({
            "id": _uid("cost", o.id), "service_id": sid, "option": BENEFIT, "currency": "CNY",
            "amount": _num(o.amount_per_person), "amount_description": "每人帮扶金额（元）",
        })
    if o.contact:
        record["contacts"].append({"id": _uid("contact", o.id), "service_id": sid,
                                   "name": o.contact})
    return record


def service_records(session: Session, offers: list[Offer]) -> list[dict]:
    """Many offers as HSDS services, links and organisations loaded in a few queries."""
    links = offer_links(session, [o.id for o in offers])
    ids = sorted({o.organisation_id for o in offers})
    orgs = {o.id: o for o in session.exec(select(Organisation)
                                          .where(Organisation.id.in_(ids or [0]))).all()}
    return [service_record(o, orgs[o.organisation_id], links[o.id]) for o in offers]


def _page(items: list[dict], total: int, page: int, per_page: int) -> dict:
    pages = max(1, -(-total // per_page))
    return {"total_items": total, "total_pages": pages, "page_number": page,
            "size": len(items), "first_page": page == 1, "last_page": page >= pages,
            "empty": total == 0, "contents": items}


def export_services(session: Session, *, page: int = 1, per_page: int = 50) -> dict:
    """One HSDS page of the public directory's services, oldest first (stable paging).

    Like the directory: published offers of verified organisations whose window has not ended.
    """
    query = public_offers().where(or_(Offer.valid_until.is_(None), Offer.valid_until >= today()))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Offer.id).offset((page - 1) * per_page)
                        .limit(per_page).execution_options(populate_existing=True)).all()
    return _page(service_records(session, list(rows)), total, page, per_page)


def export_organizations(session: Session, *, page: int = 1, per_page: int = 50) -> dict:
    """One HSDS page of verified organisations."""
    query = select(Organisation).where(Organisation.status == "verified")
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Organisation.id).offset((page - 1) * per_page)
                        .limit(per_page)).all()
    return _page([organization_record(o) for o in rows], total, page, per_page)


# --- import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    organisations_created: list[int] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (record label, why)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (record label, offer id)


def _codes_from_attributes(record: dict, taxonomy: str) -> list[str]:
    out = []
    for attr in record.get("attributes") or []:
        term = attr.get("taxonomy_term") or {}
        if term.get("taxonomy") == f"zhuanjie-{taxonomy}":
            out.append(term.get("code") or attr.get("value"))
    return out


def _region_of(area: dict) -> str:
    """A service area's region path: its name as a path, or as a unique region name."""
    given = (area.get("name") or area.get("description") or "").strip()
    if regions.is_known(given):
        return given
    found = [n.path for n in regions.region_nodes()
             if given in (n.name, regions.short_name(n.path))]
    return found[0] if len(found) == 1 else given


def offer_data(record: dict) -> dict:
    """The input shape of one HSDS service (validated by OfferCreate afterwards)."""
    ext = record.get(EXTENSION) or {}
    schedule = (record.get("schedules") or [{}])[0]
    benefit = next((c for c in record.get("cost_options") or []
                    if c.get("option") == BENEFIT), None)
    modes = _codes_from_attributes(record, "mode")
    contact = (record.get("contacts") or [{}])[0].get("name", "")
    return {
        "title": record.get("name") or "",
        "description": record.get("description") or "",
        "categories": _codes_from_attributes(record, "category"),
        "coverage": [_region_of(a) for a in record.get("service_areas") or []],
        "groups": _codes_from_attributes(record, "group"),
        "age_min": record.get("minimum_age"),
        "age_max": record.get("maximum_age"),
        "income_ceiling": ext.get("income_ceiling"),
        "capacity": ext.get("capacity"),
        "amount_per_person": benefit.get("amount") if benefit else None,
        "budget_total": ext.get("budget_total"),
        "mode": ext.get("mode") or (modes[0] if modes else "service"),
        "valid_from": schedule.get("valid_from"),
        "valid_until": schedule.get("valid_to"),
        "how_to_apply": record.get("application_process") or "",
        "contact": contact,
        "is_programme": bool(ext.get("is_programme")),
        "rules": ext.get("rules") or {},
    }


def _organisation_for(session: Session, record: dict, made: dict[str, Organisation],
                      report: ImportReport) -> Organisation:
    org_rec = record.get("organization") or {}
    key = org_rec.get("id") or record.get("organization_id") or ""
    if key in made:
        return made[key]
    ext = org_rec.get(EXTENSION) or {}
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


def _source_id(record) -> str | None:
    """The HSDS id an offer is imported with (None when missing or unusable)."""
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) and 0 < len(rid) <= 100 else None


def import_services(session: Session, records: list[dict], *, actor: User | None = None,
                    validate=None) -> ImportReport:
    """Create a draft offer for each acceptable HSDS service; report each refused record.

    Organisations are matched by credit code, then name; unknown ones are created pending
    verification. Records that fail are reported with the field and the Chinese reason; the
    good ones are committed together. A service whose id an offer already came with is
    skipped (and reported), so importing a file again creates nothing twice.
    """
    from zhuanjie.offers.service import _row_values, _write_links

    report, made = ImportReport(), {}
    wanted = [x for x in (_source_id(r) for r in records) if x]
    imported = dict(  # source id -> offer id, for the whole file in one query
        session.exec(select(Offer.source_id, Offer.id).where(Offer.source_id.in_(wanted))).all()
    ) if wanted else {}
    for index, record in enumerate(records, start=1):
        record = record if isinstance(record, dict) else {}
        label = f"第{index}条（{record.get('name') or record.get('id') or '无名称'}）"
        source = _source_id(record)
        if source in imported:
            report.skipped.append((label, imported[source]))
            continue
        if validate is not None:
            problem = validate(record)
            if problem:
                report.refused.append((label, problem))
                continue
        try:
            data = OfferCreate.model_validate(offer_data(record))
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
            if data.is_programme and org.kind != "government":
                raise ValueError("只有政府部门可以发布常设救助政策项目")
            offer = Offer(organisation_id=org.id, status="draft", source_id=source,
                          created_by_id=actor.id if actor else None, **_row_values(data))
            session.add(offer)
            session.flush()
            _write_links(session, offer.id, data)
            session.add(OfferRevision(offer_id=offer.id, actor_id=actor.id if actor else None,
                                      changes={"imported": [None, record.get("id")],
                                               "status": [None, "draft"]}))
            session.flush()
        except ValueError as exc:
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


def records_from_file(payload) -> list[dict]:
    """Services from an HSDS file: a list response page, a bare list, or one service."""
    if isinstance(payload, dict) and isinstance(payload.get("contents"), list):
        return payload["contents"]
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise ValueError("文件内容不是 HSDS 服务列表")


# --- routes --------------------------------------------------------------------------------------

router = APIRouter(tags=["hsds"])


@router.get("/hsds/services")
def hsds_services(
    session: SessionDep,
    user: OptionalUser,
    page: PageNo = 1,
    per_page: int = Query(50, ge=1, le=500),
):
    """The public directory as Open Referral HSDS 3.0 services (a paginated HSDS page)."""
    return export_services(session, page=page, per_page=per_page)


@router.get("/hsds/organizations")
def hsds_organizations(
    session: SessionDep,
    user: OptionalUser,
    page: PageNo = 1,
    per_page: int = Query(50, ge=1, le=500),
):
    """Verified organisations as Open Referral HSDS 3.0 organizations (paginated)."""
    return export_organizations(session, page=page, per_page=per_page)


# --- validation against the official schemas (jsonschema is needed only here) -----------------

SCHEMA_DIR = PROJECT_ROOT / "data" / "hsds-3.0"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/compiled/"


def schema_validator(name: str):
    """A Draft 2020-12 validator for one HSDS schema file ("service", "organization_list", …)
    or for a list response ("services_page", "organizations_page": the API's Page with
    contents), with the $refs between the files resolved locally (no network)."""
    import json

    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8"))
               for p in SCHEMA_DIR.glob("*.json") if p.stem != "openapi"}
    registry = Registry().with_resources(
        (SCHEMA_BASE + f"{stem}.json",
         Resource.from_contents(schema, default_specification=DRAFT202012))
        for stem, schema in schemas.items()
    )
    if name.endswith("_page"):
        openapi = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
        path = {"services_page": "/services", "organizations_page": "/organizations"}[name]
        schema = openapi["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        schema = dict(schema, allOf=[openapi["components"]["schemas"]["Page"]])
    else:
        schema = schemas[name]
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def schema_problem(validator, record) -> str | None:
    """The first schema error of a record as one line, or None when it validates."""
    error = next(iter(sorted(validator.iter_errors(record), key=lambda e: list(e.path))), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "(记录)"
    return f"不符合 HSDS 3.0 结构：{where}: {error.message[:200]}"
