"""What came of the work, over a supervisor's region and a period: KPI tiles with the change
against the previous period, the charts' tables, fairness by group and township, where help
is not reaching, and supply gaps.

Every figure is a query over the caller's scope, so a 如皋 supervisor counts only 如皋's
rows: the overview, its charts and the rows behind a tile read the narrow copies
`insight_needs` / `insight_referrals` (insight/facts.py keeps them in step with every write)
through `visible_need_facts` / `visible_referral_facts`, which scope by region exactly as
`needs.visible_needs` and `referrals.visible_referrals` do (fairness too, joined to the
households for their groups); impact reports and supply gaps start from the features' own
`visible_*` queries. Figures are counted by the database (GROUP BY, COUNT … FILTER), not by
reading rows into Python.

Definitions (shown on the page too):
- the period's needs are the needs registered in it (a cohort); "met" is outcome 需求已满足
  as recorded by now; share met = met / (registered − withdrawn);
- days to first referral / to delivery: from a need's registration to its first referral sent /
  first help delivered, over the cohort's needs that have one (median);
- acceptance rate = accepted / answered, delivery rate = delivered / accepted, over the
  referrals sent in the period;
- satisfaction = visits recorded in the period that found the need met / visits that said.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Float, Integer, String, and_, case, cast, literal, or_, true, union_all
from sqlmodel import Session, func, select

import matching
from zhuanjie import audit, codes, regions
from zhuanjie.clock import add_months, local_text, local_time, today
from zhuanjie.config import get_settings
from zhuanjie.db import UTCDateTime, utc_now
from zhuanjie.donors import service as donors
from zhuanjie.errors import Forbidden, Invalid, NotFound
from zhuanjie.insight import export
from zhuanjie.insight.schemas import InsightPeriod, Overview, Table, Tile
from zhuanjie.matches.engine import engine_need, index_cache
from zhuanjie.models import (
    Consent,
    FollowUp,
    Household,
    InsightNeed,
    InsightReferral,
    Member,
    Need,
    NeedPublication,
    Organisation,
    Pledge,
    Referral,
    User,
)
from zhuanjie.needs import service as needs
from zhuanjie.pagination import Page, paginate
from zhuanjie.policy import ensure_role, region_scope
from zhuanjie.referrals import service as referrals

INSIGHT_ROLES = ("supervisor", "admin")
CITY = "南通市"
Z95 = 1.959963984540054
GAP_SAMPLE = 200  # open needs the engine is asked about for supply gaps (oldest first)
ROWS_SHOWN = 200
# Days a need of this category may stay open before it counts as "not reached" (settings
# `insight_expected_days` overrides any of them).
EXPECTED_DAYS: dict[str, int] = {
    "emergency": 7, "basic_living": 30, "medical": 30, "housing": 60, "education": 45,
    "employment": 60, "care": 30, "rehabilitation": 45, "psychological": 30, "legal": 30,
    "insurance": 45,
}  # fmt: skip
DERIVED_GROUPS = {"elderly": "老年人（60岁及以上）", "child": "儿童（未满18岁）"}
TIME_BUCKETS = ((7, "7天以内"), (14, "8–14天"), (30, "15–30天"), (60, "31–60天"),
                (90, "61–90天"), (None, "90天以上"))  # fmt: skip
AGE_BUCKETS = ((7, "7天以内"), (30, "8–30天"), (60, "31–60天"), (90, "61–90天"),
               (180, "91–180天"), (None, "180天以上"))  # fmt: skip
NO_OFFER = "没有该类别的在办项目"


def min_cases() -> int:
    return get_settings().insight_min_cases


def expected_days(category: str) -> int:
    overrides = get_settings().insight_expected_days
    return overrides.get(category, EXPECTED_DAYS.get(category, get_settings().stale_need_days))


# --- scope ---------------------------------------------------------------------------------


def scope_path(user: User) -> str:
    """The region the figures cover: the supervisor's, or the whole city for an admin."""
    ensure_role(user, *INSIGHT_ROLES)
    return user.region_path if user.role != "admin" and user.region_path else CITY


def _child(path: str, scope: str) -> str | None:
    """The region one level below `scope` that `path` lies in (None: the scope itself)."""
    depth = scope.count("/") + 2
    parts = path.split("/")
    return "/".join(parts[:depth]) if len(parts) >= depth else None


def breakdown_level(scope: str) -> str:
    return {0: "县（市、区）", 1: "镇（街道）"}.get(scope.count("/"), "")


