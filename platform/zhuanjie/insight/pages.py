"""The data overview (数据概览): KPI tiles, charts with their tables, fairness, where help is
not reaching, and the exports."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.errors import NotFound
from zhuanjie.forms import attempt
from zhuanjie.insight import service
from zhuanjie.insight.schemas import PERIOD_KINDS, InsightPeriod
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _parse(user, kind: str, day: str, start: str, end: str, region: str):
    """The period and region asked for, the field errors, and the values to show again."""
    values = {"kind": kind or "month", "day": day, "start": start, "end": end, "region": region}
    typed = {k: v for k, v in values.items() if v and k != "region"}

    def both():
        period = InsightPeriod.model_validate(typed)
        staff = user.role in service.INSIGHT_ROLES
        return period, service.narrowed(user, region) if staff else user

    parsed, errors = attempt(both)
    if parsed is None:
        return InsightPeriod(), user, errors, values
    period, seen = parsed
    if not day and period.kind != "custom":
        values["day"] = str(period.day)
    return period, seen, errors, values


def _download(data: bytes, name: str, media_type: str) -> Response:
    plain = name.encode("ascii", "ignore").decode() or "export"
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/insight")
def overview(request: Request, session: SessionDep, user: CurrentUser, kind: str = "month",
             day: str = "", start: str = "", end: str = "", region: str = ""):
    service.scope_path(user)
    period, seen, errors, values = _parse(user, kind, day, start, end, region)
    context = service.page_context(session, user=user, seen=seen, period=period)
    return templates.TemplateResponse(
        request, "insight/overview.html",
        {**context, "user": user, "values": values, "errors": errors, "kinds": PERIOD_KINDS},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/insight/organisation")
def organisation(request: Request, session: SessionDep, user: CurrentUser, kind: str = "month",
                 day: str = "", start: str = "", end: str = ""):
    service.ensure_impact(user)
    period, _seen, errors, values = _parse(user, kind, day, start, end, "")
    return templates.TemplateResponse(
        request, "insight/organisation.html",
        {"user": user, "period": period, "values": values, "errors": errors, "kinds": PERIOD_KINDS,
         "name": service.organisation_name(session, user=user),
         "tables": service.impact(session, user=user, period=period)},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/insight/organisations/{organisation_id}")
def organisation_report(request: Request, session: SessionDep, user: CurrentUser,
                        organisation_id: PathId, kind: str = "month", day: str = "",
                        start: str = "", end: str = "", region: str = ""):
    service.scope_path(user)
    period, seen, errors, values = _parse(user, kind, day, start, end, region)
    name, tables = service.organisation_report(session, user=seen, organisation_id=organisation_id,
                                               period=period)
    return templates.TemplateResponse(
        request, "insight/organisation_report.html",
        {"user": user, "period": period, "values": values, "errors": errors, "kinds": PERIOD_KINDS,
         "name": name, "tables": tables, "organisation_id": organisation_id},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/insight/organisation/export.xlsx")
def organisation_export(request: Request, session: SessionDep, user: CurrentUser,
                        kind: str = "month", day: str = "", start: str = "", end: str = ""):
    service.ensure_impact(user)
    period, _seen, errors, _values = _parse(user, kind, day, start, end, "")
    if errors:
        return organisation(request, session, user, kind, day, start, end)
    data = service.export_impact(session, user=user, period=period, ip=client_ip(request))
    return _download(data, f"本机构成效-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx", XLSX)


@router.get("/insight/donor")
def donor(request: Request, session: SessionDep, user: CurrentUser, kind: str = "month",
          day: str = "", start: str = "", end: str = ""):
    service.ensure_donor(user)
    period, _seen, errors, values = _parse(user, kind, day, start, end, "")
    return templates.TemplateResponse(
        request, "insight/donor.html",
        {"user": user, "period": period, "tables": service.donor_impact(session, user=user,
                                                                         period=period)},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/insight/rows/{key}")
def rows(request: Request, session: SessionDep, user: CurrentUser, key: str,
         kind: str = "month", day: str = "", start: str = "", end: str = "", region: str = "",
         page: str = ""):
    service.scope_path(user)
    if key not in service.ROW_KEYS:
        raise NotFound("没有这项指标")
    period, seen, errors, values = _parse(user, kind, day, start, end, region)
    table = service.tile_rows(session, user=seen, key=key, period=period,
                              page=Page.requested(page, service.ROWS_SHOWN))
    shown = Page(table.page or 1, table.size or service.ROWS_SHOWN, table.total or 0)
    return templates.TemplateResponse(
        request, "insight/rows.html",
        {"user": user, "table": table, "period": period, "values": values, "errors": errors,
         "page": shown,
         "base": f"/insight/rows/{key}?{period.query()}&region={quote(values['region'])}&"},
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/insight/export.xlsx")
def export_workbook(request: Request, session: SessionDep, user: CurrentUser,
                    kind: str = "month", day: str = "", start: str = "", end: str = "",
                    region: str = ""):
    service.scope_path(user)
    period, _seen, errors, _values = _parse(user, kind, day, start, end, region)
    if errors:
        return overview(request, session, user, kind, day, start, end, region)
    data = service.export_workbook(session, user=user, period=period, region=region,
                                   ip=client_ip(request))
    return _download(data, f"数据概览-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx", XLSX)


@router.get("/insight/export/{name}.{fmt}")
def export_table(request: Request, session: SessionDep, user: CurrentUser, name: str, fmt: str,
                 kind: str = "month", day: str = "", start: str = "", end: str = "",
                 region: str = ""):
    service.scope_path(user)
    if name not in service.TABLES or fmt not in ("csv", "xlsx"):
        raise NotFound("没有这张表")
    period, _seen, errors, _values = _parse(user, kind, day, start, end, region)
    if errors:
        return overview(request, session, user, kind, day, start, end, region)
    data = service.export_table(session, user=user, name=name, period=period, region=region,
                                fmt=fmt, ip=client_ip(request))
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return _download(data, f"{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}", media)
