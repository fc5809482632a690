"""The period a figure covers, and the JSON shapes of the insight API."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, model_validator

from zhuanjie.clock import add_months, today
from zhuanjie.errors import Invalid

PERIOD_KINDS: dict[str, str] = {
    "month": "按月", "quarter": "按季度", "year": "按年", "custom": "自定义",
}  # fmt: skip
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_CUSTOM_DAYS = 3 * 366


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


class InsightPeriod(BaseModel):
    """Local calendar days (Asia/Shanghai), both included: a month, quarter or year holding
    `day`, or the custom days from `start` to `end`."""

    kind: Literal["month", "quarter", "year", "custom"] = "month"
    day: date | None = None
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _resolve(self) -> InsightPeriod:
        if self.kind == "custom":
            if self.start is None:
                raise Invalid("请填写开始日期", field="start")
            if self.end is None:
                raise Invalid("请填写结束日期", field="end")
            if self.end < self.start:
                raise Invalid("结束日期不能早于开始日期", field="end")
            if (self.end - self.start).days >= MAX_CUSTOM_DAYS:
                raise Invalid("自定义时段最长三年", field="end")
            for name in ("start", "end"):
                if not EARLIEST <= getattr(self, name) <= LATEST:
                    raise Invalid("日期应在 2000 年至 2100 年之间", field=name)
            return self
        day = self.day or today()
        if not EARLIEST <= day <= LATEST:
            raise Invalid("日期应在 2000 年至 2100 年之间", field="day")
        self.day = day
        if self.kind == "month":
            self.start = day.replace(day=1)
            self.end = add_months(self.start, 1) - timedelta(days=1)
        elif self.kind == "quarter":
            self.start = _quarter_start(day)
            self.end = add_months(self.start, 3) - timedelta(days=1)
        else:
            self.start = date(day.year, 1, 1)
            self.end = date(day.year, 12, 31)
        return self

    def previous(self) -> InsightPeriod:
        """The period just before: the month, quarter or year before, or as many days."""
        if self.kind == "custom":
            days = (self.end - self.start).days + 1
            return InsightPeriod(kind="custom", start=self.start - timedelta(days=days),
                                 end=self.start - timedelta(days=1))
        return InsightPeriod(kind=self.kind, day=self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == "year":
            return f"{self.start.year}年"
        return f"{self.start} 至 {self.end}"

    def query(self) -> str:
        """The URL query naming this period."""
        if self.kind == "custom":
            return f"kind=custom&start={self.start}&end={self.end}"
        return f"kind={self.kind}&day={self.day}"


class Tile(BaseModel):
    key: str
    label: str
    value: float | None
    previous: float | None
    unit: str  # "" count, "%" share (0..1), "天" days
    cases: int  # how many rows the figure rests on
    link: str


class Overview(BaseModel):
    scope: str
    period: str
    start: date
    end: date
    tiles: list[Tile]
    breakdown_level: str  # 县（市、区） or 镇（街道）
    breakdown: list[dict]


class Table(BaseModel):
    """One chart's or figure's table: Chinese column names and rows of plain values."""

    key: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    # Where a row's first cell leads (the organisations' performance: each one's own page).
    links: list[str | None] | None = None
    # Set on a paged table (the rows behind a tile): all its rows, this page, rows per page.
    total: int | None = None
    page: int | None = None
    size: int | None = None