def _days(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max((end - start).total_seconds(), 0) / 86400


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return local_time(start, 0), local_time(end + timedelta(days=1), 0)


# --- figures ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of k successes in n trials (None for n = 0)."""
    if n <= 0:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Figures:
    """The overview's numbers for one period and one set of rows."""

    registered: int = 0
    counted: int = 0
    met: int = 0
    days_to_referral: float | None = None
    referral_cases: int = 0
    days_to_delivery: float | None = None
    delivery_cases: int = 0
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    delivered: int = 0
    visits: int = 0
    satisfied: int = 0

    @property
    def share_met(self) -> float | None:
        return _share(self.met, self.counted)

    @property
    def acceptance(self) -> float | None:
        return _share(self.accepted, self.answered)

    @property
    def delivery_rate(self) -> float | None:
        return _share(self.delivered, self.accepted)

    @property
    def satisfaction(self) -> float | None:
        return _share(self.satisfied, self.visits)


def period_figures(session: Session, *, user: User, period: InsightPeriod) -> Figures:
    start, end = _bounds(period.start, period.end)
    return _figures(session, user, [(start, end)])[0][0]


# --- the overview's figures, counted by the database ------------------------------------------
# The tiles and the breakdown are GROUP BY queries with COUNT … FILTER; medians are
# percentile_cont on PostgreSQL and, on SQLite (which has none), a fetch of one column of
# days per group. Nothing reads a need or referral row into Python.


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _days_sql(session: Session, end, start):
    """Whole and fractional days from `start` to `end`, never negative (NULL if end is:
    PostgreSQL's greatest() would turn a NULL into 0)."""
    if _postgres(session):
        days = cast(func.extract("epoch", end - start), Float) / 86400.0
    else:
        days = func.julianday(end) - func.julianday(start)
    return case((end.is_(None), None), (days < 0, 0.0), else_=days)


def _child_key(scope: str | None, column):
    """The region one level below `scope` that `column` lies in (NULL for the scope itself);
    a constant when `scope` is None (one group: the whole scope)."""
    if scope is None:
        return literal(None, String)
    children = [n.path for n in regions.region_nodes() if n.parent == scope]
    if not children:
        return literal(None, String)
    return case(*[(or_(column == c, column.like(c + "/%")), c) for c in children], else_=None)


def _grouped(session: Session, sub, keys: list, counts: dict, medians: dict) -> dict:
    """{(key values): {name: value}} of `counts` (aggregates) and `medians` (expressions whose
    median is wanted) over `sub`, per group of `keys`: one query with percentile_cont on
    PostgreSQL; SQLite has none, so there the non-NULL values of each median are fetched and
    taken in Python."""
    out: dict = defaultdict(dict)
    pg = _postgres(session)
    cols = list(counts.values())
    if pg:
        cols += [func.percentile_cont(0.5).within_group(v) for v in medians.values()]
    names = list(counts) + (list(medians) if pg else [])
    width = len(keys)
    for row in session.execute(select(*keys, *cols).select_from(sub).group_by(*keys)):
        out[tuple(row[:width])].update(zip(names, row[width:], strict=True))
    if pg:
        return out
    for name, value in medians.items():
        seen: dict = defaultdict(list)
        for row in session.execute(
            select(*keys, value).select_from(sub).where(value.is_not(None))
        ):
            seen[tuple(row[:width])].append(row[width])
        for k in out:
            out[k][name] = statistics.median(seen[k]) if seen.get(k) else None
    return out


def visible_need_facts(user: User):
    """The overview's copy of needs (insight_needs) in the caller's scope."""
    ensure_role(user, *INSIGHT_ROLES)
    return select(InsightNeed).where(region_scope(user, InsightNeed.region_path))


def visible_referral_facts(user: User):
    """The overview's copy of referrals (insight_referrals, with their need's region)."""
    ensure_role(user, *INSIGHT_ROLES)
    return select(InsightReferral).where(region_scope(user, InsightReferral.region_path))


def _scoped_followups(user: User):
    """Follow-ups of needs in the caller's scope, as followups.visible_followups has them,
    without its join to needs: none at all for the whole city, else the scope's need ids
    from insight_needs (joining a month of visits to every need cost ~80 ms at 200,000)."""
    ensure_role(user, *INSIGHT_ROLES)
    if scope_path(user) == CITY and user.role == "admin":
        return select(FollowUp)
    return select(FollowUp).where(
        FollowUp.need_id.in_(visible_need_facts(user).with_only_columns(InsightNeed.need_id))
    )


def _figures(
    session: Session, user: User, windows: list[tuple[datetime, datetime]],
    scope: str | None = None,
) -> tuple[list[Figures], dict[str, Figures]]:
    """The figures of each window (registered in / sent in / recorded in it), and, with
    `scope`, those of the first window per region one level below it (no visits there).
    Five statements however many windows: needs per window, needs per child region,
    referrals per window and child (summed for the windows), visits per window."""
    totals = [Figures() for _ in windows]
    children: dict[str, Figures] = defaultdict(Figures)

    def which(column):
        return case(*[(and_(column >= lo, column < hi), i)
                      for i, (lo, hi) in enumerate(windows)], else_=None)  # fmt: skip

    spans = sorted(windows)
    joined = all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))

    def inside(column):
        """In one of the windows, as one range from the first start to the last end, which an
        index reads and whose rows PostgreSQL estimates right: the windows are a period and
        the one before it, so the range is their union (else they are checked on it too)."""
        span = and_(column >= spans[0][0], column < spans[-1][1])
        if joined:
            return span
        return and_(span, or_(*[and_(column >= lo, column < hi) for lo, hi in windows]))

    N = InsightNeed  # noqa: N806
    cohort = (
        visible_need_facts(user)
        .with_only_columns(which(N.created_at).label("p"),
                           _child_key(scope, N.region_path).label("k"), N.outcome,
                           N.created_at, N.first_sent_at, N.first_delivered_at)
        .where(inside(N.created_at))
        .subquery()
    )  # fmt: skip
    c = cohort.c
    counted = or_(c.outcome.is_(None), c.outcome != "withdrawn")
    need_counts = {
        "registered": func.count(), "counted": func.count().filter(counted),
        "met": func.count().filter(c.outcome == "met"),
        "referral_cases": func.count(c.first_sent_at),
        "delivery_cases": func.count(c.first_delivered_at),
    }  # fmt: skip
    need_medians = {
        "days_to_referral": _days_sql(session, c.first_sent_at, c.created_at),
        "days_to_delivery": _days_sql(session, c.first_delivered_at, c.created_at),
    }

    def fill(f: Figures, values: dict) -> None:
        for name, value in values.items():
            setattr(f, name, float(value) if name.startswith("days") and value is not None
                    else value)  # fmt: skip

    for (p,), values in _grouped(session, cohort, [c.p], need_counts, need_medians).items():
        fill(totals[p], values)
    if scope is not None:
        first = select(cohort).where(cohort.c.p == 0).subquery()
        f = first.c
        by_child = _grouped(session, first, [f.k], {
            "registered": func.count(),
            "counted": func.count().filter(or_(f.outcome.is_(None), f.outcome != "withdrawn")),
            "met": func.count().filter(f.outcome == "met"),
        }, {"days_to_delivery": _days_sql(session, f.first_delivered_at, f.created_at)})
        for (k,), values in by_child.items():
            if k is not None:
                fill(children[k], values)
    R = InsightReferral  # noqa: N806
    answered = R.responded_at.is_not(None)
    accepted = and_(answered, R.decline_reason.is_(None))
    # Grouped by the region itself (a hundred-odd groups, which PostgreSQL hashes), each
    # region then added to the child of `scope` it lies in, here: grouping by a CASE of the
    # children made PostgreSQL expect a group per row and sort 76,000 rows on disk.
    kids = {n.path for n in regions.region_nodes() if n.parent == scope} if scope else set()
    p = which(R.sent_at)
    for period, path, sent, n_answered, n_accepted, delivered in session.execute(
        visible_referral_facts(user)
        .with_only_columns(p, R.region_path, func.count(), func.count().filter(answered),
                           func.count().filter(accepted),
                           func.count().filter(and_(accepted, R.delivered_at.is_not(None))))
        .where(inside(R.sent_at))
        .group_by(p, R.region_path)
    ):  # fmt: skip
        child = _child(path, scope) if scope else None
        child = child if child in kids else None
        shares = [totals[period]] + ([children[child]] if period == 0 and child else [])
        for f in shares:
            f.sent += sent
            f.answered += n_answered
            f.accepted += n_accepted
            f.delivered += delivered
    p = which(FollowUp.done_at)
    for period, said, happy in session.execute(
        _scoped_followups(user)
        .with_only_columns(p, func.count(FollowUp.need_met),
                           func.count().filter(FollowUp.need_met.is_(True)))
        .where(FollowUp.status == "done", inside(FollowUp.done_at))
        .group_by(p)
    ):  # fmt: skip
        totals[period].visits, totals[period].satisfied = said, happy
    return totals, children


def overdue_count(session: Session, *, user: User) -> int:
    """Work past its time limit now, as the report page counts it: referrals unanswered past
    their deadline, accepted ones undelivered past their date, follow-ups past due."""
    now, day = utc_now(), today()
    R = InsightReferral  # noqa: N806
    unanswered = visible_referral_facts(user).where(R.status == "sent", R.respond_by_at < now)
    undelivered = visible_referral_facts(user).where(
        R.status.in_(("accepted", "in_service")), R.deliver_by_date < day
    )
    late_visits = _scoped_followups(user).where(
        FollowUp.status.in_(("scheduled", "missed")), FollowUp.due_date < day
    )
    counts = [select(func.count()).select_from(q.order_by(None).subquery()).scalar_subquery()
              for q in (unanswered, undelivered, late_visits)]  # fmt: skip
    return sum(session.execute(select(*counts)).one())


