from sqlmodel import select

from tests.zhuanjie.factories import make_user, valid_uscc
from zhuanjie.models import Organisation


def test_registering_an_ngo_with_a_valid_credit_code(session, login):
    client = login(make_user(session, "admin").username)
    code = valid_uscc()
    response = client.post(
        "/api/v1/organisations",
        json={
            "name": "如皋市阳光社工服务中心",
            "kind": "ngo",
            "credit_code": code.lower(),
            "service_area": "南通市/如皋市",
        },
    )
    assert response.status_code == 201
    assert response.json()["credit_code"] == code and response.json()["status"] == "pending"


def test_a_wrong_credit_code_is_a_422_naming_the_field_in_chinese(session, login):
    client = login(make_user(session, "admin").username)
    code = valid_uscc()
    wrong = code[:17] + ("0" if code[-1] != "0" else "1")
    response = client.post(
        "/api/v1/organisations", json={"name": "某慈善基金会", "kind": "ngo", "credit_code": wrong}
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "credit_code"]
    assert error["msg"] == "统一社会信用代码校验位不正确，请核对"


def test_ngos_must_give_a_credit_code_and_codes_are_unique(session, login):
    client = login(make_user(session, "admin").username)
    missing = client.post("/api/v1/organisations", json={"name": "某志愿者协会", "kind": "ngo"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "credit_code"]
    code = valid_uscc()
    assert (
        client.post(
            "/api/v1/organisations", json={"name": "甲协会", "kind": "ngo", "credit_code": code}
        ).status_code
        == 201
    )
    again = client.post(
        "/api/v1/organisations", json={"name": "乙协会", "kind": "ngo", "credit_code": code}
    )
    assert (
        again.status_code == 409 and again.json()["detail"][0]["msg"] == "该统一社会信用代码已登记"
    )


def test_the_form_shows_the_credit_code_error_beside_the_field_and_keeps_values(session, login):
    client = login(make_user(session, "supervisor").username)
    response = client.post(
        "/organisations/new",
        data={
            "name": "海安市爱心助学会",
            "kind": "ngo",
            "credit_code": "51320600MJ00000001",
            "contact_phone": "123",
        },
    )
    assert response.status_code == 400
    assert 'id="err-credit_code">统一社会信用代码校验位不正确' in response.text
    assert 'id="err-contact_phone">请填写11位手机号' in response.text
    assert 'value="海安市爱心助学会"' in response.text
    assert (
        session.exec(select(Organisation).where(Organisation.name == "海安市爱心助学会")).first()
        is None
    )


def test_government_bodies_need_no_credit_code_and_show_in_the_list(session, login):
    client = login(make_user(session, "admin").username)
    response = client.post(
        "/organisations/new",
        data={"name": "南通市民政局", "kind": "government"},
        follow_redirects=True,
    )
    assert (
        response.status_code == 200
        and "南通市民政局" in response.text
        and "待审核" in response.text
    )
