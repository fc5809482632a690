"""The supervisor's report: overdue work and referral outcomes in their region, the export."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import select

from tests.zhuanjie.factories import HAIAN_TOWN, make_need, make_offer, make_org, make_user
from zhuanjie.clock import frozen, today
from zhuanjie.models import AuditEntry, FollowUp, Referral

NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # 12:00 in Nantong


def _referral(session, need, offer, sent_at, **fields):
    referral = Referral(
        need_id=need.id,
        offer_id=offer.id,
        organisation_id=offer.organisation_id,
        sent_at=sent_at,
        updated_at=sent_at,
        respond_by_at=sent_at + timedelta(days=3),
        **fields,
    )
    session.add(referral)
    session.commit()
    return referral


def _world(session):
    """A 如皋 supervisor; work in 如皋 (in scope) and in 海安 (out of scope)."""
    supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
    rugao = make_user(session, "caseworker")
    haian = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    red_cross = make_org(session, name="如皋市红十字会")
    charity = make_org(session, name="如皋市慈善总会")
    offer_a = make_offer(session, red_cross, title="大病医疗救助")
    offer_b = make_offer(session, charity, title="助学圆梦")
    return supervisor, rugao, haian, offer_a, offer_b


def test_overdue_work_in_scope_oldest_first(session, client, login):
    with frozen(NOW):
        supervisor, rugao, haian, offer_a, offer_b = _world(session)
        late = make_need(session, rugao, title="透析费用迟迟无人答复")
        later = make_need(session, rugao, title="助学申请超期两天")
        fresh = make_need(session, rugao, title="刚刚发出的转介")
        elsewhere = make_need(session, haian, title="海安的超期转介")
        undelivered = make_need(session, rugao, title="接收后迟迟未送达")
        visit = make_need(session, rugao, title="回访过期的家庭")
        marked = make_need(session, rugao, title="已被标记逾期的回访")
        visited = make_need(session, rugao, title="已按时回访的家庭")
        _referral(session, later, offer_b, NOW - timedelta(days=5))
        _referral(session, late, offer_a, NOW - timedelta(days=9))
        _referral(session, fresh, offer_a, NOW - timedelta(hours=2))
        _referral(session, elsewhere, offer_a, NOW - timedelta(days=9))
        _referral(
            session,
            undelivered,
            offer_a,
            NOW - timedelta(days=30),
            status="accepted",
            responded_at=NOW - timedelta(days=29),
            deliver_by_date=today() - timedelta(days=1),
        )
        session.add(FollowUp(need_id=visit.id, assignee_id=rugao.id,
                             due_date=today() - timedelta(days=3)))
        session.add(FollowUp(need_id=marked.id, due_date=today() - timedelta(days=10),
                             status="missed"))  # the nightly job marked it; still not done
        session.add(FollowUp(need_id=visited.id, due_date=today() - timedelta(days=3),
                             status="done", done_at=NOW))
        session.commit()

        login(supervisor.username)
        page = client.get("/reports")
    assert page.status_code == 200
    html = page.text
    unanswered = html[html.index('id="unanswered"'):html.index('id="undelivered"')]
    assert unanswered.index("透析费用迟迟无人答复") < unanswered.index("助学申请超期两天")
    assert "刚刚发出的转介" not in html and "海安的超期转介" not in html
    assert "如皋市红十字会" in unanswered and "6天" in unanswered  # 9 days ago, 3 to answer
    later_part = html[html.index('id="undelivered"'):]
    assert "接收后迟迟未送达" in later_part
    assert "回访过期的家庭" in later_part and rugao.display_name in later_part
    assert later_part.index("已被标记逾期的回访") < later_part.index("回访过期的家庭")
    assert "已逾期" in later_part and "未指派" in later_part
    assert "已按时回访的家庭" not in html
    figures = [int(x.split("<strong>")[1]) for x in html.split("</strong>")[:3]]
    assert figures == [2, 1, 2]


def test_outcomes_per_organisation_for_the_chosen_days(session, client, login):
    with frozen(NOW):
        supervisor, rugao, haian, offer_a, offer_b = _world(session)
        need = make_need(session, rugao)
        day = NOW - timedelta(days=10)
        _referral(session, need, offer_a, day, status="delivered", responded_at=day
                  + timedelta(hours=2), delivered_at=day + timedelta(days=2))
        _referral(session, need, offer_a, day, status="declined", responded_at=day
                  + timedelta(hours=6), decline_reason="full")
        _referral(session, need, offer_a, day)
        _referral(session, need, offer_b, day, status="accepted",
                  responded_at=day + timedelta(hours=1))
        _referral(session, need, offer_a, NOW - timedelta(days=60), status="delivered",
                  responded_at=NOW - timedelta(days=59), delivered_at=NOW - timedelta(days=50))
        _referral(session, make_need(session, haian), offer_a, day)

        login(supervisor.username)
        start, end = (today() - timedelta(days=20)).isoformat(), today().isoformat()
        html = client.get(f"/reports?start={start}&end={end}").text
    table = html[html.index('id="outcomes"'):]
    cells = [[c.split("</td>")[0].replace("<strong>", "").replace("</strong>", "")
              for c in row.split("<td>")[1:]] for row in table.split("<tr")[2:]]
    # 如皋市红十字会: 3 sent, 2 answered (1 accepted, 1 declined), 1 delivered, median 4 h
    assert cells[0] == ["如皋市红十字会", "3", "2", "1", "1", "50%", "1", "100%", "4.0 小时"]
    assert cells[1] == ["如皋市慈善总会", "1", "1", "1", "0", "100%", "0", "0%", "1.0 小时"]
    assert cells[2][:5] == ["合计", "4", "3", "2", "1"]
    assert f'value="{start}"' in html
    assert f"/reports/referrals.csv?start={start}&end={end}" in html


def test_export_is_csv_without_personal_fields_and_audited(session, client, login):
    with frozen(NOW):
        supervisor, rugao, haian, offer_a, offer_b = _world(session)
        need = make_need(session, rugao, title="尿毒症透析费用负担重")
        sent = NOW - timedelta(days=2)
        _referral(session, need, offer_a, sent, status="delivered", responded_at=sent
                  + timedelta(hours=3), delivered_at=NOW, delivery_date=today(),
                  delivery_amount=Decimal("3000"), score=0.8123)
        _referral(session, make_need(session, haian), offer_a, sent)
        login(supervisor.username)
        response = client.get(f"/reports/referrals.csv?start={today() - timedelta(days=7)}"
                              f"&end={today()}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel opens the Chinese correctly
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["转介编号", "发送时间", "地区"] and len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["发送时间"] == "2026-06-13 12:00" and row["答复时间"] == "2026-06-13 15:00"
    assert row["地区"] == "如皋市白蒲镇" and row["服务机构"] == "如皋市红十字会"
    assert row["状态"] == "已送达" and row["送达金额（元）"] == "3000.00"
    assert row["需求类别"] == "医疗救助" and row["匹配得分"] == "0.812"
    assert "王建国" not in body and "13912345678" not in body and "新华村" not in body
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "report_exported")).one()
    assert entry.actor_id == supervisor.id and entry.detail["rows"] == 1


def test_a_bad_period_is_shown_beside_the_field_and_kept(session, client, login):
    supervisor = make_user(session, "supervisor")
    login(supervisor.username)
    page = client.get("/reports?start=2026-06-10&end=2026-06-01")
    assert page.status_code == 422
    assert 'id="err-end">结束日期不能早于开始日期' in page.text
    assert 'value="2026-06-10"' in page.text and 'value="2026-06-01"' in page.text
    typo = client.get("/reports/referrals.csv?start=2026-13-01&end=2026-06-01")
    assert typo.status_code == 422 and 'id="err-start">日期格式应为' in typo.text
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "report_exported")).all() \
        == []


def test_only_supervisors_and_admins_see_reports(session, client, login):
    caseworker = make_user(session, "caseworker")
    login(caseworker.username)
    assert client.get("/reports").status_code == 403
    assert client.get("/reports/referrals.csv").status_code == 403
    assert "监管报表" not in client.get("/").text
    client.post("/logout")
    login(make_user(session, "admin").username)
    home = client.get("/")
    assert 'href="/reports"' in home.text
    report = client.get("/reports")
    assert report.status_code == 200  # by default the last 30 days
    assert f'value="{today() - timedelta(days=29)}"' in report.text
    assert f'value="{today()}"' in report.text