def overview(session: Session, *, user: User, period: InsightPeriod) -> Overview:
    """The KPI tiles (with the previous period's values) and the breakdown one level down."""
    scope = scope_path(user)
    start, end = _bounds(period.start, period.end)
    previous = period.previous()
    level = breakdown_level(scope)
    (now, before), by_child = _figures(
        session, user, [(start, end), _bounds(previous.start, previous.end)],
        scope if level else None,
    )
    q = period.query()

    def tile(key, label, value, previous, unit, cases):
        return Tile(key=key, label=label, value=value, previous=previous, unit=unit,
                    cases=cases, link=f"/insight/rows/{key}?{q}")

    tiles = [
        tile("registered", "登记需求", now.registered, before.registered, "", now.registered),
        tile("met", "已满足需求", now.met, before.met, "", now.counted),
        tile("share_met", "满足率", now.share_met, before.share_met, "%", now.counted),
        tile("days_to_referral", "登记到首次转介（中位）", now.days_to_referral,
             before.days_to_referral, "天", now.referral_cases),
        tile("days_to_delivery", "登记到送达（中位）", now.days_to_delivery,
             before.days_to_delivery, "天", now.delivery_cases),
        tile("acceptance", "转介接收率", now.acceptance, before.acceptance, "%", now.answered),
        tile("delivery_rate", "转介送达率", now.delivery_rate, before.delivery_rate, "%",
             now.accepted),
        tile("satisfaction", "回访满意率", now.satisfaction, before.satisfaction, "%", now.visits),
    ]  # fmt: skip
    overdue_now = overdue_count(session, user=user)
    tiles.append(Tile(key="overdue", label="当前超期事项", value=overdue_now, previous=None,
                      unit="", cases=overdue_now, link="/reports"))
    lines = []
    if level:
        children = [n.path for n in regions.region_nodes() if n.parent == scope]
        for path in children:
            f = by_child.get(path) or Figures()
            lines.append({
                "region": path.rsplit("/", 1)[-1],
                "path": path, "registered": f.registered, "met": f.met,
                "share_met": f.share_met, "days_to_delivery": f.days_to_delivery,
                "sent": f.sent, "acceptance": f.acceptance, "delivery_rate": f.delivery_rate,
            })  # fmt: skip
    return Overview(
        scope=regions.short_name(scope) or CITY, period=period.label, start=period.start,
        end=period.end, tiles=tiles, breakdown_level=breakdown_level(scope), breakdown=lines,
    )  # fmt: skip


# --- the rows behind a tile -------------------------------------------------------------------

ROW_KEYS = {
    "registered": "登记需求", "met": "已满足需求", "share_met": "计入满足率的需求",
    "days_to_referral": "已转介的需求", "days_to_delivery": "已送达的需求",
    "acceptance": "已答复的转介", "delivery_rate": "已接收的转介", "satisfaction": "已记录的回访",
}  # fmt: skip


def tile_rows(
    session: Session, *, user: User, key: str, period: InsightPeriod, page: Page | None = None
) -> Table:
    """One page (ROWS_SHOWN rows unless asked otherwise) of the rows a tile counts, without
    personal fields; the table says how many there are and which page it is."""
    scope_path(user)
    page = page or Page(1, ROWS_SHOWN)
    start, end = _bounds(period.start, period.end)
    title = ROW_KEYS[key]
    if key in ("acceptance", "delivery_rate"):
        R = InsightReferral  # noqa: N806
        picked = R.responded_at.is_not(None)
        if key == "delivery_rate":
            picked = and_(picked, R.decline_reason.is_(None))
        query = (visible_referral_facts(user)
                 .where(R.sent_at >= start, R.sent_at < end, picked).order_by(R.referral_id))
        found, total = paginate(session, query, offset=page.offset, limit=page.size)
        return _paged(Table(
            key=key, title=title, caption=f"{period.label}发送的转介中{title} {total} 条",
            columns=["转介编号", "需求编号", "地区", "发送日期", "是否接收", "是否送达"],
            rows=[[r.referral_id, r.need_id, regions.short_name(r.region_path), _day(r.sent_at),
                   "是" if r.responded_at and r.decline_reason is None else "否",
                   "是" if r.delivered_at else "否"] for r in found],
        ), page.of(total))  # fmt: skip
    if key == "satisfaction":
        query = (
            _scoped_followups(user)
            .where(FollowUp.status == "done", FollowUp.done_at >= start, FollowUp.done_at < end,
                   FollowUp.need_met.is_not(None))
            .order_by(FollowUp.id)
        )  # fmt: skip
        found, total = paginate(session, query, offset=page.offset, limit=page.size)
        return _paged(Table(
            key=key, title=title, caption=f"{period.label}记录的回访 {total} 次",
            columns=["需求编号", "转介编号", "需求是否满足"],
            rows=[[v.need_id, v.referral_id, "是" if v.need_met else "否"] for v in found],
        ), page.of(total))  # fmt: skip
    N = InsightNeed  # noqa: N806
    picked = {
        "registered": True,
        "met": N.outcome == "met",
        "share_met": or_(N.outcome.is_(None), N.outcome != "withdrawn"),
        "days_to_referral": N.first_sent_at.is_not(None),
        "days_to_delivery": N.first_delivered_at.is_not(None),
    }[key]
    query = (visible_need_facts(user)
             .where(N.created_at >= start, N.created_at < end, picked).order_by(N.need_id))
    found, total = paginate(session, query, offset=page.offset, limit=page.size)
    return _paged(Table(
        key=key, title=title, caption=f"{period.label}登记的需求中{title} {total} 条",
        columns=["需求编号", "地区", "类别", "登记日期", "状态", "结果", "到首次转介（天）",
                 "到送达（天）"],
        rows=[[r.need_id, regions.short_name(r.region_path),
               codes.CATEGORIES.get(r.category, r.category),
               _day(r.created_at), codes.NEED_STATUSES.get(r.status, r.status),
               codes.NEED_OUTCOMES.get(r.outcome, "") if r.outcome else "",
               _round(_days(r.created_at, r.first_sent_at)),
               _round(_days(r.created_at, r.first_delivered_at))]
              for r in found],
    ), page.of(total))  # fmt: skip


def _paged(table: Table, page: Page) -> Table:
    return table.model_copy(update={"total": page.total, "page": page.number, "size": page.size})


def _day(at: datetime | None) -> str:
    return local_text(at, "%Y-%m-%d")


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


# --- charts ---------------------------------------------------------------------------------------


def funnel(session: Session, *, user: User, period: InsightPeriod) -> Table:
    """Referrals sent in the period: answered, accepted, delivered, followed up."""
    scope_path(user)
    start, end = _bounds(period.start, period.end)
    R = InsightReferral  # noqa: N806
    answered = R.responded_at.is_not(None)
    accepted = and_(answered, R.decline_reason.is_(None))
    visited = (
        select(FollowUp.id)
        .where(FollowUp.referral_id == R.referral_id, FollowUp.status == "done")
        .exists()
    )
    counts = session.execute(
        visible_referral_facts(user)
        .with_only_columns(func.count(), func.count().filter(answered),
                           func.count().filter(accepted),
                           func.count().filter(and_(accepted, R.delivered_at.is_not(None))),
                           func.count().filter(visited))
        .where(R.sent_at >= start, R.sent_at < end)
    ).one()  # fmt: skip
    steps = list(zip(("已发送", "已答复", "已接收", "已送达", "已回访"), counts, strict=True))
    first = steps[0][1]
    return Table(
        key="funnel", title="转介漏斗",
        caption=f"{period.label}发送的转介：发送、答复、接收、送达、回访各有多少",
        columns=["环节", "转介数", "占发送（%）"],
        rows=[[name, n, _pct(_share(n, first))] for name, n in steps],
    )  # fmt: skip


