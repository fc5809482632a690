"""HTML pages for offers: an organisation's own list and forms, the directory, an offer's page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from zhuanjie import codes, pagecache, regions
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.errors import NotFound
from zhuanjie.forms import FormDataDep, FormDep, attempt, field_errors
from zhuanjie.offers import directory, service
from zhuanjie.offers.schemas import DirectoryQuery, OfferCreate
from zhuanjie.organisations import service as organisations
from zhuanjie.pagination import Page
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)

MULTI = ("categories", "coverage", "groups")
OPTIONAL = ("age_min", "age_max", "income_ceiling", "capacity", "amount_per_person",
            "budget_total", "valid_from", "valid_until")
RULE_FLAGS = ("government_first", "requires_local_registration")
DIRECTORY_SIZE = 20
FIELD_LABELS = {
    "created": "新建", "status": "状态", "note": "说明", "title": "项目名称",
    "description": "项目简介", "categories": "服务类别", "coverage": "覆盖区域",
    "groups": "服务对象", "age_min": "最小年龄", "age_max": "最大年龄",
    "income_ceiling": "收入上限", "capacity": "名额", "amount_per_person": "每人金额",
    "budget_total": "总预算", "mode": "帮扶方式", "valid_from": "开始日期",
    "valid_until": "结束日期", "how_to_apply": "申请方式", "contact": "联系方式",
    "is_programme": "常设政策", "rules": "政策规则", "imported": "从 HSDS 导入",
    "sheet_row": "批量导入行号",
}
VOCABULARIES = {"status": codes.OFFER_STATUSES, "categories": codes.CATEGORIES,
                "groups": codes.GROUPS, "mode": codes.OFFER_MODES}


def _shown(key: str, value) -> str:
    """One old or new value of a revision, as a person reads it."""
    if value is None or value == [] or value == "":
        return "—"
    if key == "coverage":
        return "、".join("南通市全市" if p == "南通市" else regions.short_name(p) for p in value)
    if key in VOCABULARIES:
        table = VOCABULARIES[key]
        items = value if isinstance(value, list) else [value]
        return "、".join(table.get(v, str(v)) for v in items)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return str(value)


def history_rows(history) -> list[dict]:
    """Revisions with Chinese field names and values."""
    return [
        {"at": r.at, "actor_name": r.actor_name,
         "changes": [(FIELD_LABELS.get(k, k), _shown(k, v[0]), _shown(k, v[1]))
                     for k, v in r.changes.items()]}
        for r in history
    ]


def region_tree() -> list[tuple[regions.RegionNode, list[regions.RegionNode]]]:
    """Counties with their townships, for the coverage picker and the region filter."""
    return [(c, regions.townships(c.path)) for c in regions.counties()]


def parse_offer_form(form) -> tuple[dict, dict]:
    """(values to re-render the form, data for OfferCreate) from a submitted offer form."""
    values = {k: str(v) for k, v in form.items() if k not in MULTI}
    for key in MULTI:
        values[key] = [str(v) for v in form.getlist(key)]
    data = {k: v for k, v in values.items() if not k.startswith("rules_")}
    for key in OPTIONAL:
        data[key] = values.get(key) or None
    data["is_programme"] = "is_programme" in values
    rules = {flag: f"rules_{flag}" in values for flag in RULE_FLAGS}
    rules["basis"] = values.get("rules_basis", "")
    rules["income_line_monthly"] = values.get("rules_income_line_monthly") or None
    data["rules"] = rules
    return values, data


def form_errors_for(errors: dict) -> dict:
    """Schema field names to form field names (rules.basis -> rules_basis)."""
    return {k.split(".")[0] if k.split(".")[0] in MULTI else k.replace(".", "_"): v
            for k, v in errors.items()}


def _values_from_offer(session, offer) -> dict:
    current = service.offer_input(session, offer)
    values = {k: ("" if v is None else str(v)) for k, v in current.items()
              if k not in MULTI and k != "rules"}
    values.update({k: current[k] for k in MULTI})
    if current["is_programme"]:
        values["is_programme"] = "on"
    else:
        values.pop("is_programme", None)
    for key, value in (current["rules"] or {}).items():
        if key in RULE_FLAGS:
            if value:
                values[f"rules_{key}"] = "on"
        elif value is not None:
            values[f"rules_{key}"] = str(value)
    return values


def _form(request, session, user, values, errors, offer=None, status=200):
    org = organisations.own_organisation(session, actor=user)
    return templates.TemplateResponse(
        request,
        "offers/form.html",
        {"user": user, "values": values, "errors": errors, "offer": offer,
         "organisation": org, "tree": region_tree(),
         "known": {n.path for n in regions.region_nodes()}},
        status_code=status,
    )


@router.get("/offers")
def my_offers(
    request: Request, session: SessionDep, user: CurrentUser, status: str = "", page: str = "1"
):
    shown = Page.requested(page)
    rows, total = service.my_offers(session, actor=user, status=status,
                                    offset=shown.offset, limit=shown.size)
    return templates.TemplateResponse(
        request,
        "offers/mine.html",
        {"user": user, "rows": service.offers_public(session, rows), "status": status,
         "page": shown.of(total),
         "organisation": organisations.own_organisation(session, actor=user)},
    )


@router.get("/offers/new")
def new_offer(request: Request, session: SessionDep, user: CurrentUser):
    ensure_role(user, "org_staff")
    return _form(request, session, user, {"mode": "service", **{k: [] for k in MULTI}}, {})


@router.post("/offers/new")
def create_offer(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    ensure_role(user, "org_staff")
    values, data = parse_offer_form(form)
    offer, errors = attempt(
        lambda: service.create_offer(session, actor=user, data=OfferCreate.model_validate(data))
    )
    if errors:
        return _form(request, session, user, values, form_errors_for(errors), status=400)
    return RedirectResponse(f"/offers/{offer.id}", status_code=303)


@router.get("/offers/{offer_id}")
def offer_page(offer_id: PathId, request: Request, session: SessionDep, user: OptionalUser):
    view = service.offer_view(session, actor=user, offer_id=offer_id)
    return templates.TemplateResponse(
        request,
        "offers/detail.html",
        {"user": user, "o": view.offer, "own": view.own, "history": history_rows(view.history),
         "actions": view.actions},
    )


@router.get("/offers/{offer_id}/edit")
def edit_offer(offer_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    offer = service.own_offer(session, user, offer_id)
    return _form(request, session, user, _values_from_offer(session, offer), {}, offer)


@router.post("/offers/{offer_id}/edit")
def save_offer(
    offer_id: PathId, request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep
):
    offer = service.own_offer(session, user, offer_id)
    values, data = parse_offer_form(form)
    _saved, errors = attempt(
        lambda: service.update_offer(session, actor=user, offer_id=offer.id,
                                     data=OfferCreate.model_validate(data))
    )
    if errors:
        return _form(request, session, user, values, form_errors_for(errors), offer, 400)
    return RedirectResponse(f"/offers/{offer.id}", status_code=303)


@router.post("/offers/{offer_id}/{action}")
def offer_action(
    offer_id: PathId, action: str, session: SessionDep, user: CurrentUser, values: FormDep
):
    if action not in ("publish", "pause", "close"):
        raise NotFound("未知的操作")
    note = values.get("note", "")[:500]
    service.change_status(session, actor=user, offer_id=offer_id, action=action, note=note)
    return RedirectResponse(f"/offers/{offer_id}", status_code=303)


pagecache.cache_route("/directory", "offers", "organisations", "regions", "model")


@router.get("/directory")
def directory_page(request: Request, session: SessionDep, user: OptionalUser, page: str = "1"):
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    params["only_open"] = params.get("only_open") in ("1", "on", "true")
    try:
        query = DirectoryQuery.model_validate(params)
        errors = {}
    except ValidationError as exc:
        query, errors = DirectoryQuery(), field_errors(exc)
    shown = Page.requested(page, DIRECTORY_SIZE)
    rows, total = directory.search(session, user=user, query=query,
                                   offset=shown.offset, limit=shown.size)
    kept = [(k, v) for k, v in request.query_params.items() if k != "page" and v]
    base = "/directory?" + (urlencode(kept) + "&" if kept else "")
    return templates.TemplateResponse(
        request,
        "directory/index.html",
        {"user": user, "rows": rows, "values": dict(request.query_params), "errors": errors,
         "page": shown.of(total), "base": base,
         "tree": region_tree(), "terms": directory.terms(query.q)},
    )
