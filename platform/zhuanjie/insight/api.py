"""The insight figures as JSON under /api/v1/insight (supervisors and admins)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.insight import service
from zhuanjie.insight.schemas import InsightPeriod, Overview, Table
from zhuanjie.pagination import Page, page_query

router = APIRouter(prefix="/insight", tags=["insight"])

Region = Annotated[str, Query(max_length=120, description="a region inside the caller's scope")]
Chart = Literal["funnel", "monthly", "time_to_help", "backlog", "organisations"]
RowKey = Literal["registered", "met", "share_met", "days_to_referral", "days_to_delivery",
                 "acceptance", "delivery_rate", "satisfaction"]


def period_of(
    kind: Literal["month", "quarter", "year", "custom"] = "month",
    day: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> InsightPeriod:
    """The period: the month/quarter/year holding `day` (default today), or custom days."""
    return InsightPeriod(kind=kind, day=day, start=start, end=end)


PeriodDep = Annotated[InsightPeriod, Depends(period_of)]
RowsPage = Annotated[Page, page_query(size=service.ROWS_SHOWN, max_size=service.ROWS_SHOWN)]


@router.get("/overview", response_model=Overview)
def overview(session: SessionDep, user: CurrentUser, period: PeriodDep, region: Region = ""):
    """KPI tiles with the previous period's values, and the breakdown one level down."""
    return service.overview(session, user=service.narrowed(user, region), period=period)


@router.get("/charts/{name}", response_model=Table)
def chart(session: SessionDep, user: CurrentUser, name: Chart, period: PeriodDep,
          region: Region = ""):
    """One chart's data as a table (funnel, monthly, time_to_help, backlog, organisations)."""
    return service.chart(session, user=service.narrowed(user, region), name=name, period=period)


@router.get("/fairness/{by}", response_model=Table)
def fairness(session: SessionDep, user: CurrentUser, by: Literal["group", "township"],
             period: PeriodDep, region: Region = ""):
    """Share met with Wilson 95% intervals and median days to help, by group or township."""
    return service.fairness_table(session, user=service.narrowed(user, region), period=period,
                                  by=by)


@router.get("/overdue", response_model=Table)
def overdue(session: SessionDep, user: CurrentUser, region: Region = ""):
    """Open needs past their category's expected days, by township × category."""
    return service.overdue_heat(session, user=service.narrowed(user, region))


@router.get("/supply-gaps", response_model=Table)
def supply_gaps(session: SessionDep, user: CurrentUser, region: Region = ""):
    """Open needs the engine finds no admissible offer for, by category and county."""
    return service.supply_gaps(session, user=service.narrowed(user, region))


@router.get("/rows/{key}", response_model=Table)
def rows(session: SessionDep, user: CurrentUser, key: RowKey, period: PeriodDep,
         page: RowsPage, region: Region = ""):
    """The rows behind a KPI tile (no personal fields), a page at a time (`total` says how
    many there are)."""
    return service.tile_rows(session, user=service.narrowed(user, region), key=key, period=period,
                             page=page)


@router.get("/organisation", response_model=list[Table])
def organisation(session: SessionDep, user: CurrentUser, period: PeriodDep):
    """An organisation's own impact (its staff only): counts, amounts, month by month."""
    return service.impact(session, user=user, period=period)


@router.get("/donor", response_model=list[Table])
def donor(session: SessionDep, user: CurrentUser, period: PeriodDep):
    """A donor's own pledges and what they became, and the city's public board totals."""
    return service.donor_impact(session, user=user, period=period)