def _per_window(session: Session, query, column, windows: list[tuple[datetime, datetime]]):
    """How many rows of `query` have `column` in each window: one query, COUNT … FILTER."""
    counts = [func.count().filter(and_(column >= lo, column < hi)) for lo, hi in windows]
    row = session.execute(
        query.with_only_columns(*counts)
        .where(column >= min(lo for lo, _ in windows), column < max(hi for _, hi in windows))
        .order_by(None)
    ).one()
    return list(row)


def monthly(session: Session, *, user: User, period: InsightPeriod) -> Table:
    """Needs registered, needs met and help delivered in each of the 12 months up to the end
    of the period (one query per figure, counting each month over an indexed instant)."""
    scope_path(user)
    last = period.end.replace(day=1)
    months = [add_months(last, -i) for i in range(11, -1, -1)]
    windows = [_bounds(m, add_months(m, 1) - timedelta(days=1)) for m in months]
    N, R = InsightNeed, InsightReferral  # noqa: N806
    registered = _per_window(session, visible_need_facts(user), N.created_at, windows)
    met = _per_window(session, visible_need_facts(user).where(N.outcome == "met"), N.closed_at,
                      windows)
    delivered = _per_window(session, visible_referral_facts(user), R.delivered_at, windows)
    return Table(
        key="monthly", title="每月需求与送达",
        caption=f"截至{period.end.year}年{period.end.month}月的12个月：每月登记的需求、满足的需求和送达的帮扶",
        columns=["月份", "登记需求", "满足需求", "送达帮扶"],
        rows=[[f"{m:%Y-%m}", registered[i], met[i], delivered[i]] for i, m in enumerate(months)],
    )  # fmt: skip


def _bucket(days: float, buckets) -> str:
    for limit, label in buckets:
        if limit is None or days <= limit:
            return label
    return buckets[-1][1]


def time_to_help(session: Session, *, user: User, period: InsightPeriod) -> Table:
    """How long the period's needs waited from registration to the first help delivered."""
    scope_path(user)
    start, end = _bounds(period.start, period.end)
    N = InsightNeed  # noqa: N806
    days = _days_sql(session, N.first_delivered_at, N.created_at)
    filters, lower = [], None
    for limit, _ in TIME_BUCKETS:
        above = days > lower if lower is not None else days.is_not(None)
        filters.append(and_(above, days <= limit) if limit is not None else above)
        lower = limit
    counts = session.execute(
        visible_need_facts(user)
        .with_only_columns(*[func.count().filter(f) for f in filters])
        .where(N.created_at >= start, N.created_at < end, N.first_delivered_at.is_not(None))
    ).one()  # fmt: skip
    return Table(
        key="time_to_help", title="帮扶用时分布",
        caption=f"{period.label}登记并已送达的需求，从登记到首次送达用了多少天",
        columns=["用时", "需求数"],
        rows=[[label, n] for (_, label), n in zip(TIME_BUCKETS, counts, strict=True)],
    )  # fmt: skip


def backlog(session: Session, *, user: User) -> Table:
    """Needs open today, by how long they have been waiting."""
    scope_path(user)
    now = utc_now()
    edges = [now - timedelta(days=limit) for limit, _ in AGE_BUCKETS[:-1]]
    windows = [(edges[0], now + timedelta(days=1))] + [
        (edges[i + 1], edges[i]) for i in range(len(edges) - 1)
    ] + [(datetime(1970, 1, 1, tzinfo=now.tzinfo), edges[-1])]
    counts = _per_window(session, visible_need_facts(user).where(InsightNeed.status != "closed"),
                         InsightNeed.created_at, windows)
    aged = {label: n for (_, label), n in zip(AGE_BUCKETS, counts, strict=True)}
    return Table(
        key="backlog", title="积压需求账龄",
        caption="目前尚未办结的需求，按已等待的天数分组",
        columns=["已等待", "需求数"], rows=[[label, aged[label]] for _, label in AGE_BUCKETS],
    )  # fmt: skip


def organisations(session: Session, *, user: User, period: InsightPeriod) -> Table:
    """What came of the period's referrals, per organisation (most referrals first)."""
    rows = performance(session, user=user, period=period).rows
    return Table(
        key="organisations", title="各机构转介成效",
        caption=f"{period.label}发送给各机构的转介：接收、拒绝、送达，以及答复用时",
        columns=["服务机构", "发送", "已答复", "接收", "拒绝", "送达", "接收率（%）",
                 "送达率（%）", "答复用时中位（小时）"],
        rows=[[r[0], r[1], r[2], r[3], r[10], r[4], r[5], r[6], r[7]] for r in rows],
    )  # fmt: skip


# --- fairness ----------------------------------------------------------------------------------


@dataclass
class FairLine:
    key: str
    label: str
    cases: int = 0
    met: int = 0
    days: float | None = None  # median days from registration to the first delivery

    def figures(self, region_share: float | None, least: int) -> dict:
        enough = self.cases >= least
        interval = wilson(self.met, self.cases) if enough else None
        share = _share(self.met, self.cases) if enough else None
        below = bool(
            enough and region_share is not None and interval and interval[1] < region_share
        )
        return {
            "key": self.key, "label": self.label, "cases": self.cases,
            "met": self.met if enough else None, "share_met": share,
            "low": interval[0] if interval else None, "high": interval[1] if interval else None,
            "median_days": self.days if enough else None,
            "enough": enough, "below": below,
        }  # fmt: skip


def _ymd(session: Session, column):
    """A date's (or a UTC instant's UTC date's) year * 10000 + month * 100 + day."""
    if _postgres(session):
        if isinstance(column.type, UTCDateTime):
            column = func.timezone("UTC", column)
        return cast(func.to_char(column, "YYYYMMDD"), Integer)
    return cast(func.strftime("%Y%m%d", column), Integer)


def _fair_cohort(session: Session, user: User, start: datetime, end: datetime, *,
                 people: bool):
    """The period's needs in scope (from the overview's copy, insight_needs, whose first
    delivery is already kept), withdrawn ones left out: township, outcome, days to the first
    delivery and (`people`) the household's groups and the beneficiary's derived age group at
    registration (elderly 60+, child under 18, else NULL)."""
    N = InsightNeed  # noqa: N806
    columns = [N.region_path, N.outcome,
               _days_sql(session, N.first_delivered_at, N.created_at).label("days")]
    if people:
        # Whole years of age as Python counts them: the YYYYMMDD difference, in ten thousands.
        age = _ymd(session, N.created_at) - _ymd(session, Member.birth_date)
        columns += [Household.groups, case((Member.birth_date.is_(None), None),
                                           (age >= 600000, "elderly"),
                                           (age < 180000, "child"), else_=None).label("derived")]
    query = (
        visible_need_facts(user).with_only_columns(*columns)
        .where(N.created_at >= start, N.created_at < end,
               or_(N.outcome.is_(None), N.outcome != "withdrawn"))
    )  # fmt: skip
    if people:
        query = (query.join(Need, Need.id == N.need_id)
                 .join(Household, Household.id == Need.household_id)
                 .join(Member, Member.id == Need.member_id, isouter=True))
    return query.subquery()


