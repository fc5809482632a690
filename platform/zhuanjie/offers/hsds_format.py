"""Open Referral HSDS 3.0 as a format: our offers and organisations as HSDS records, HSDS
service records as our offer input, list pages, and validation against the official schemas.
No database here: `offers.hsds` reads and writes, `offers.hsds_api` serves.

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
from decimal import Decimal

from zhuanjie import codes, regions
from zhuanjie.config import PROJECT_ROOT
from zhuanjie.models import Offer, Organisation
from zhuanjie.offers.capacity import remaining
from zhuanjie.offers.service import PERSON_NAME, person_withheld
from zhuanjie.pagination import Page

NAMESPACE = uuid.UUID("6f1d1a52-6a39-4bd4-9d43-3a8c1f6b7e10")
EXTENSION = "x-zhuanjie"
TAXONOMIES = {"category": codes.CATEGORIES, "group": codes.GROUPS, "mode": codes.OFFER_MODES}
TAXONOMY_NAMES = {"category": "服务类别", "group": "服务对象", "mode": "帮扶方式"}
STATUS_OUT = {"published": "active", "paused": "temporarily closed", "closed": "inactive",
              "draft": "inactive", "review": "inactive"}
KIND_TAX_STATUS = {"government": "政府部门", "ngo": "社会组织", "donor": "爱心人士 / 企业捐助方",
                   "enterprise": "企业"}
BENEFIT = "benefit_per_person"


def uid(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)


def _attribute(service_id: str, taxonomy: str, code: str) -> dict:
    term_id = uid(f"term-{taxonomy}", code)
    return {
        "id": uid("attribute", f"{service_id}:{taxonomy}:{code}"),
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
            "taxonomy_id": uid("taxonomy", taxonomy),
            "taxonomy_detail": {
                "id": uid("taxonomy", taxonomy),
                "name": f"zhuanjie-{taxonomy}",
                "description": f"转介平台{TAXONOMY_NAMES[taxonomy]}代码",
            },
        },
    }


def organization_record(org: Organisation) -> dict:
    """One organisation as an HSDS 3.0 organization."""
    org_id = uid("organisation", org.id)
    if org.is_person:  # a private donor is a person: no name, no contact details
        return {"id": org_id, "name": PERSON_NAME, "description": "个人捐赠者",
                "tax_status": KIND_TAX_STATUS.get(org.kind, org.kind), "contacts": [],
                "phones": [], "organization_identifiers": [],
                EXTENSION: {"kind": org.kind, "service_area": None, "status": org.status,
                            "is_person": True}}
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
            "id": uid("org-identifier", org.id), "organization_id": org_id,
            "identifier_scheme": "CN-USCC", "identifier_type": "统一社会信用代码",
            "identifier": org.credit_code,
        })
    if org.contact_email:
        record["email"] = org.contact_email
    if org.contact_name:
        record["contacts"].append({"id": uid("org-contact", org.id), "organization_id": org_id,
                                   "name": org.contact_name})
    if org.contact_phone:
        record["phones"].append({"id": uid("org-phone", org.id), "organization_id": org_id,
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
    sid = o.source_id or uid("offer", o.id)   # an imported offer keeps its identity
    record: dict = {
        "id": sid,
        "organization_id": uid("organisation", org.id),
        "name": o.title,
        "description": o.description,
        "status": STATUS_OUT[o.status],
        "application_process": person_withheld(org).get("how_to_apply", o.how_to_apply),
        "eligibility_description": _eligibility_text(o, link["groups"]),
        "last_modified": o.updated_at.isoformat(),
        "service_areas": [
            {"id": uid("area", f"{o.id}:{p}"), "service_id": sid, "name": p,
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
        schedule = {"id": uid("schedule", o.id), "service_id": sid,
                    "description": "项目有效期"}
        if o.valid_from:
            schedule["valid_from"] = o.valid_from.isoformat()
        if o.valid_until:
            schedule["valid_to"] = o.valid_until.isoformat()
        record["schedules"].append(schedule)
    if o.amount_per_person is not None:
        record["cost_options"].append({
            "id": uid("cost", o.id), "service_id": sid, "option": BENEFIT, "currency": "CNY",
            "amount": _num(o.amount_per_person), "amount_description": "每人帮扶金额（元）",
        })
    if o.contact and not org.is_person:
        record["contacts"].append({"id": uid("contact", o.id), "service_id": sid,
                                   "name": o.contact})
    return record


def page(items: list[dict], total: int, number: int, per_page: int) -> dict:
    """An HSDS list response page around the given records."""
    shown = Page(number, per_page, total)
    return {"total_items": total, "total_pages": shown.pages, "page_number": number,
            "size": len(items), "first_page": not shown.has_prev,
            "last_page": not shown.has_next, "empty": total == 0, "contents": items}


# --- reading HSDS ------------------------------------------------------------------------------


def _codes_from_attributes(record: dict, taxonomy: str) -> list[str]:
    out = []
    for attr in record.get("attributes") or []:
        term = attr.get("taxonomy_term") or {}
        if term.get("taxonomy") == f"zhuanjie-{taxonomy}":
            out.append(term.get("code") or attr.get("value"))
    return out


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
        "coverage": [regions.path_for(a.get("name") or a.get("description") or "")
                     for a in record.get("service_areas") or []],
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


def source_id(record) -> str | None:
    """The HSDS id an offer is imported with (None when missing or unusable)."""
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) and 0 < len(rid) <= 100 else None


def records_from_file(payload) -> list[dict]:
    """Services from an HSDS file: a list response page, a bare list, or one service."""
    if isinstance(payload, dict) and isinstance(payload.get("contents"), list):
        return payload["contents"]
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise ValueError("文件内容不是 HSDS 服务列表")


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
