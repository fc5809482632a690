"""The household as it is: the whole family registered in one form, members corrected and
removed (with the reason; their consents end), changes of income or circumstance recorded,
each starting a review that the caseworker's 今日待办 shows."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    RUGAO_TOWN,
    make_household,
    make_need,
    make_offer,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie.clock import today
from zhuanjie.models import AuditEntry, Consent, Household, HouseholdChange, Member
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate


def _family(**extra) -> dict:
    return {
        "head_name": "顾秀兰", "head_id_number": valid_id(), "region_path": RUGAO_TOWN,
        "village": "新华村", "phone": "13912345678", "groups": ["dibao"],
        "income_per_capita": "620",
        "m1_name": "顾小军", "m1_id_number": valid_id(), "m1_relation": "child",
        "m1_illness": "白血病",
        "m2_name": "", "m2_id_number": "", "m2_relation": "child",  # a row left blank
        "m3_name": "王桂英", "m3_id_number": valid_id(), "m3_relation": "parent",
        "m3_disability": "肢体二级",
    } | extra


def test_the_whole_family_is_registered_in_one_form(session, login):
    worker = make_user(session, "caseworker")
    client = login(worker)
    form = client.get("/households/new").text
    assert 'id="f-m4_name"' in form and 'for="f-m4_id_number"' in form  # rows without script
    assert '<script src="/static/family.js"' in form

    response = client.post("/households/new", data=_family(), follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    for name, relation in (("顾秀兰", "户主"), ("顾小军", "子女"), ("王桂英", "父母")):
        assert re.search(rf"{name}</strong></td><td data-label=\"关系\">{relation}<", page)
    assert "白血病" in page and "肢体二级" in page
    household_id = int(response.headers["location"].rsplit("/", 1)[1])
    members = session.exec(select(Member).where(Member.household_id == household_id)).all()
    assert [m.is_head for m in members] == [True, False, False]


def test_a_wrong_member_row_is_told_beside_it_and_every_row_kept(session, login):
    client = login(make_user(session, "caseworker"))
    twice = valid_id()
    response = client.post("/households/new", data=_family(
        m1_id_number=twice, m3_id_number="320682195803120000", m4_name="顾小红",
        m4_id_number=twice))
    assert response.status_code == 400
    html = response.text
    assert 'id="err-m3_id_number">身份证号校验位不正确' in html
    assert 'value="顾小军"' in html and 'value="王桂英"' in html and 'value="顾小红"' in html
    assert session.exec(select(Member).where(Member.name == "顾秀兰")).first() is None

    response = client.post("/households/new", data=_family(m1_id_number=twice,
                                                           m4_name="顾小红", m4_id_number=twice))
    assert response.status_code == 400
    assert 'id="err-m4_id_number">同一身份证号在成员中出现了两次' in response.text

    existing = make_household(session, make_user(session, "caseworker"))
    number = session.exec(select(Member).where(Member.household_id == existing.id)).one()
    response = client.post("/households/new", data=_family(
        m3_id_number=_id_of(session, number)))
    assert response.status_code == 400
    assert 'id="err-m3_id_number">该身份证号已登记在家庭' in response.text


def _id_of(session, member: Member) -> str:
    from zhuanjie import crypto

    return crypto.decrypt(member.id_number_enc)


def _referred_household(session, worker):
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org)
    need = make_need(session, worker)
    household = session.get(Household, need.household_id)
    from zhuanjie.households import service as households
    from zhuanjie.households.schemas import MemberCreate

    child = households.add_member(session, actor=worker, household_id=household.id,
                                  data=MemberCreate(name="顾小军", id_number=valid_id(),
                                                    relation="child"))
    referral = referrals.send_referral(session, actor=worker, need_id=need.id,
                                       data=ReferralCreate.model_validate({
                                           "offer_id": offer.id,
                                           "consent": {"member_id": child.id, "fields": ["name"],
                                                       "valid_until": str(today() + timedelta(
                                                           days=60))}}))
    return household, child, referral, staff


def test_a_member_is_corrected_then_removed_with_the_reason_and_their_consents_end(
        session, login):
    worker = make_user(session, "caseworker")
    household, child, referral, _staff = _referred_household(session, worker)
    client = login(worker)

    page = client.get(f"/households/{household.id}/members/{child.id}/edit")
    assert page.status_code == 200 and "移除该成员" in page.text
    saved = client.post(f"/households/{household.id}/members/{child.id}/edit",
                        data={"name": "顾晓军", "relation": "child", "illness": "哮喘"},
                        follow_redirects=False)
    assert saved.status_code == 303
    assert "顾晓军" in client.get(f"/households/{household.id}").text

    refused = client.post(f"/households/{household.id}/members/{child.id}/remove",
                          data={"reason": ""})
    assert refused.status_code == 400 and 'id="err-reason"' in refused.text

    removed = client.post(f"/households/{household.id}/members/{child.id}/remove",
                          data={"reason": "外出务工迁出户籍"}, follow_redirects=False)
    assert removed.status_code == 303
    page = client.get(f"/households/{household.id}").text
    assert "顾晓军</strong>" not in page
    assert "成员离户" in page and "外出务工迁出户籍" in page

    consent = session.exec(select(Consent).where(Consent.member_id == child.id)).one()
    session.refresh(consent)
    assert consent.revoked_at is not None and consent.revoke_reason == "外出务工迁出户籍"
    session.refresh(referral)
    assert referral.status not in referrals.LIVE  # back with the caseworker
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "member_removed")).one()
    assert entry.detail["reason"] == "外出务工迁出户籍"
    assert entry.detail["consents_ended"] == [consent.id]

    session.refresh(household)
    assert household.next_review_date == today()
    home = client.get("/").text
    assert re.search(r'data-kind="review_due">.*?今天.*?复核家庭', home, re.S)

    # The person can now be registered where they live.
    moved = client.post("/households/new", data=_family(
        head_name="顾晓军", head_id_number=_id_of(session, child), m1_name="", m1_id_number="",
        m1_illness="", m3_name="", m3_id_number="", m3_disability=""), follow_redirects=False)
    assert moved.status_code == 303, moved.text


def test_the_head_stays_and_others_may_not_touch_the_members(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    head = session.exec(select(Member).where(Member.household_id == household.id)).one()
    client = login(worker)
    assert "移除该成员" not in client.get(
        f"/households/{household.id}/members/{head.id}/edit").text
    refused = client.post(f"/households/{household.id}/members/{head.id}/remove",
                          data={"reason": "迁出"})
    assert refused.status_code == 400 and "户主不能移除" in refused.text

    client = login(make_user(session, "caseworker", region_path=HAIAN_TOWN))
    for method, path, data in (
        ("get", f"/households/{household.id}/members/{head.id}/edit", None),
        ("post", f"/households/{household.id}/members/{head.id}/edit", {"name": "某某"}),
        ("post", f"/households/{household.id}/members/{head.id}/remove", {"reason": "迁出"}),
        ("get", f"/households/{household.id}/change", None),
        ("post", f"/households/{household.id}/change", {"kind": "income", "note": "增加"}),
    ):
        response = getattr(client, method)(path, **({"data": data} if data else {}))
        assert response.status_code == 403, (path, response.status_code)
    client = login(make_user(session, "donor"))
    assert client.get(f"/households/{household.id}/change").status_code in (403, 404)
    session.refresh(head)
    assert head.removed_at is None and head.name == "王建国"


def test_a_change_of_income_is_recorded_and_starts_a_review(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    assert household.next_review_date > today() + timedelta(days=300)
    client = login(worker)
    assert "review_due" not in client.get("/").text

    refused = client.post(f"/households/{household.id}/change",
                          data={"note": "低", "income_per_capita": "九百"})
    assert refused.status_code == 400
    assert 'id="err-kind"' in refused.text and 'id="err-income_per_capita"' in refused.text

    saved = client.post(f"/households/{household.id}/change",
                        data={"kind": "work", "note": "儿子在镇上工厂找到工作，月工资3000元",
                              "income_per_capita": "1100"}, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(f"/households/{household.id}").text
    assert "就业变化" in page and "650 元 → 1,100 元" in page
    change = session.exec(select(HouseholdChange)
                          .where(HouseholdChange.household_id == household.id)).one()
    assert change.recorded_by_id == worker.id
    assert "review_due" in client.get("/").text

    client.post(f"/households/{household.id}/review")
    assert "review_due" not in client.get("/").text


def test_the_api_corrects_removes_and_records_changes(session, login):
    worker = make_user(session, "caseworker")
    household, child, _referral, _staff = _referred_household(session, worker)
    client = login(worker)
    base = f"/api/v1/households/{household.id}"
    head = session.exec(select(Member).where(Member.household_id == household.id,
                                             Member.is_head)).one()

    response = client.put(f"{base}/members/{child.id}", json={"name": "顾晓军",
                                                              "relation": "head"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "relation"
    response = client.put(f"{base}/members/{child.id}", json={"name": "顾晓军",
                                                              "relation": "child"})
    assert response.status_code == 200
    assert "顾晓军" in [m["name"] for m in response.json()["members"]]

    response = client.post(f"{base}/members/{head.id}/remove", json={"reason": "迁出"})
    assert response.status_code == 409
    response = client.post(f"{base}/members/{child.id}/remove", json={"reason": ""})
    assert response.status_code == 422
    response = client.post(f"{base}/members/{child.id}/remove", json={"reason": "婚嫁迁出"})
    assert response.status_code == 200
    assert [m["name"] for m in response.json()["members"]] == [head.name]
    assert client.post(f"{base}/members/{child.id}/remove",
                       json={"reason": "婚嫁迁出"}).status_code == 404

    response = client.post(f"{base}/changes", json={"kind": "income", "note": "低保金调整",
                                                    "income_per_capita": "700"})
    assert response.status_code == 201 and float(response.json()["income_after"]) == 700
    kinds = [c["kind"] for c in client.get(f"{base}/changes").json()]
    assert kinds[:2] == ["income", "member_left"]
    assert client.post(f"{base}/changes", json={"kind": "lottery", "note": "中奖"}
                       ).status_code == 422


def test_the_household_page_lists_its_needs_and_programmes(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker, title="看病自付费用")
    client = login(worker)
    client.post(f"/households/{need.household_id}/entitlements/new",
                data={"programme": "城乡低保", "category": "basic_living",
                      "monthly_amount": "620", "since_date": "2026-01-01"})
    html = client.get(f"/households/{need.household_id}").text
    assert f'<a href="/needs/{need.id}">看病自付费用</a>' in html
    assert "城乡低保" in html and "暂无需求" not in html