def _group_keyed(session: Session, cohort):
    """One row per need and group it counts in: each code of the household's groups, then
    the derived age group (UNION ALL: a code written twice counts twice, as it is listed)."""
    c = cohort.c
    if _postgres(session):
        codes_ = func.json_array_elements_text(c.groups).table_valued("value").lateral()
    else:
        codes_ = func.json_each(c.groups).table_valued("value")
    written = select(cast(codes_.c.value, String).label("k"), c.outcome, c.days).select_from(
        cohort).join(codes_, true())
    derived = select(c.derived.label("k"), c.outcome, c.days).where(c.derived.is_not(None))
    return union_all(written, derived).subquery()


def fairness(session: Session, *, user: User, period: InsightPeriod, by: str) -> list[dict]:
    """Share met (Wilson 95% interval) and median days to help, by group or by township, for
    the period's needs (withdrawn ones left out). The region's own line comes first; a line
    is flagged when its whole interval lies below the region's share; fewer cases than the
    threshold give no figures at all. Counted by the database: one GROUP BY for the region
    and one for the lines (medians as `_grouped` takes them)."""
    scope = scope_path(user)
    start, end = _bounds(period.start, period.end)
    cohort = _fair_cohort(session, user, start, end, people=by == "group")
    region = FairLine("all", f"{regions.short_name(scope) or CITY}（全部）")
    lines: dict[str, FairLine] = {}
    if by == "group":
        labels = {**codes.GROUPS, **DERIVED_GROUPS}
        lines = {k: FairLine(k, v) for k, v in labels.items()}
        keyed = _group_keyed(session, cohort)
    else:
        for node in regions.region_nodes():
            if node.level == 3 and regions.within(node.path, scope):
                lines[node.path] = FairLine(node.path, regions.short_name(node.path))
        keyed = select(cohort.c.region_path.label("k"), cohort.c.outcome,
                       cohort.c.days).subquery()

    def counted(sub, keys) -> dict:
        return _grouped(session, sub, keys,
                        {"cases": func.count(), "met": func.count().filter(sub.c.outcome == "met")},
                        {"days": sub.c.days})

    def fill(line: FairLine, values: dict) -> None:
        line.cases, line.met = int(values.get("cases") or 0), int(values.get("met") or 0)
        days = values.get("days")
        line.days = float(days) if days is not None else None

    fill(region, counted(cohort, []).get((), {}))
    for (key,), values in counted(keyed, [keyed.c.k]).items():
        if key in lines:
            fill(lines[key], values)
    least = min_cases()
    top = region.figures(None, least)
    share = _share(region.met, region.cases)
    rest = [line.figures(share, least) for line in lines.values() if line.cases]
    return [top] + sorted(rest, key=lambda f: (not f["below"], -f["cases"]))


def fairness_table(session: Session, *, user: User, period: InsightPeriod, by: str) -> Table:
    lines = fairness(session, user=user, period=period, by=by)
    least = min_cases()

    def verdict(f):
        if not f["enough"]:
            return "样本不足"
        return "明显偏低" if f["below"] else ""

    title = "按群体的满足情况" if by == "group" else "按镇（街道）的满足情况"
    return Table(
        key=f"fairness_{by}", title=title,
        caption=(f"{period.label}登记的需求（不含撤销）：满足率及其95%威尔逊区间、登记到送达的"
                 f"中位天数；不足 {least} 例的只报例数，标注“样本不足”"),
        columns=["群体" if by == "group" else "镇（街道）", "需求数", "已满足", "满足率（%）",
                 "区间下限（%）", "区间上限（%）", "送达用时中位（天）", "判断"],
        rows=[[f["label"], f["cases"], f["met"], _pct(f["share_met"]), _pct(f["low"]),
               _pct(f["high"]), _round(f["median_days"]), verdict(f)] for f in lines],
    )  # fmt: skip


# --- where help is not reaching --------------------------------------------------------------


def overdue_heat(session: Session, *, user: User) -> Table:
    """Needs open today past their category's expected days, by township × category."""
    scope_path(user)
    now = utc_now()
    cells: dict[str, Counter] = defaultdict(Counter)
    N = InsightNeed  # noqa: N806
    late = or_(*[and_(N.category == c, N.created_at < now - timedelta(days=expected_days(c)))
                 for c in codes.CATEGORIES])
    query = (
        visible_need_facts(user)
        .with_only_columns(N.region_path, N.category, func.count())
        .where(N.status != "closed", late)
        .group_by(N.region_path, N.category)
    )
    for path, category, n in session.execute(query).all():
        cells[path][category] += n
    categories = [c for c in codes.CATEGORIES if any(c in row for row in cells.values())]
    rows = sorted(cells.items(), key=lambda kv: -sum(kv[1].values()))
    return Table(
        key="overdue_heat", title="超出预期时间仍未办结的需求",
        caption="目前未办结、等待已超过该类别预期天数的需求，按镇（街道）和类别；颜色越深越多",
        columns=["镇（街道）"] + [codes.CATEGORIES[c] for c in categories] + ["合计"],
        rows=[[regions.short_name(path)] + [cats[c] for c in categories] + [sum(cats.values())]
              for path, cats in rows],
    )  # fmt: skip


def supply_gaps(session: Session, *, user: User) -> Table:
    """Open needs with no referral in progress for which the engine finds no admissible
    offer (the oldest GAP_SAMPLE asked), by category and county, with the most common
    reasons the nearest offers of the category are excluded."""
    scope_path(user)
    active = select(Referral.need_id).where(
        Referral.status.in_(("sent", "accepted", "in_service", "delivered"))
    )
    open_needs = session.exec(
        needs.visible_needs(user)
        .where(Need.status == "open", Need.id.not_in(active))
        .order_by(Need.created_at, Need.id)
        .limit(GAP_SAMPLE)
    ).all()
    index = index_cache.get(session)
    records = [engine_need(session, n) for n in open_needs]
    if records and index is not None and len(index):
        rankings = matching.rank(records, index, as_of=today(), top=1, n_jobs=1)
        live = index.live_offers()
    else:
        rankings = [matching.NeedRanking(need_id=r.id, ranked=[]) for r in records]
        live = []
    groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
    counts: Counter = Counter()
    for need, record, ranking in zip(open_needs, records, rankings, strict=True):
        if ranking.ranked:
            continue
        key = (need.category, "/".join(need.region_path.split("/")[:2]))
        counts[key] += 1
        same = [o for o in live if need.category in o.categories]
        found = matching.explain_exclusions(record, same, as_of=today()) if same else {}
        if not found:
            groups[key][NO_OFFER] += 1
            continue
        nearest = min(found.values(), key=len)
        for label in {e.label for e in nearest}:
            groups[key][label] += 1
    rows = sorted(counts.items(), key=lambda kv: -kv[1])
    return Table(
        key="supply_gaps", title="供给缺口",
        caption=(f"尚无转介在办、引擎找不到可匹配项目的待匹配需求（按登记先后最多检查 {GAP_SAMPLE} "
                 "条），按类别和县（市、区），以及最近的同类项目被排除的主要原因"),
        columns=["类别", "县（市、区）", "需求数", "主要原因"],
        rows=[[codes.CATEGORIES.get(cat, cat), regions.short_name(county), n,
               "；".join(f"{label}（{k}）" for label, k in groups[(cat, county)].most_common(3))]
              for (cat, county), n in rows],
    )  # fmt: skip


