"""The data overview's figures on a small hand-made city, with the values worked out by hand:
the KPI tiles and their previous period, the county breakdown, fairness with Wilson intervals
and the too-few-cases rule, the charts' tables, scope, and the exports read back."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.zhuanjie.factories import make_org, make_user
from zhuanjie.clock import frozen, local_time
from zhuanjie.config import get_settings
from zhuanjie.errors import Forbidden
from zhuanjie.insight import export, service
from zhuanjie.insight.schemas import InsightPeriod
from zhuanjie.models import AuditEntry, FollowUp, Household, Member, Need, Offer, Referral

RUGAO = "南通市/如皋市/白蒲镇"
HAIAN = "南通市/海安市/城东镇"
OCT = InsightPeriod(kind="month", day=date(2026, 10, 15))
NOW = local_time(date(2026, 11, 20), 12)


def _need(session, town, groups, *, created, outcome=None, birth=date(1980, 1, 1),
          category="medical"):
    household = Household(region_path=town, groups=groups)
    session.add(household)
    session.flush()
    member = Member(household_id=household.id, name="测试", birth_date=birth, is_head=True)
    session.add(member)
    session.flush()
    need = Need(household_id=household.id, member_id=member.id, region_path=town,
                category=category, title="测试需求", created_at=created,
                status="closed" if outcome else "open", outcome=outcome,
                closed_at=created + timedelta(days=25) if outcome else None)
    session.add(need)
    session.flush()
    return need


def _referral(session, need, offer, *, sent_after, delivered_after=None, declined=False):
    sent = need.created_at + timedelta(days=sent_after)
    referral = Referral(
        need_id=need.id, offer_id=offer.id, organisation_id=offer.organisation_id,
        status="declined" if declined else ("delivered" if delivered_after else "accepted"),
        sent_at=sent, responded_at=sent + timedelta(hours=5),
        decline_reason="full" if declined else None,
        delivered_at=need.created_at + timedelta(days=delivered_after) if delivered_after else None,
        delivery_amount=Decimal("500.00") if delivered_after else None,
    )
    session.add(referral)
    session.flush()
    return referral


@pytest.fixture
def city(session):
    """15 needs registered in October 2026 (12 in 如皋, 3 in 海安) and 2 in September."""
    org = make_org(session, name="如皋慈善会")
    offer = Offer(organisation_id=org.id, title="医疗救助", status="published")
    session.add(offer)
    session.flush()
    created = local_time(date(2026, 10, 3), 9)
    delivered = []
    for sent_after, delivered_after in [(1, 5), (2, 6), (2, 8), (3, 10), (4, 12), (10, 20)]:
        need = _need(session, RUGAO, ["dibao"], created=created, outcome="met")
        delivered.append(_referral(session, need, offer, sent_after=sent_after,
                                   delivered_after=delivered_after))
    unmet = _need(session, RUGAO, ["dibao"], created=created, outcome="unmet")
    _referral(session, unmet, offer, sent_after=2, declined=True)
    _need(session, RUGAO, ["dibao"], created=created, outcome="unmet")
    _need(session, RUGAO, ["dibao"], created=created, outcome="withdrawn")
    for _ in range(3):
        _need(session, RUGAO, ["dibao"], created=created)
    elder = _need(session, HAIAN, ["tekun"], created=created, outcome="met", birth=date(1950, 3, 1))
    delivered.append(_referral(session, elder, offer, sent_after=1, delivered_after=3))
    for _ in range(2):
        _need(session, HAIAN, ["tekun"], created=created, birth=date(1950, 3, 1))
    # Follow-ups recorded in October: 5 found the need met, 1 not, 1 did not say.
    for referral, met in zip(delivered, [True, True, True, True, False, None, True], strict=True):
        session.add(FollowUp(need_id=referral.need_id, referral_id=referral.id,
                             due_date=date(2026, 10, 28), status="done", need_met=met,
                             done_at=local_time(date(2026, 10, 28), 10)))
    september = local_time(date(2026, 9, 10), 9)
    _need(session, RUGAO, ["dibao"], created=september, outcome="met")
    _need(session, RUGAO, ["dibao"], created=september)
    session.commit()
    return org


def _tiles(view):
    return {t.key: t for t in view.tiles}


def test_city_tiles_are_the_hand_worked_values(session, city):
    admin = make_user(session, "admin")
    with frozen(NOW):
        tiles = _tiles(service.overview(session, user=admin, period=OCT))
    assert tiles["registered"].value == 15 and tiles["registered"].previous == 2
    assert tiles["met"].value == 7 and tiles["met"].previous == 1
    assert tiles["share_met"].value == pytest.approx(7 / 14)  # the withdrawn one left out
    assert tiles["share_met"].previous == pytest.approx(1 / 2)
    # first referral after 1,2,2,3,4,10 (如皋 met), 2 (declined), 1 (海安) days → median 2
    assert tiles["days_to_referral"].value == pytest.approx(2.0)
    assert tiles["days_to_referral"].cases == 8
    # delivered after 5,6,8,10,12,20 and 3 days → median 8
    assert tiles["days_to_delivery"].value == pytest.approx(8.0)
    assert tiles["acceptance"].value == pytest.approx(7 / 8)
    assert tiles["delivery_rate"].value == pytest.approx(1.0)
    assert tiles["satisfaction"].value == pytest.approx(5 / 6) and tiles["satisfaction"].cases == 6
    assert tiles["days_to_delivery"].previous is None  # nothing delivered in September
    assert tiles["registered"].link.startswith("/insight/rows/registered?kind=month&day=2026-10-15")


def test_city_sees_a_county_breakdown_and_rugao_only_rugao(session, city):
    admin = make_user(session, "admin")
    city_supervisor = make_user(session, "supervisor", region_path="南通市")
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    with frozen(NOW):
        view = service.overview(session, user=city_supervisor, period=OCT)
        lines = {b["region"]: b for b in view.breakdown}
        assert view.breakdown_level == "县（市、区）"
        assert lines["如皋市"]["registered"] == 12 and lines["海安市"]["registered"] == 3
        assert lines["如皋市"]["share_met"] == pytest.approx(6 / 11)
        assert lines["海安市"]["met"] == 1
        assert service.overview(session, user=admin, period=OCT).tiles[0].value == 15

        mine = service.overview(session, user=rugao, period=OCT)
        tiles = _tiles(mine)
        assert mine.scope == "如皋市" and mine.breakdown_level == "镇（街道）"
        assert tiles["registered"].value == 12
        assert tiles["share_met"].value == pytest.approx(6 / 11)
        assert tiles["days_to_delivery"].value == pytest.approx(9.0)  # (8 + 10) / 2
        assert tiles["acceptance"].value == pytest.approx(6 / 7)
        assert {b["region"] for b in mine.breakdown if b["registered"]} == {"白蒲镇"}
        # Asking for 海安 is refused; narrowing a city view to 海安 shows 海安 only.
        with pytest.raises(Forbidden):
            service.narrowed(rugao, "南通市/海安市")
        haian = service.narrowed(city_supervisor, "南通市/海安市")
        assert _tiles(service.overview(session, user=haian, period=OCT))["registered"].value == 3


@pytest.mark.parametrize("role", ["caseworker", "org_staff", "donor"])
def test_other_roles_are_refused(session, city, role):
    user = make_user(session, role)
    with pytest.raises(Forbidden):
        service.overview(session, user=user, period=OCT)
    with pytest.raises(Forbidden):
        service.export_workbook(session, user=user, period=OCT)


def test_wilson_interval():
    low, high = service.wilson(1, 10)
    assert (round(low, 4), round(high, 4)) == (0.0179, 0.4042)
    low, high = service.wilson(18, 20)
    assert (round(low, 4), round(high, 4)) == (0.699, 0.9721)
    assert service.wilson(0, 0) is None
    assert service.wilson(0, 10)[0] == 0.0


def test_fairness_by_group_says_nothing_below_the_threshold(session, city):
    admin = make_user(session, "admin")
    assert get_settings().insight_min_cases == 10
    with frozen(NOW):
        lines = {f["key"]: f for f in service.fairness(session, user=admin, period=OCT, by="group")}
    region = lines["all"]
    assert (region["cases"], region["met"]) == (14, 7)
    assert (round(region["low"], 4), round(region["high"], 4)) == (0.268, 0.732)
    dibao = lines["dibao"]
    assert (dibao["cases"], dibao["met"]) == (11, 6)
    assert (round(dibao["low"], 4), round(dibao["high"], 4)) == (0.2801, 0.7873)
    assert dibao["median_days"] == pytest.approx(9.0) and not dibao["below"]
    for few in ("tekun", "elderly"):  # the three 海安 needs: counted, but no figures
        assert lines[few]["cases"] == 3 and not lines[few]["enough"]
        assert lines[few]["share_met"] is None and lines[few]["low"] is None
        assert lines[few]["met"] is None and lines[few]["median_days"] is None
    with frozen(NOW):
        table = service.fairness_table(session, user=admin, period=OCT, by="group")
    tekun = next(r for r in table.rows if r[0] == "特困人员")
    assert tekun[1] == 3 and tekun[-1] == "样本不足" and tekun[3] is None


def test_a_township_well_below_the_region_is_flagged(session):
    created = local_time(date(2026, 10, 5), 9)
    for i in range(20):
        _need(session, RUGAO, [], created=created, outcome="met" if i < 18 else "unmet")
    for i in range(10):
        _need(session, "南通市/如皋市/丁堰镇", [], created=created,
              outcome="met" if i < 1 else "unmet")
    session.commit()
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    with frozen(NOW):
        lines = {f["key"]: f for f in service.fairness(session, user=rugao, period=OCT,
                                                        by="township")}
    assert lines["all"]["share_met"] == pytest.approx(19 / 30)
    dingyan = lines["南通市/如皋市/丁堰镇"]
    assert dingyan["below"] and round(dingyan["high"], 4) == 0.4042  # below 0.633
    assert not lines[RUGAO]["below"]
    assert list(lines)[1] == "南通市/如皋市/丁堰镇"  # flagged lines come first


def test_chart_tables(session, city):
    admin = make_user(session, "admin")
    with frozen(NOW):
        funnel = service.funnel(session, user=admin, period=OCT)
        monthly = service.monthly(session, user=admin, period=OCT)
        waited = service.time_to_help(session, user=admin, period=OCT)
        backlog = service.backlog(session, user=admin)
        orgs = service.organisations(session, user=admin, period=OCT)
        heat = service.overdue_heat(session, user=admin)
    assert [r[:2] for r in funnel.rows] == [["已发送", 8], ["已答复", 8], ["已接收", 7],
                                            ["已送达", 7], ["已回访", 7]]
    assert funnel.rows[2][2] == 87.5
    months = {r[0]: r[1:] for r in monthly.rows}
    assert len(monthly.rows) == 12 and monthly.rows[-1][0] == "2026-10"
    # met counts by the month a need was closed: September's met need closed on 5 October
    assert months["2026-10"] == [15, 8, 7] and months["2026-09"] == [2, 0, 0]
    assert dict(waited.rows) == {"7天以内": 3, "8–14天": 3, "15–30天": 1, "31–60天": 0,
                                 "61–90天": 0, "90天以上": 0}
    # open: 3 + 2 registered 3 Oct (48 days by 20 Nov), 1 registered 10 Sep (71 days)
    assert dict(backlog.rows)["31–60天"] == 5 and dict(backlog.rows)["61–90天"] == 1
    assert orgs.rows[0][:6] == ["如皋慈善会", 8, 8, 7, 1, 7]
    # medical needs are expected within 30 days: all 6 open ones are past it
    assert {r[0]: r[-1] for r in heat.rows} == {"如皋市白蒲镇": 4, "海安市城东镇": 2}


def test_tile_rows_and_no_personal_fields(session, city):
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    with frozen(NOW):
        table = service.tile_rows(session, user=rugao, key="met", period=OCT)
    assert len(table.rows) == 6 and "姓名" not in table.columns
    assert {r[1] for r in table.rows} == {"如皋市白蒲镇"}


def test_workbook_reads_back_with_numbers_and_an_audit_row(session, city):
    supervisor = make_user(session, "supervisor", region_path="南通市")
    with frozen(NOW):
        data = service.export_workbook(session, user=supervisor, period=OCT, ip="10.0.0.1")
    book = load_workbook(io.BytesIO(data))
    assert "主要指标" in book.sheetnames and "转介漏斗" in book.sheetnames
    assert "分县（市、区）" in book.sheetnames
    kpis = book["主要指标"]
    assert [c.value for c in kpis[3]] == ["指标", "本期", "上期", "单位", "依据例数"]
    assert kpis["A3"].font.bold
    assert [c.value for c in kpis[4]] == ["登记需求", 15, 2, "项", 15]
    assert kpis["A6"].value == "满足率" and kpis["B6"].value == 50  # a number, in per cent
    assert kpis["B6"].data_type == "n"
    funnel = book["转介漏斗"]
    assert funnel["B4"].value == 8 and isinstance(funnel["B4"].value, int)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "insight_exported")).one()
    assert entry.actor_id == supervisor.id and entry.detail["format"] == "xlsx"
    assert entry.detail["region"] == "南通市" and entry.ip == "10.0.0.1"


def test_csv_export_and_formula_neutralising(session, city):
    admin = make_user(session, "admin")
    with frozen(NOW):
        data = service.export_table(session, user=admin, name="funnel", period=OCT, fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["环节", "转介数", "占发送（%）"] and rows[1] == ["已发送", "8", "100.0"]
    assert export.safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export.safe("-5") == "'-5" and export.safe("@x") == "'@x"
    assert export.safe("\tx") == "'\tx" and export.safe(-5) == -5
    assert export.safe("如皋") == "如皋"


def test_organisations_performance(session, city):
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    with frozen(NOW):
        table = service.performance(session, user=rugao, period=OCT)
    (line,) = table.rows
    # 如皋: 7 referrals, all answered after 5 hours, 6 accepted and delivered, 1 declined
    # (名额已满); visits said met 4 times, not met once (one did not say)
    assert line == ["如皋慈善会", 7, 7, 6, 6, 85.7, 100.0, 5.0, 80.0, 5, 1, "名额已满 1"]


def test_an_organisation_sees_its_own_impact_only(session, city):
    staff = make_user(session, "org_staff", organisation_id=city.id)
    other = make_user(session, "org_staff")
    with frozen(NOW):
        summary, towns, groups, categories, months = service.impact(session, user=staff,
                                                                    period=OCT)
        nothing = service.impact(session, user=other, period=OCT)[0]
    figures = dict(summary.rows)
    assert figures["收到转介"] == 8 and figures["接收"] == 7 and figures["接收率（%）"] == 87.5
    assert figures["送达帮扶（次）"] == 7 and figures["送达金额（元）"] == 3500.0
    assert figures["回访认为需求已满足"] == 5 and figures["回访认为需求未满足"] == 1
    # below ZHUANJIE_INSIGHT_MIN_CASES (10) a breakdown says only "fewer than 10"
    assert dict(towns.rows) == {"如皋市白蒲镇": "少于10", "海安市城东镇": "少于10"}
    assert dict(groups.rows) == {"低保对象": "少于10", "特困人员": "少于10"}
    assert dict(categories.rows) == {"医疗救助": "少于10"}
    assert months.rows[-1] == ["2026-10", 8, 7, 3500.0]
    assert dict(nothing.rows)["收到转介"] == 0
    for role in ("supervisor", "caseworker", "donor"):
        with pytest.raises(Forbidden):
            service.impact(session, user=make_user(session, role), period=OCT)
    with frozen(NOW):
        book = load_workbook(io.BytesIO(service.export_impact(session, user=staff, period=OCT)))
    assert book.sheetnames[0] == "本机构成效" and book["本机构成效"]["B4"].value == 8


def _publication(session, need, *, revoked=False):
    from zhuanjie.models import Consent, NeedPublication

    consent = Consent(household_id=need.household_id, member_id=need.member_id,
                      purpose="publication", valid_until=date(2027, 12, 31),
                      revoked_at=local_time(date(2026, 10, 20), 9) if revoked else None)
    session.add(consent)
    session.flush()
    pub = NeedPublication(need_id=need.id, consent_id=consent.id, title="求助", story="",
                          region_path=need.region_path, category=need.category,
                          published_at=local_time(date(2026, 10, 4), 9))
    session.add(pub)
    session.flush()
    return pub


def test_a_donor_sees_their_own_pledges_and_outcomes_only_where_consented(session, city):
    from zhuanjie.models import Pledge

    donor, other = make_user(session, "donor"), make_user(session, "donor")
    needs = session.exec(select(Need).where(Need.outcome == "met").order_by(Need.id)).all()
    shown, hidden = _publication(session, needs[0]), _publication(session, needs[1], revoked=True)
    at = local_time(date(2026, 10, 12), 9)
    for pub, who, amount, status in [(shown, donor, "300", "delivered"),
                                     (shown, donor, "200", "delivered"),
                                     (shown, donor, "80", "pending"),
                                     (hidden, donor, "100", "delivered"),
                                     (shown, other, "50", "delivered")]:
        session.add(Pledge(publication_id=pub.id, donor_id=who.id, kind="money",
                           amount=Decimal(amount), status=status,
                           delivered_at=at if status == "delivered" else None))
    session.commit()
    with frozen(NOW):
        summary, categories, towns, public = service.donor_impact(session, user=donor,
                                                                  period=OCT)
    figures = dict(summary.rows)
    assert figures["认捐（次）"] == 4 and figures["已送达（次）"] == 3
    assert figures["已送达捐款（元）"] == 600.0
    # needs[0]'s visit found it met; needs[1]'s visit (also met) is not told: consent revoked
    assert figures["回访认为需求已满足"] == 1 and figures["回访认为需求未满足"] == 0
    assert dict(categories.rows) == {"医疗救助": "少于10"}
    assert public.rows[-1] == ["2026-10", 2, 0, 650.0]  # the board's totals, every donor
    for role in ("supervisor", "caseworker", "org_staff"):
        with pytest.raises(Forbidden):
            service.donor_impact(session, user=make_user(session, role), period=OCT)
