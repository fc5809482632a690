"""Every offer form refuses bad input with a Chinese message at the field, values kept."""

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import make_user, offer_payload, post_offer
from zhuanjie.models import Offer


def form_data(**overrides) -> dict:
    data = offer_payload(**overrides)
    data.pop("coverage")
    data["coverage"] = overrides.get("coverage", ["南通市/如皋市/白蒲镇"])
    return {k: v for k, v in data.items() if v is not None}


BAD = [
    ("title", {"title": "   "}, "此项必填"),
    ("valid_until", {"valid_from": "2027-03-01", "valid_until": "2027-02-01"},
     "结束日期不能早于开始日期"),
    ("capacity", {"capacity": "-3"}, "不能小于0"),
    ("coverage", {"coverage": ["南通市/火星县"]}, "未知的行政区划"),
    ("categories", {"categories": []}, "请至少选择1项"),
    ("age_max", {"age_min": "60", "age_max": "18"}, "最大年龄不能小于最小年龄"),
    ("amount_per_person", {"amount_per_person": "两千"}, "请填写数字"),
]


@pytest.mark.parametrize(("field", "overrides", "message"), BAD, ids=[b[0] for b in BAD])
def test_the_new_offer_form_says_what_is_wrong_at_the_field(session, login, field, overrides,
                                                            message):
    client = login(make_user(session, "org_staff").username)
    data = form_data(title="助老上门服务", description="每周两次上门", **{
        k: v for k, v in overrides.items() if k != "title"})
    if "title" in overrides:
        data["title"] = overrides["title"]
    response = client.post("/offers/new", data=data)
    assert response.status_code == 400
    assert f'id="err-{field}">{message}' in response.text
    assert "每周两次上门" in response.text  # typed values are kept
    if field != "title":
        assert 'value="助老上门服务"' in response.text
    if field != "coverage":
        assert 'value="南通市/如皋市/白蒲镇" checked' in response.text
    assert session.exec(select(Offer)).all() == []


@pytest.mark.parametrize(("field", "overrides", "message"), BAD, ids=[b[0] for b in BAD])
def test_the_api_answers_422_naming_the_field(session, login, field, overrides, message):
    client = login(make_user(session, "org_staff").username)
    response = client.post("/api/v1/offers", json=offer_payload(**overrides))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"][:2] == ["body", field] and message in detail[0]["msg"]


def test_the_edit_form_refuses_bad_input_and_keeps_the_offer(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    client = login(staff.username)
    form = client.get(f"/offers/{offer.id}/edit")
    assert 'value="困境儿童助学金"' in form.text and 'value="南通市/如皋市" checked' in form.text
    response = client.post(f"/offers/{offer.id}/edit",
                           data=form_data(title="", capacity="-1", contact="新联系人"))
    assert response.status_code == 400
    assert 'id="err-title">此项必填' in response.text
    assert 'id="err-capacity">不能小于0' in response.text
    assert 'value="新联系人"' in response.text
    session.refresh(offer)
    assert offer.title == "困境儿童助学金" and offer.capacity == 3


def test_the_api_edit_refuses_an_end_before_the_start(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    client = login(staff.username)
    response = client.patch(f"/api/v1/offers/{offer.id}", json={"valid_until": "2000-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "valid_until"]
    assert response.json()["detail"][0]["msg"] == "结束日期不能早于开始日期"


def test_a_good_form_saves_a_draft_and_shows_the_offer(session, login):
    client = login(make_user(session, "org_staff").username)
    response = client.post("/offers/new", data=form_data(title="助老上门服务"))
    assert response.status_code == 200 and "助老上门服务" in response.text
    assert "草稿" in response.text and "白蒲镇" in response.text


def test_a_department_writes_a_programmes_rules_in_the_form(session, login):
    from tests.zhuanjie.factories import make_org

    dept = make_org(session, kind="government", credit_code=None, name="海安市民政局")
    client = login(make_user(session, "org_staff", organisation_id=dept.id).username)
    form = client.get("/offers/new")
    assert "政府常设救助政策" in form.text
    data = form_data(title="海安市最低生活保障", capacity=None, groups=None) | {
        "is_programme": "on", "rules_government_first": "on",
        "rules_basis": "《南通市最低生活保障实施办法》", "rules_income_line_monthly": "abc"}
    bad = client.post("/offers/new", data=data)
    assert bad.status_code == 400
    assert 'id="err-rules_income_line_monthly">请填写数字' in bad.text
    assert 'value="《南通市最低生活保障实施办法》"' in bad.text
    saved = client.post("/offers/new", data=data | {"rules_income_line_monthly": "1040"})
    assert saved.status_code == 200 and "《南通市最低生活保障实施办法》" in saved.text
    offer = session.exec(select(Offer).where(Offer.title == "海安市最低生活保障")).one()
    assert offer.is_programme and offer.rules == {
        "government_first": True, "basis": "《南通市最低生活保障实施办法》",
        "income_line_monthly": 1040}
    edit = client.get(f"/offers/{offer.id}/edit")
    assert 'name="rules_government_first" checked' in edit.text
    assert 'value="1040"' in edit.text