# --- everything at once -----------------------------------------------------------------------

CHARTS = ("funnel", "monthly", "time_to_help", "backlog", "organisations")


def chart(session: Session, *, user: User, name: str, period: InsightPeriod) -> Table:
    if name == "backlog":
        return backlog(session, user=user)
    return {"funnel": funnel, "monthly": monthly, "time_to_help": time_to_help,
            "organisations": organisations}[name](session, user=user, period=period)  # fmt: skip


def tiles_table(view: Overview) -> Table:
    def shown(value, unit):
        if value is None:
            return None
        return _pct(value) if unit == "%" else _round(value) if unit == "天" else value

    return Table(
        key="kpis", title="主要指标", caption=f"{view.scope} · {view.period}，与上一时段比较",
        columns=["指标", "本期", "上期", "单位", "依据例数"],
        rows=[[t.label, shown(t.value, t.unit), shown(t.previous, t.unit),
               {"%": "%", "天": "天"}.get(t.unit, "项"), t.cases] for t in view.tiles],
    )  # fmt: skip


def breakdown_table(view: Overview) -> Table:
    return Table(
        key="breakdown", title=f"分{view.breakdown_level}", caption=f"{view.period}各地区情况",
        columns=[view.breakdown_level or "地区", "登记需求", "已满足", "满足率（%）",
                 "送达用时中位（天）", "发送转介", "接收率（%）", "送达率（%）"],
        rows=[[b["region"], b["registered"], b["met"], _pct(b["share_met"]),
               _round(b["days_to_delivery"]), b["sent"], _pct(b["acceptance"]),
               _pct(b["delivery_rate"])] for b in view.breakdown],
    )  # fmt: skip


def all_tables(session: Session, *, user: User, period: InsightPeriod) -> list[Table]:
    """Every table of the overview, in page order (the monthly report workbook)."""
    view = overview(session, user=user, period=period)
    tables = [tiles_table(view)]
    if view.breakdown:
        tables.append(breakdown_table(view))
    tables += [chart(session, user=user, name=n, period=period) for n in CHARTS]
    tables += [fairness_table(session, user=user, period=period, by=b)
               for b in ("group", "township")]  # fmt: skip
    tables += [performance(session, user=user, period=period)]
    tables += [overdue_heat(session, user=user), supply_gaps(session, user=user)]
    return tables


TABLES = ("kpis", "breakdown", *CHARTS, "performance", "fairness_group", "fairness_township",
          "overdue_heat", "supply_gaps")  # fmt: skip


def one_table(session: Session, *, user: User, name: str, period: InsightPeriod) -> Table:
    if name in CHARTS:
        return chart(session, user=user, name=name, period=period)
    if name.startswith("fairness_"):
        return fairness_table(session, user=user, period=period, by=name.removeprefix("fairness_"))
    if name == "overdue_heat":
        return overdue_heat(session, user=user)
    if name == "performance":
        return performance(session, user=user, period=period)
    if name == "supply_gaps":
        return supply_gaps(session, user=user)
    view = overview(session, user=user, period=period)
    return tiles_table(view) if name == "kpis" else breakdown_table(view)


# --- region narrowing and exports ------------------------------------------------------------


def narrowed(user: User, region: str = "") -> User:
    """The user as they see a region inside their scope (the whole scope when `region` is
    empty): a transient copy, never saved, that the `visible_*` queries read."""
    scope = scope_path(user)
    region = (region or "").strip().strip("/")
    if not region or region == scope:
        return user
    if not regions.is_known(region):
        raise Invalid("未知的行政区划，请从列表中选择", field="region")
    if not regions.within(region, scope):
        raise Forbidden("该地区不在您的辖区范围内")
    return User(id=user.id, username=user.username, display_name=user.display_name,
                password_hash="", role="supervisor", region_path=region)  # fmt: skip


def region_choices(user: User) -> list[tuple[str, str]]:
    """(path, name) of the regions a user may narrow the figures to: their scope and below."""
    scope = scope_path(user)
    return [(n.path, regions.short_name(n.path) or n.name) for n in regions.region_nodes()
            if regions.within(n.path, scope) and n.level <= 3]  # fmt: skip


def export_workbook(
    session: Session, *, user: User, period: InsightPeriod, region: str = "", ip: str = ""
) -> bytes:
    """The monthly (or any period's) report workbook: every table, one sheet each; audited."""
    seen = narrowed(user, region)
    tables = all_tables(session, user=seen, period=period)
    data = export.workbook(tables, heading=f"{regions.short_name(scope_path(seen)) or CITY} "
                                          f"{period.label}")  # fmt: skip
    audit.record(session, user, "insight_exported", detail={
        "format": "xlsx", "tables": [t.key for t in tables], "start": str(period.start),
        "end": str(period.end), "region": scope_path(seen)}, ip=ip)  # fmt: skip
    session.commit()
    return data


def export_table(
    session: Session, *, user: User, name: str, period: InsightPeriod, region: str = "",
    fmt: str = "csv", ip: str = "",
) -> bytes:
    """One table as CSV or .xlsx; audited."""
    if name not in TABLES:
        raise NotFound("没有这张表")
    seen = narrowed(user, region)
    table = one_table(session, user=seen, name=name, period=period)
    data = (export.csv_text(table).encode("utf-8") if fmt == "csv"
            else export.workbook([table], heading=period.label))  # fmt: skip
    audit.record(session, user, "insight_exported", detail={
        "format": fmt, "tables": [name], "rows": len(table.rows), "start": str(period.start),
        "end": str(period.end), "region": scope_path(seen)}, ip=ip)  # fmt: skip
    session.commit()
    return data


def page_context(session: Session, *, user: User, seen: User, period: InsightPeriod) -> dict:
    """Everything the overview page shows, for `seen` (the user, possibly narrowed)."""
    view = overview(session, user=seen, period=period)
    return {
        "view": view,
        "period": period,
        "charts": [chart(session, user=seen, name=n, period=period) for n in CHARTS],
        "fair_groups": fairness_table(session, user=seen, period=period, by="group"),
        "fair_towns": fairness_table(session, user=seen, period=period, by="township"),
        "heat": overdue_heat(session, user=seen),
        "performance": performance(session, user=seen, period=period),
        "gaps": supply_gaps(session, user=seen),
        "breakdown": breakdown_table(view) if view.breakdown else None,
        "regions": region_choices(user),
        "region": scope_path(seen),
        "min_cases": min_cases(),
    }


# --- organisations' performance and an organisation's own impact ------------------------------


def _latest_visit(referral_id):
    """need_met of the referral's latest recorded follow-up (NULL: none recorded), as one
    indexed look-up per referral."""
    return (
        select(FollowUp.need_met)
        .where(FollowUp.referral_id == referral_id, FollowUp.status == "done",
               FollowUp.need_met.is_not(None))
        .order_by(FollowUp.done_at.desc(), FollowUp.id.desc())
        .limit(1)
        .scalar_subquery()
    )  # fmt: skip


def _json_codes(session: Session, column):
    """The elements of a JSON list of codes as a table to join (lateral on PostgreSQL)."""
    if _postgres(session):
        return func.json_array_elements_text(column).table_valued("value").lateral()
    return func.json_each(column).table_valued("value")


