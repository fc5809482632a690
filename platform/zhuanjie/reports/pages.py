"""The supervisor's report page (overdue work, outcomes) and its CSV export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zhuanjie.db import SessionDep, utc_now
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.forms import attempt
from zhuanjie.policy import ensure_role
from zhuanjie.reports import service
from zhuanjie.reports.service import REPORT_ROLES, ReportPeriod
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


def _period(start: str, end: str) -> tuple[ReportPeriod | None, dict[str, str], dict[str, str]]:
    """The period typed in the filter (default: the last 30 days), its errors, the values."""
    if not start and not end:
        period = ReportPeriod.default()
        return period, {}, {"start": str(period.start), "end": str(period.end)}
    values = {"start": start, "end": end}
    period, errors = attempt(lambda: ReportPeriod.model_validate(values))
    return period, errors, values


@router.get("/reports")
def report(
    request: Request, session: SessionDep, user: CurrentUser, start: str = "", end: str = ""
):
    ensure_role(user, *REPORT_ROLES)
    period, errors, values = _period(start, end)
    total, lines = service.outcomes(session, user=user, period=period) if period else (None, [])
    return templates.TemplateResponse(
        request,
        "reports/index.html",
        {
            "user": user,
            "overdue": service.overdue(session, user=user),
            "limit": service.OVERDUE_SHOWN,
            "total": total,
            "lines": lines,
            "values": values,
            "errors": errors,
            "now": utc_now(),
        },
        status_code=422 if errors else 200,
    )


@router.get("/reports/referrals.csv")
def export(
    request: Request, session: SessionDep, user: CurrentUser, start: str = "", end: str = ""
):
    ensure_role(user, *REPORT_ROLES)
    period, errors, _ = _period(start, end)
    if errors:
        return report(request, session, user, start, end)
    name = f"referrals-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    return Response(
        service.export_csv(session, user=user, period=period, ip=client_ip(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
