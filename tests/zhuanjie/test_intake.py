"""Referrals between departments and monitoring alerts, through HTTP: a department sends, the
township's caseworker (not another county's) gets the work with a deadline, acts, and the
sender sees the outcome and nothing more than it sent."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import func, select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    RUGAO_TOWN,
    make_household,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie import tasks
from zhuanjie.clock import frozen
from zhuanjie.db import utc_now
from zhuanjie.models import Household, Intake, Member, Need, Notification, Task


@pytest.fixture
def world(session):
    office = make_org(session, kind="government", department="poverty",
                      service_area="南通市/如皋市", name="如皋市乡村振兴局")
    sender = make_user(session, "org_staff", organisation_id=office.id)
    worker = make_user(session, "caseworker", region_path=RUGAO_TOWN)
    other_town = make_user(session, "caseworker", region_path="南通市/如皋市/如城街道")
    haian = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
    return {"office": office, "sender": sender, "worker": worker, "other_town": other_town,
            "haian": haian, "supervisor": supervisor}


def _told(session, user, kind):
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)).one()


REFERRAL = {"name": "朱桂兰", "region_path": "白蒲镇", "village": "顾庄社区",
            "reason": "因病返贫风险高，转介申请低保", "situation": "户主患慢性肾病，无劳动能力。",
            "income_per_capita": "520", "category": "basic_living", "urgency": 2}


def test_a_department_referral_becomes_the_townships_work_and_comes_back_with_its_outcome(
        session, client, login, world):
    number = valid_id()
    login(world["sender"])
    sent = client.post("/api/v1/intakes", json=REFERRAL | {"id_number": number})
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert body["status"] == "received" and body["region_path"] == RUGAO_TOWN
    assert number not in sent.text and body["id_number_masked"].endswith(number[-4:])
    intake = session.get(Intake, body["id"])
    assert intake.id_number_enc and number not in intake.id_number_enc  # encrypted at rest
    # the answer deadline (紧急: 48 hours) and its reminder and escalation are scheduled
    assert intake.respond_by_at - intake.received_at == timedelta(hours=48)
    kinds = {t.kind for t in session.exec(select(Task).where(
        Task.object_type == "intake", Task.object_id == intake.id))}
    assert kinds == {"intake_remind", "intake_overdue"}
    # the township's caseworker is told and has it in the queue; nobody elsewhere
    assert _told(session, world["worker"], "intake_received") == 1
    assert _told(session, world["other_town"], "intake_received") == 0
    assert _told(session, world["haian"], "intake_received") == 0
    login(world["haian"])
    assert client.get(f"/api/v1/intakes/{intake.id}").status_code == 403
    assert client.get("/api/v1/intakes").json()["counts"]["received"] == 0
    login(world["other_town"])
    assert client.get(f"/intakes/{intake.id}").status_code == 403
    login(world["worker"])
    queue = client.get("/intakes")
    assert queue.status_code == 200 and "朱桂兰" in queue.text and "待受理（1）" in queue.text
    page = client.get(f"/intakes/{intake.id}")
    assert "登记家庭" in page.text and 'value="顾庄社区"' in page.text  # prefilled
    # accepting without the household's registration names the field
    refused = client.post(f"/api/v1/intakes/{intake.id}/accept", json={
        "category": "basic_living", "title": "低保申请", "description": "评估低保"})
    assert refused.status_code == 422 and "household" in refused.text
    accepted = client.post(f"/intakes/{intake.id}/accept", data={
        "register": "1", "village": "顾庄社区", "address": "顾庄社区3组12号",
        "phone": "13812345678", "income_per_capita": "520", "groups": "low_income",
        "category": "basic_living", "title": "低保申请", "description": "户主患慢性肾病",
        "urgency": "2"}, follow_redirects=False)
    assert accepted.status_code == 303, accepted.text
    session.expire_all()
    intake = session.get(Intake, intake.id)
    household = session.get(Household, intake.household_id)
    need = session.get(Need, intake.need_id)
    assert intake.status == "accepted" and household.region_path == RUGAO_TOWN
    head = session.exec(select(Member).where(Member.household_id == household.id)).one()
    assert head.name == "朱桂兰" and head.id_last4 == number[-4:] and need.member_id == head.id
    assert session.exec(select(func.count()).select_from(Task).where(
        Task.object_type == "intake", Task.done_at.is_(None))).one() == 0  # clocks stopped
    assert _told(session, world["sender"], "intake_answered") == 1
    closed = client.post(f"/api/v1/intakes/{intake.id}/close",
                         json={"outcome": "assisted", "note": "已纳入低保"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    # the sender sees status and outcome, never the household or need it became
    login(world["sender"])
    seen = client.get(f"/api/v1/intakes/{intake.id}").json()
    assert seen["status"] == "closed" and seen["outcome"] == "assisted"
    assert seen["need_status"] == "open" and seen["household_id"] is None
    assert seen["need_id"] is None
    page = client.get(f"/intakes/{intake.id}")
    assert "已纳入社会救助" in page.text and "/households/" not in page.text
    assert "受理并登记需求" not in page.text and "13812345678" not in page.text


def test_a_known_household_is_linked_by_its_id_number_and_routed_to_its_township(
        session, client, login, world):
    worker = world["worker"]
    household = make_household(session, worker)
    head = session.exec(select(Member).where(Member.household_id == household.id)).one()
    number = None
    from zhuanjie import crypto
    number = crypto.decrypt(head.id_number_enc)
    login(world["sender"])
    # the sender names another township of its county: the household's own gets it
    sent = client.post("/api/v1/intakes", json=REFERRAL | {
        "id_number": number, "region_path": "南通市/如皋市/如城街道"})
    assert sent.status_code == 201, sent.text
    # the sender is not told which household, nor where it lives
    assert sent.json()["household_id"] is None
    assert sent.json()["region_path"] == "南通市/如皋市/如城街道"
    assert session.get(Intake, sent.json()["id"]).region_path == RUGAO_TOWN
    login(worker)
    page = client.get(f"/intakes/{sent.json()['id']}")
    assert f"/households/{household.id}" in page.text and "登记家庭（" not in page.text
    accepted = client.post(f"/api/v1/intakes/{sent.json()['id']}/accept", json={
        "category": "basic_living", "title": "低保评估", "description": "转介评估"})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["household_id"] == household.id
    again = client.post(f"/api/v1/intakes/{sent.json()['id']}/decline", json={"reason": "重复"})
    assert again.status_code == 409


def test_a_declined_intake_tells_the_sender_why(session, client, login, world):
    login(world["sender"])
    made = client.post("/api/v1/intakes", json=REFERRAL | {"id_number": valid_id()}).json()
    login(world["worker"])
    empty = client.post(f"/intakes/{made['id']}/decline", data={"reason": " "})
    assert empty.status_code == 400 and 'id="err-reason"' in empty.text
    assert client.post(f"/api/v1/intakes/{made['id']}/decline",
                       json={"reason": ""}).status_code == 422
    done = client.post(f"/api/v1/intakes/{made['id']}/decline",
                       json={"reason": "子女有赡养能力"})
    assert done.status_code == 200 and done.json()["status"] == "declined"
    login(world["sender"])
    page = client.get(f"/intakes/{made['id']}")
    assert "不予受理" in page.text and "子女有赡养能力" in page.text


def test_the_deadline_reminds_then_escalates_to_the_region(session, client, login, world):
    login(world["sender"])
    made = client.post("/api/v1/intakes", json=REFERRAL | {
        "id_number": valid_id(), "urgency": 3}).json()
    later = utc_now() + timedelta(hours=25)
    with frozen(later):
        tasks.dispatch(session, now=later)
    for who, kind in ((world["worker"], "intake_reminder"), (world["worker"], "intake_overdue"),
                      (world["supervisor"], "intake_overdue"),
                      (world["sender"], "intake_overdue")):
        assert _told(session, who, kind) == 1, (who.username, kind)
    assert _told(session, world["haian"], "intake_overdue") == 0
    with frozen(later):
        tasks.dispatch(session, now=later)  # told once
    assert _told(session, world["worker"], "intake_overdue") == 1
    assert made["status"] == "received"


def test_only_department_users_send_and_fields_are_named(session, client, login, world):
    plain_staff = make_user(session, "org_staff")  # an NGO's staff: no department
    login(plain_staff)
    assert client.post("/api/v1/intakes", json=REFERRAL | {
        "id_number": valid_id()}).status_code == 403
    assert client.get("/intakes").status_code == 403
    assert client.post("/api/v1/alerts", json={}).status_code in (403, 422)
    login(world["worker"])
    assert client.post("/api/v1/intakes", json=REFERRAL | {
        "id_number": valid_id()}).status_code == 403
    login(world["sender"])
    bad = client.post("/api/v1/intakes", json=REFERRAL | {"id_number": "320682196005170001"})
    assert bad.status_code == 422 and "id_number" in bad.text
    far = client.post("/api/v1/intakes", json=REFERRAL | {"id_number": valid_id(),
                                                          "region_path": HAIAN_TOWN})
    assert far.status_code == 422 and "region_path" in far.text
    form = client.post("/intakes/new", data={"name": "张三", "id_number": "123",
                                             "region_path": RUGAO_TOWN, "reason": ""})
    assert form.status_code == 400 and 'id="err-id_number"' in form.text
    assert 'id="err-reason"' in form.text and 'value="张三"' in form.text
    assert session.exec(select(func.count()).select_from(Intake)).one() == 0


# --- monitoring alerts ----------------------------------------------------------------------------


def _alert(number, external="YJ-1", **extra):
    return {"external_id": external, "signal": "大额医疗支出", "name": "钱立新",
            "id_number": number, "region_path": "白蒲镇", "village": "龙港村",
            "situation": "住院自付 6.2 万元", "amount": "62000"} | extra


def test_an_alert_becomes_a_need_on_the_known_household_or_an_intake(
        session, client, login, world):
    from zhuanjie import crypto

    household = make_household(session, world["worker"])
    head = session.exec(select(Member).where(Member.household_id == household.id)).one()
    known = crypto.decrypt(head.id_number_enc)
    login(world["sender"])
    first = client.post("/api/v1/alerts", json=_alert(known, "YJ-1"))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "accepted" and "已生成救助需求" in first.json()["result"]
    need = session.exec(select(Need).where(Need.household_id == household.id)).one()
    assert (need.category, need.urgency, need.member_id) == ("medical", 2, head.id)
    assert _told(session, world["worker"], "alert_need") == 1
    again = client.post("/api/v1/alerts", json=_alert(known, "YJ-1"))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert session.exec(select(func.count()).select_from(Need)).one() == 1  # idempotent
    stranger = client.post("/api/v1/alerts", json=_alert(valid_id(), "YJ-2", signal="disaster"))
    assert stranger.status_code == 201 and stranger.json()["status"] == "received"
    intake = session.get(Intake, stranger.json()["intake_id"])
    assert (intake.category, intake.urgency) == ("emergency", 3)
    assert _told(session, world["worker"], "intake_received") == 1
    bad = client.post("/api/v1/alerts", json=_alert(valid_id(), "YJ-3", signal="月亮"))
    assert bad.status_code == 422 and "signal" in bad.text


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["预警编号", "预警类型", "姓名", "身份证号", "镇（街道）", "村（社区）",
                     "情况说明", "金额（元）", "发生日期"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_an_alert_file_is_checked_whole_imported_once_and_its_outcome_exported(
        session, client, login, world):
    from openpyxl import load_workbook

    from zhuanjie import crypto
    from zhuanjie.intake import alert_format

    household = make_household(session, world["worker"])
    head = session.exec(select(Member).where(Member.household_id == household.id)).one()
    known = crypto.decrypt(head.id_number_enc)
    rows = [["YJ-10", "大额医疗支出", "王建国", known, "白蒲镇", "新华村", "住院", "50000",
             "2026-11-20"],
            ["YJ-11", "失业或务工收入中断", "李四", valid_id(), "白蒲镇", "龙港村", "", "", ""]]
    login(world["sender"])
    wrong = client.post("/alerts", files={"file": ("a.csv", _csv(rows + [
        ["YJ-12", "地震", "赵五", "123", "白蒲镇", "", "", "", ""]]), "text/csv")})
    assert wrong.status_code == 400
    assert "第4行" in wrong.text and "预警类型" in wrong.text and "身份证号" in wrong.text
    assert session.exec(select(func.count()).select_from(Intake)).one() == 0  # nothing written
    good = client.post("/alerts", files={"file": ("a.csv", _csv(rows), "text/csv")})
    assert good.status_code == 200 and "已导入 2 条预警" in good.text
    twice = client.post("/alerts", files={"file": ("a.csv", _csv(rows), "text/csv")})
    assert "已导入 0 条预警" in twice.text and "2 条此前已导入" in twice.text
    assert session.exec(select(func.count()).select_from(Intake)).one() == 2
    out = client.get("/alerts/outcome.csv")
    assert out.status_code == 200
    table = list(csv.reader(io.StringIO(out.content.decode("utf-8-sig"))))
    assert table[0][:2] == ["预警编号*", "预警类型*"] and table[0][-3:] == [
        "处理状态", "处理结果", "受理时间"]
    by_id = {r[0]: r for r in table[1:]}
    assert by_id["YJ-10"][9] == "已受理" and "已生成救助需求" in by_id["YJ-10"][10]
    assert by_id["YJ-11"][9] == "待受理" and known not in out.text
    xlsx = client.get("/alerts/outcome.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:1] == ["预警编号*"] and sheet.max_row == 3
    assert known not in str([c.value for row in sheet.iter_rows() for c in row])
    # the same rows as .xlsx (the template's layout) change nothing the second time
    book = alert_format.write(rows, "xlsx", outcome=False)
    again = client.post("/alerts", files={"file": ("a.xlsx", book, "application/x")})
    assert again.status_code == 200 and "2 条此前已导入" in again.text
    # the caseworker sees the unmatched alert in the queue; another department cannot
    other = make_org(session, kind="government", department="medical",
                     service_area="南通市/如皋市")
    login(make_user(session, "org_staff", organisation_id=other.id))
    assert client.get("/api/v1/intakes").json()["total"] == 0
    assert "YJ-11" not in client.get("/alerts/outcome.csv").text


def test_the_demo_department_downloads_the_alert_template_in_both_formats(demo_client):
    """The template a department fills in: the same columns as .csv and .xlsx, for department
    users only."""
    from openpyxl import load_workbook

    client = demo_client.sign_in("dept_staff")
    page = client.get("/alerts")
    assert page.status_code == 200 and "/alerts/template.xlsx" in page.text
    as_csv = client.get("/alerts/template.csv")
    assert as_csv.status_code == 200 and "attachment" in as_csv.headers["content-disposition"]
    header = next(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert header[:2] == ["预警编号*", "预警类型*"]
    as_xlsx = client.get("/alerts/template.xlsx")
    assert as_xlsx.status_code == 200
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert [c.value for c in book.worksheets[0][1]][:len(header)] == header
    assert client.get("/alerts/template.pdf").status_code == 404
    # a caseworker receives alerts but does not send them
    client.post("/logout", headers={"Origin": "http://testserver"})
    assert demo_client.sign_in("caseworker").get("/alerts/template.csv").status_code == 403