def performance(session: Session, *, user: User, period: InsightPeriod) -> Table:
    """Per organisation, the referrals sent to it in the period: acceptance, delivery, time to
    answer, follow-up satisfaction and declines by reason (most referrals first). Counted by
    the database over insight_referrals; each referral's latest recorded visit is one indexed
    look-up."""
    scope_path(user)
    start, end = _bounds(period.start, period.end)
    R = InsightReferral  # noqa: N806
    latest_visit = _latest_visit(R.referral_id)
    sent = (
        visible_referral_facts(user)
        .with_only_columns(R.organisation_id, R.decline_reason, R.sent_at, R.responded_at,
                           R.delivered_at, latest_visit.label("met"))
        .where(R.sent_at >= start, R.sent_at < end)
        .subquery()
    )  # fmt: skip
    c = sent.c
    c_answered = c.responded_at.is_not(None)
    c_accepted = and_(c_answered, c.decline_reason.is_(None))
    figures = _grouped(session, sent, [c.organisation_id], {
        "sent": func.count(), "answered": func.count().filter(c_answered),
        "accepted": func.count().filter(c_accepted),
        "delivered": func.count().filter(and_(c_accepted, c.delivered_at.is_not(None))),
        "visits": func.count(c.met), "satisfied": func.count().filter(c.met.is_(True)),
    }, {"hours": _days_sql(session, c.responded_at, c.sent_at) * 24})  # fmt: skip
    figures = {k[0]: f for k, f in figures.items()}
    reasons: dict[int, Counter] = defaultdict(Counter)
    for org_id, reason, n in session.execute(
        select(c.organisation_id, c.decline_reason, func.count())
        .where(c.decline_reason.is_not(None), c.responded_at.is_not(None))
        .group_by(c.organisation_id, c.decline_reason)
    ):  # fmt: skip
        reasons[org_id][reason] = n
    names = dict(session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(figures)))
    ).all()) if figures else {}  # fmt: skip
    rows, links = [], []
    for org_id, f in sorted(figures.items(), key=lambda kv: (-kv[1]["sent"], names.get(kv[0]))):
        links.append(f"/insight/organisations/{org_id}?{period.query()}")
        why = reasons[org_id]
        hours = None if f["hours"] is None else float(f["hours"])
        rows.append([
            names.get(org_id, ""), f["sent"], f["answered"], f["accepted"], f["delivered"],
            _pct(_share(f["accepted"], f["answered"])),
            _pct(_share(f["delivered"], f["accepted"])), _round(hours),
            _pct(_share(f["satisfied"], f["visits"])), f["visits"], sum(why.values()),
            "；".join(f"{codes.DECLINE_REASONS.get(k, k)} {n}" for k, n in
                     sorted(why.items(), key=lambda kv: (-kv[1], kv[0]))),
        ])  # fmt: skip
    return Table(
        key="performance", title="各机构表现",
        caption=f"{period.label}发送给各机构的转介：接收率、送达率、答复用时、回访满意率和拒绝原因",
        columns=["服务机构", "收到转介", "已答复", "接收", "送达", "接收率（%）", "送达率（%）",
                 "答复用时中位（小时）", "回访满意率（%）", "回访数", "拒绝", "拒绝原因"],
        rows=rows, links=links,
    )  # fmt: skip


IMPACT_ROLES = ("org_staff",)


def suppressed(counts: list[tuple[str, int]]) -> list[list]:
    """Rows of (label, count) for a report that leaves the platform (an organisation's
    funders, a donor): a count from 1 to below ZHUANJIE_INSIGHT_MIN_CASES is shown only as
    "少于 N", so no small group of families can be picked out; the order stays by size."""
    least = min_cases()
    return [[label, n if n == 0 or n >= least else f"少于{least}"] for label, n in counts]


def ensure_impact(user: User) -> None:
    ensure_role(user, *IMPACT_ROLES)


def impact(session: Session, *, user: User, period: InsightPeriod) -> list[Table]:
    """An organisation's own figures (its staff only): referrals received and answered, people
    helped by township and by group, amounts delivered, follow-up outcomes, month by month.
    Counts only: no names, numbers or addresses."""
    ensure_role(user, *IMPACT_ROLES)
    own = referrals.visible_referrals(user).join(Need, Need.id == Referral.need_id)
    return _impact_tables(session, own, period, suppress=True)


def organisation_report(
    session: Session, *, user: User, organisation_id: int, period: InsightPeriod
) -> tuple[str, list[Table]]:
    """One organisation's figures as a supervisor sees them (the organisations' performance
    table links here): the same tables as its own impact report, over the referrals of needs
    in the supervisor's scope only."""
    scope_path(user)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound("服务机构不存在")
    own = referrals.visible_referrals(user).where(Referral.organisation_id == organisation_id)
    return org.name, _impact_tables(session, own, period, suppress=False)


