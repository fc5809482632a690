from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import make_household, make_need, make_offer, make_user, valid_id
from zhuanjie.clock import today
from zhuanjie.models import Entitlement, Member, Need


def test_recording_a_need_through_the_form(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    client = login(worker.username)
    response = client.post(
        f"/households/{household.id}/needs/new",
        data={
            "category": "housing",
            "title": "房屋漏雨需修缮",
            "description": "老房屋顶多处漏雨，墙体开裂。",
            "urgency": "2",
            "amount_needed": "12000",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "房屋漏雨需修缮" in response.text
    need = session.exec(select(Need).where(Need.title == "房屋漏雨需修缮")).one()
    assert need.region_path == household.region_path and need.status == "open"


def test_bad_need_input_is_shown_at_each_field_with_values_kept(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    client = login(worker.username)
    response = client.post(
        f"/households/{household.id}/needs/new",
        data={
            "category": "",
            "title": "",
            "description": "家中老人需要照料",
            "urgency": "2",
            "amount_needed": "-5",
            "deadline_date": str(today() - timedelta(days=3)),
        },
    )
    assert response.status_code == 400
    html = response.text
    assert 'id="err-category">此项必填' in html
    assert 'id="err-title">此项必填' in html
    assert 'id="err-amount_needed">不能小于0' in html
    assert "家中老人需要照料" in html
    assert session.exec(select(Need).where(Need.household_id == household.id)).first() is None


def test_the_api_names_each_bad_field(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    client = login(worker.username)
    response = client.post(
        f"/api/v1/households/{household.id}/needs",
        json={"category": "space", "title": "x", "description": "y", "urgency": 7},
    )
    fields = {e["loc"][-1]: e["msg"] for e in response.json()["detail"]}
    assert response.status_code == 422
    assert fields == {"category": "请选择需求类别", "urgency": "不能大于3"}
    late = client.post(
        f"/api/v1/households/{household.id}/needs",
        json={
            "category": "medical",
            "title": "x",
            "description": "y",
            "deadline_date": str(today() - timedelta(days=1)),
        },
    )
    assert late.status_code == 422 and late.json()["detail"][0]["loc"] == ["body", "deadline_date"]


def test_the_beneficiary_must_belong_to_the_household(session, login):
    worker = make_user(session, "caseworker")
    mine, other = make_household(session, worker), make_household(session, worker)
    stranger = session.exec(select(Member).where(Member.household_id == other.id)).first()
    client = login(worker.username)
    response = client.post(
        f"/api/v1/households/{mine.id}/needs",
        json={
            "category": "care",
            "title": "照料",
            "description": "需要上门照料",
            "member_id": stranger.id,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "loc": ["body", "member_id"],
        "msg": "受助人须是本户成员",
        "type": "value_error",
    }


def test_closing_a_need_records_the_outcome_and_freezes_it(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    client = login(worker.username)
    closed = client.post(
        f"/api/v1/needs/{need.id}/close", json={"outcome": "met", "note": "已获政府医疗救助"}
    )
    assert closed.json()["status"] == "closed" and closed.json()["outcome"] == "met"
    again = client.put(
        f"/api/v1/needs/{need.id}", json={"category": "medical", "title": "改", "description": "改"}
    )
    assert again.status_code == 409
    timeline = client.get(f"/api/v1/needs/{need.id}/timeline").json()
    assert timeline[-1]["what"] == "办结：需求已满足"


def test_households_are_edited_and_grow(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    client = login(worker.username)
    edited = client.put(
        f"/api/v1/households/{household.id}",
        json={
            "village": "白蒲社区",
            "address": "白蒲镇人民路8号",
            "phone": "13800001111",
            "groups": ["dibao", "disabled"],
            "income_per_capita": "600",
        },
    )
    assert edited.status_code == 200 and edited.json()["groups"] == ["dibao", "disabled"]
    assert edited.json()["phone_masked"] == "138****1111"
    grown = client.post(
        f"/api/v1/households/{household.id}/members",
        json={"name": "王小雨", "id_number": valid_id(), "relation": "child"},
    )
    assert grown.status_code == 201 and len(grown.json()["members"]) == 2
    bad = client.post(
        f"/api/v1/households/{household.id}/entitlements",
        json={
            "programme": "城市低保金",
            "category": "basic_living",
            "monthly_amount": "700",
            "since_date": "2026-01-01",
            "until_date": "2025-01-01",
        },
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "until_date"]
    good = client.post(
        f"/api/v1/households/{household.id}/entitlements",
        json={
            "programme": "城市低保金",
            "category": "basic_living",
            "monthly_amount": "700",
            "since_date": "2026-01-01",
        },
    )
    assert good.status_code == 201
    assert (
        session.exec(select(Entitlement).where(Entitlement.household_id == household.id))
        .one()
        .programme
        == "城市低保金"
    )


def test_a_need_already_covered_by_an_entitlement_says_so(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    session.add(
        Entitlement(
            household_id=household.id,
            programme="城市低保金",
            category="basic_living",
            since_date=today() - timedelta(days=90),
        )
    )
    session.commit()
    need = make_need(
        session,
        worker,
        household,
        category="basic_living",
        title="生活困难",
        description="家庭收入低，日常开支难以维持",
    )
    client = login(worker.username)
    page = client.get(f"/needs/{need.id}/matches")
    assert "该家庭已享受：城市低保金" in page.text
    api = client.get(f"/api/v1/needs/{need.id}/matches").json()
    assert api["covered_by"] == [{"programme": "城市低保金", "monthly_amount": None}]


def test_the_referral_form_opens_for_an_offer_and_is_404_for_an_unknown_one(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    offer = make_offer(session)
    draft = make_offer(session, status="draft")
    client = login(worker.username)
    form = client.get(f"/needs/{need.id}/refer?offer_id={offer.id}")
    assert form.status_code == 200 and offer.title in form.text and "f-member_id" in form.text
    for offer_id in (draft.id, 2**31 - 1):  # another organisation's draft is not found either
        missing = client.get(f"/needs/{need.id}/refer?offer_id={offer_id}")
        assert missing.status_code == 404 and "项目不存在" in missing.text
    assert client.get(f"/needs/{need.id}/refer?offer_id={2**63}").status_code == 422
