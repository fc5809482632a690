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


def test_a_government_body_is_registered_with_its_department_and_only_a_government_body(
    session, login
):
    client = login(make_user(session, "admin").username)
    office = client.post("/api/v1/organisations", json={
        "name": "海门区农业农村局", "kind": "government", "department": "poverty",
    })
    assert office.status_code == 201 and office.json()["department"] == "poverty"
    page = client.get(f"/organisations/{office.json()['id']}")
    assert "政府部门（乡村振兴（扶贫））" in page.text
    ngo = client.post("/api/v1/organisations", json={
        "name": "某协会", "kind": "ngo", "credit_code": valid_uscc(), "department": "poverty",
    })
    assert ngo.status_code == 422
    assert ngo.json()["detail"][0]["loc"][-1] == "department"
    unknown = client.post("/api/v1/organisations", json={
        "name": "某局", "kind": "government", "department": "secret_police",
    })
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"][-1] == "department"


def test_an_organisation_signing_itself_up_cannot_claim_a_department(client):
    # A department may import rolls and refer households: an administrator sets it, nobody else.
    response = client.post("/api/v1/organisations/signup", json={
        "name": "冒名的民政局", "kind": "government", "department": "civil_affairs",
        "username": "fake_bureau", "display_name": "某人", "password": "Secret-pass-12",
    })
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "department"


def test_a_department_user_is_staff_of_a_verified_government_body_with_a_department(demo_session):
    import pytest

    from zhuanjie.errors import Forbidden
    from zhuanjie.models import User
    from zhuanjie.organisations.service import department_of, ensure_department

    users = {u.username: u for u in demo_session.exec(select(User)).all()}
    assert department_of(demo_session, actor=users["dept_staff"]) == "poverty"
    assert ensure_department(demo_session, actor=users["org_staff_gov"]) == "civil_affairs"
    for name in ("org_staff", "caseworker", "supervisor", "donor", "admin"):
        assert department_of(demo_session, actor=users[name]) is None
    with pytest.raises(Forbidden):
        ensure_department(demo_session, actor=users["dept_staff"], allowed=("civil_affairs",))