def _by_size(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count), largest first, then by label."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _impact_tables(session: Session, referrals_query, period: InsightPeriod, *,
                   suppress: bool) -> list[Table]:
    """The impact tables over `referrals_query` (a visible_referrals query joined to Need),
    counted by the database: one statement for the summary, one GROUP BY per breakdown, one
    for the twelve months."""
    start, end = _bounds(period.start, period.end)
    shown = suppressed if suppress else (lambda counts: [list(kv) for kv in counts])
    note = f"；不足 {min_cases()} 次的只写“少于”" if suppress else ""
    received = and_(Referral.sent_at >= start, Referral.sent_at < end)
    answered = and_(received, Referral.responded_at.is_not(None))
    accepted = and_(answered, Referral.decline_reason.is_(None))
    helped = and_(Referral.delivered_at >= start, Referral.delivered_at < end)
    visit = _latest_visit(Referral.id)
    (n_received, n_answered, n_accepted, n_helped, people, amount, visits,
     satisfied) = session.execute(
        referrals_query.with_only_columns(
            func.count().filter(received), func.count().filter(answered),
            func.count().filter(accepted), func.count().filter(helped),
            func.count(case((helped, Referral.need_id), else_=None).distinct()),
            func.coalesce(func.sum(Referral.delivery_amount).filter(helped), 0),
            func.count().filter(and_(helped, visit.is_not(None))),
            func.count().filter(and_(helped, visit.is_(True))),
        ).where(or_(received, helped)).order_by(None)
    ).one()  # fmt: skip
    summary = Table(
        key="impact_summary", title="本机构成效", caption=f"{period.label}本机构的转介与帮扶",
        columns=["指标", "数值"],
        rows=[["收到转介", n_received], ["已答复", n_answered], ["接收", n_accepted],
              ["接收率（%）", _pct(_share(n_accepted, n_answered))],
              ["送达帮扶（次）", n_helped], ["帮助的需求", people],
              ["送达金额（元）", round(float(amount), 2)],
              ["回访认为需求已满足", satisfied],
              ["回访认为需求未满足", visits - satisfied]],
    )  # fmt: skip
    delivered = (
        referrals_query.with_only_columns(Need.region_path, Need.category, Household.groups)
        .join(Household, Household.id == Need.household_id)
        .where(helped)
        .order_by(None)
        .subquery()
    )  # fmt: skip
    d = delivered.c
    towns: dict[str, int] = defaultdict(int)
    for path, n in session.execute(
            select(d.region_path, func.count()).group_by(d.region_path)):
        towns[regions.short_name(path)] += n
    cats: dict[str, int] = defaultdict(int)
    for category, n in session.execute(select(d.category, func.count()).group_by(d.category)):
        cats[codes.CATEGORIES.get(category, category)] += n
    code = _json_codes(session, d.groups)
    groups: dict[str, int] = defaultdict(int)
    for group, n in session.execute(
        select(cast(code.c.value, String), func.count()).select_from(delivered)
        .join(code, true()).group_by(cast(code.c.value, String))
    ):  # fmt: skip
        groups[codes.GROUPS.get(group, group)] += n
    last = period.end.replace(day=1)
    months = [add_months(last, -i) for i in range(11, -1, -1)]
    windows = [_bounds(m, add_months(m, 1) - timedelta(days=1)) for m in months]
    sent_in = [and_(Referral.sent_at >= lo, Referral.sent_at < hi) for lo, hi in windows]
    done_in = [and_(Referral.delivered_at >= lo, Referral.delivered_at < hi)
               for lo, hi in windows]  # fmt: skip
    monthly_row = session.execute(
        referrals_query.with_only_columns(
            *[func.count().filter(w) for w in sent_in],
            *[func.count().filter(w) for w in done_in],
            *[func.coalesce(func.sum(Referral.delivery_amount).filter(w), 0) for w in done_in],
        ).where(or_(*sent_in, *done_in)).order_by(None)
    ).one()  # fmt: skip
    n = len(months)
    per_month_sent, per_month_done = monthly_row[:n], monthly_row[n:2 * n]
    per_month_amount = [float(a) for a in monthly_row[2 * n:]]
    return [
        summary,
        Table(key="impact_towns", title="按镇（街道）",
              caption=f"送达帮扶的需求所在镇（街道）{note}",
              columns=["镇（街道）", "送达帮扶（次）"], rows=shown(_by_size(towns))),
        Table(key="impact_groups", title="按群体",
              caption=f"送达帮扶的家庭所属群体（一户可属多个群体）{note}",
              columns=["群体", "送达帮扶（次）"], rows=shown(_by_size(groups))),
        Table(key="impact_categories", title="按类别", caption=f"送达帮扶的需求类别{note}",
              columns=["类别", "送达帮扶（次）"], rows=shown(_by_size(cats))),
        Table(key="impact_monthly", title="每月", caption="截至本期末的12个月",
              columns=["月份", "收到转介", "送达帮扶", "送达金额（元）"],
              rows=[[f"{m:%Y-%m}", per_month_sent[i], per_month_done[i],
                     round(per_month_amount[i], 2)] for i, m in enumerate(months)]),
    ]  # fmt: skip


def organisation_name(session: Session, *, user: User) -> str:
    ensure_role(user, *IMPACT_ROLES)
    org = session.get(Organisation, user.organisation_id)
    return org.name if org else ""


def export_impact(session: Session, *, user: User, period: InsightPeriod, ip: str = "") -> bytes:
    """The organisation's impact report as a workbook; audited."""
    tables = impact(session, user=user, period=period)
    heading = f"{organisation_name(session, user=user)} {period.label}"
    data = export.workbook(tables, heading=heading)
    audit.record(session, user, "insight_exported", detail={
        "format": "xlsx", "tables": [t.key for t in tables], "start": str(period.start),
        "end": str(period.end), "organisation_id": user.organisation_id}, ip=ip)  # fmt: skip
    session.commit()
    return data


# --- a donor's impact ---------------------------------------------------------------------------


def ensure_donor(user: User) -> None:
    ensure_role(user, "donor")


def donor_impact(session: Session, *, user: User, period: InsightPeriod) -> list[Table]:
    """What the donor's pledges became (their own pledges only), and the city's public totals
    on the board, month by month. Follow-up outcomes are told only while the family's consent
    to publication stands; nothing personal is shown."""
    ensure_role(user, "donor")
    on = today()
    mine = session.execute(
        donors.visible_pledges(user)
        .with_only_columns(
            Pledge.id, Pledge.kind, Pledge.amount, Pledge.status, Pledge.delivered_at,
            NeedPublication.category, NeedPublication.region_path, NeedPublication.need_id,
            and_(Consent.revoked_at.is_(None), Consent.valid_until >= on),
        )
        .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
        .join(Consent, Consent.id == NeedPublication.consent_id)
        .order_by(Pledge.id)
    ).all()  # fmt: skip
    delivered = [p for p in mine if p[3] == "delivered"]
    consented = {p[7] for p in delivered if p[8]}
    outcomes = {}
    if consented:
        for need_id, met in session.execute(
            select(FollowUp.need_id, FollowUp.need_met)
            .where(FollowUp.status == "done", FollowUp.need_met.is_not(None),
                   FollowUp.need_id.in_(consented))
            .order_by(FollowUp.done_at)
        ).all():  # fmt: skip
            outcomes[need_id] = bool(met)
    given = sum((p[2] for p in delivered if p[2] is not None), start=0)
    statuses = Counter(codes.PLEDGE_STATUSES.get(p[3], p[3]) for p in mine)
    summary = Table(
        key="donor_summary", title="我的捐助成效", caption="您的全部认捐及其结果",
        columns=["指标", "数值"],
        rows=[["认捐（次）", len(mine)], ["已送达（次）", len(delivered)],
              ["已送达捐款（元）", float(given)],
              ["回访认为需求已满足", sum(outcomes.values())],
              ["回访认为需求未满足", len(outcomes) - sum(outcomes.values())]]
             + [[f"状态：{k}", n] for k, n in statuses.most_common()],
    )  # fmt: skip
    cats = Counter(codes.CATEGORIES.get(p[5], p[5]) for p in delivered)
    towns = Counter(regions.short_name(p[6]) for p in delivered)
    last = period.end.replace(day=1)
    months = [add_months(last, -i) for i in range(11, -1, -1)]
    windows = [_bounds(m, add_months(m, 1) - timedelta(days=1)) for m in months]
    published = _per_window(session, select(NeedPublication), NeedPublication.published_at,
                            windows)
    done = _per_window(session, select(NeedPublication).where(NeedPublication.status == "done"),
                       NeedPublication.published_at, windows)
    amounts = session.execute(
        select(*[func.coalesce(func.sum(Pledge.amount).filter(
            and_(Pledge.delivered_at >= lo, Pledge.delivered_at < hi)), 0)
            for lo, hi in windows])
        .where(Pledge.status == "delivered")
    ).one()  # fmt: skip
    return [
        summary,
        Table(key="donor_categories", title="按类别",
              caption=f"您已送达的捐助，按需求类别；不足 {min_cases()} 次的只写“少于”",
              columns=["类别", "已送达（次）"], rows=suppressed(cats.most_common())),
        Table(key="donor_towns", title="按地区",
              caption=f"您已送达的捐助，按地区；不足 {min_cases()} 次的只写“少于”",
              columns=["地区", "已送达（次）"], rows=suppressed(towns.most_common())),
        Table(key="public_monthly", title="全市公开求助",
              caption="求助信息平台上全市的公开数字，近12个月",
              columns=["月份", "发布求助", "其中已完成", "送达捐款（元）"],
              rows=[[f"{m:%Y-%m}", published[i], done[i], float(amounts[i])]
                    for i, m in enumerate(months)]),
    ]  # fmt: skip
