"""An organisation's impact report (its staff's /insight/impact and a supervisor's
/insight/organisations/{id}), counted by the database, on the demo city: every figure agrees
with a plain independent reading of the organisation's referrals (rows read and counted here
in Python, as the page once did)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from zhuanjie import codes, regions
from zhuanjie.clock import add_months, local_text, today
from zhuanjie.insight import service
from zhuanjie.insight.schemas import InsightPeriod
from zhuanjie.models import FollowUp, Household, Need, Organisation, Referral, User


def _expected(session, organisation_id: int, period: InsightPeriod, scope: str | None):
    start, end = service._bounds(period.start, period.end)
    rows = []
    for r in session.exec(select(Referral).where(Referral.organisation_id == organisation_id)):
        need = session.get(Need, r.need_id)
        if scope and not (need.region_path + "/").startswith(scope + "/"):
            continue
        rows.append((r, need, session.get(Household, need.household_id)))
    received = [r for r, _, _ in rows if start <= r.sent_at < end]
    answered = [r for r in received if r.responded_at is not None]
    accepted = [r for r in answered if r.decline_reason is None]
    helped = [(r, n, h) for r, n, h in rows if r.delivered_at and start <= r.delivered_at < end]
    latest = {}
    for r, _, _ in helped:
        visits = session.exec(select(FollowUp).where(
            FollowUp.referral_id == r.id, FollowUp.status == "done",
            FollowUp.need_met.is_not(None)).order_by(FollowUp.done_at, FollowUp.id)).all()
        if visits:
            latest[r.id] = bool(visits[-1].need_met)
    amount = sum(float(r.delivery_amount or 0) for r, _, _ in helped)
    summary = [len(received), len(answered), len(accepted), len(helped),
               len({r.need_id for r, _, _ in helped}), round(amount, 2),
               sum(latest.values()), len(latest) - sum(latest.values())]
    towns = Counter(regions.short_name(n.region_path) for _, n, _ in helped)
    groups = Counter(codes.GROUPS.get(g, g) for _, _, h in helped for g in h.groups)
    cats = Counter(codes.CATEGORIES.get(n.category, n.category) for _, n, _ in helped)
    last = period.end.replace(day=1)
    months = [f"{add_months(last, -i):%Y-%m}" for i in range(11, -1, -1)]

    def month(at):
        return local_text(at, "%Y-%m")

    sent = Counter(month(r.sent_at) for r, _, _ in rows)
    done = Counter(month(r.delivered_at) for r, _, _ in rows if r.delivered_at)
    paid = Counter()
    for r, _, _ in rows:
        if r.delivered_at:
            paid[month(r.delivered_at)] += float(r.delivery_amount or 0)
    monthly = [[m, sent[m], done[m], round(paid[m], 2)] for m in months]
    return summary, towns, groups, cats, monthly


def _check(tables, expected, suppress: bool) -> None:
    summary, towns, groups, cats, monthly = expected
    got = {t.key: t for t in tables}
    values = [r[1] for r in got["impact_summary"].rows]
    assert [values[i] for i in (0, 1, 2, 4, 5, 6, 7, 8)] == summary
    least = service.min_cases()
    for key, counts in (("impact_towns", towns), ("impact_groups", groups),
                        ("impact_categories", cats)):
        shown = dict(got[key].rows)
        assert shown == {k: (n if not suppress or n >= least else f"少于{least}")
                         for k, n in counts.items()}, key
        sizes = [counts[label] for label, _ in got[key].rows]
        assert sizes == sorted(sizes, reverse=True)  # largest first
    assert got["impact_monthly"].rows == monthly


@pytest.mark.parametrize("kind", ["year"])
def test_impact_tables_agree_with_the_referrals(demo_session, demo_client, kind):
    period = InsightPeriod(kind=kind, day=today() - timedelta(days=1))
    staff = demo_session.exec(select(User).where(User.username == "org_staff")).one()
    expected = _expected(demo_session, staff.organisation_id, period, None)
    assert expected[0][3] > 0  # the demo organisation delivered help in the period
    _check(service.impact(demo_session, user=staff, period=period), expected, suppress=True)

    supervisor = demo_session.exec(select(User).where(User.username == "supervisor_rugao")
                                   ).one()
    scope = service.scope_path(supervisor)
    busiest = Counter(demo_session.exec(select(Referral.organisation_id).join(
        Need, Need.id == Referral.need_id).where(Need.region_path.like(scope + "/%"))).all())
    for organisation_id, _ in busiest.most_common(3):
        name, tables = service.organisation_report(
            demo_session, user=supervisor, organisation_id=organisation_id, period=period)
        assert name == demo_session.get(Organisation, organisation_id).name
        _check(tables, _expected(demo_session, organisation_id, period, scope), suppress=False)

    # The pages render them.
    page = demo_client.sign_in("org_staff").get(f"/insight/organisation?kind={kind}")
    assert page.status_code == 200 and "本机构成效" in page.text
