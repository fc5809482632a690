"""Fairness on the data overview, counted by the database, on the demo city: the figures by
group and by township agree with a plain independent reading of the needs (rows read and
counted here in Python, as the page once did), for the city and for a county, and the page
shows those numbers. Four needs with beneficiaries born on the edges of 60 and 18 years
(one on 29 February) check the derived age groups."""

from __future__ import annotations

import re
import statistics
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from zhuanjie import codes, regions
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.insight import service
from zhuanjie.insight.schemas import InsightPeriod
from zhuanjie.models import Household, Member, Need, Referral, User


def _edge_needs(session) -> None:
    """Registered today (UTC): born 60 years ago today, and a day later; 18 years ago today,
    and a day later; and a 29 February birthday."""
    now = utc_now().replace(microsecond=0)
    day = now.date()
    household = session.exec(select(Household).where(
        Household.region_path.like("南通市/如皋市/%")).order_by(Household.id)).first()

    def years_before(n: int) -> date:
        try:
            return day.replace(year=day.year - n)
        except ValueError:  # 29 February in a year without one
            return day.replace(year=day.year - n, day=28)

    births = [years_before(60), years_before(60) + timedelta(days=1), years_before(18),
              years_before(18) + timedelta(days=1), date(1964, 2, 29)]
    for i, birth in enumerate(births):
        member = Member(household_id=household.id, name=f"边界{i}", birth_date=birth)
        session.add(member)
        session.flush()
        session.add(Need(household_id=household.id, member_id=member.id,
                         region_path=household.region_path, category="medical",
                         title="年龄边界", created_at=now - timedelta(minutes=i),
                         outcome="met" if i % 2 else None,
                         status="closed" if i % 2 else "open"))
    session.commit()


def _expected(session, scope: str, start: datetime, end: datetime, by: str) -> dict:
    """{key: (cases, met, median days)} read row by row, independently of the service."""
    needs = session.exec(select(Need).where(Need.created_at >= start, Need.created_at < end))
    rows = [n for n in needs if (n.region_path == scope or n.region_path.startswith(scope + "/"))
            and n.outcome != "withdrawn"]
    out: dict[str, list] = {}
    for need in rows:
        delivered = [r.delivered_at for r in session.exec(
            select(Referral).where(Referral.need_id == need.id)) if r.delivered_at]
        days = (max((min(delivered) - need.created_at).total_seconds(), 0) / 86400
                if delivered else None)
        keys = ["all"]
        if by == "township":
            keys.append(need.region_path)
        else:
            keys += list(session.get(Household, need.household_id).groups)
            member = session.get(Member, need.member_id) if need.member_id else None
            if member is not None and member.birth_date is not None:
                made, born = need.created_at.date(), member.birth_date
                age = made.year - born.year - ((made.month, made.day) < (born.month, born.day))
                keys += ["elderly"] if age >= 60 else ["child"] if age < 18 else []
        for key in keys:
            out.setdefault(key, []).append((need.outcome == "met", days))
    return {k: (len(v), sum(m for m, _ in v),
                statistics.median([d for _, d in v if d is not None])
                if any(d is not None for _, d in v) else None)
            for k, v in out.items()}


@pytest.mark.parametrize("username", ["supervisor", "supervisor_rugao"])
def test_fairness_counted_in_sql_agrees_with_the_rows(demo_session, demo_client, username):
    _edge_needs(demo_session)
    user = demo_session.exec(select(User).where(User.username == username)).one()
    scope = service.scope_path(user)
    period = InsightPeriod(kind="year", day=today())
    start, end = service._bounds(period.start, period.end)
    least = service.min_cases()
    for by in ("group", "township"):
        expected = _expected(demo_session, scope, start, end, by)
        lines = service.fairness(demo_session, user=user, period=period, by=by)
        got = {f["key"]: f for f in lines}
        known = ({**codes.GROUPS, **service.DERIVED_GROUPS} if by == "group" else {
            n.path for n in regions.region_nodes() if n.level == 3
            and regions.within(n.path, scope)})
        assert set(got) == {"all"} | {k for k in expected if k in known}
        assert len(got) > 2  # the demo city has lines to compare
        for key, (cases, met, days) in expected.items():
            if key not in got:
                continue
            line = got[key]
            assert line["cases"] == cases, key
            if cases >= least:
                assert line["met"] == met, key
                assert line["share_met"] == pytest.approx(met / cases)
                low, high = service.wilson(met, cases)
                assert (line["low"], line["high"]) == (pytest.approx(low), pytest.approx(high))
                assert line["median_days"] == (None if days is None else pytest.approx(days))
            else:
                assert line["met"] is None and line["median_days"] is None
        share = expected["all"][1] / expected["all"][0]
        flagged = [f["key"] for f in lines[1:] if f["below"]]
        assert flagged == [k for k in flagged if got[k]["high"] < share]
        assert lines[0]["key"] == "all"
        assert [f["below"] for f in lines[1:]] == sorted(
            (f["below"] for f in lines[1:]), reverse=True)
    # The page prints the same numbers.
    client = demo_client.sign_in(username)
    page = client.get(f"/insight?kind=year&day={today()}")
    assert page.status_code == 200
    for by in ("group", "township"):
        table = service.fairness_table(demo_session, user=user, period=period, by=by)
        shown = page.text[page.text.index(f'id="fairness_{by}"'):]
        shown = shown[:shown.index("</table>")]
        cells = [re.findall(r"<td>([^<]*)</td>", r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>",
                                                                         shown, re.S)]
        printed = {c[0]: c[1] for c in cells if c}
        for row in table.rows:
            if by == "township" and row[-1] == "样本不足":
                continue  # listed under the table by name and count
            assert printed[str(row[0])] == str(row[1])
