from sqlmodel import select

from tests.zhuanjie.factories import PASSWORD, make_user
from zhuanjie.models import ApiToken, AuditEntry, User


def test_login_page_is_chinese(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert "用户名" in page.text and "密码" in page.text


def test_signing_in_shows_the_role_page_and_signing_out_ends_it(client, session):
    user = make_user(session, "caseworker", display_name="周敏")
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD}, follow_redirects=True
    )
    assert "经办工作台" in response.text and "周敏" in response.text
    client.post("/logout")
    assert client.get("/households", follow_redirects=False).status_code == 303


def test_wrong_password_rerenders_with_message_and_username_kept(client, session):
    user = make_user(session, "caseworker")
    response = client.post("/login", data={"username": user.username, "password": "wrong-one"})
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.text
    assert f'value="{user.username}"' in response.text
    failures = session.exec(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert len(failures) == 1


def test_empty_login_form_names_both_fields(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert "请输入用户名" in response.text and "请输入密码" in response.text


def test_pages_need_a_session_and_come_back_after_login(client, session):
    user = make_user(session, "caseworker")
    response = client.get("/households?q=王", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/households%3Fq%3D%E7%8E%8B"
    response = client.post(
        "/login",
        follow_redirects=False,
        data={"username": user.username, "password": PASSWORD, "next": "/households?q=王"},
    )
    assert response.headers["location"] == "/households?q=%E7%8E%8B"


def test_login_does_not_redirect_off_site(client, session):
    user = make_user(session, "caseworker")
    response = client.post(
        "/login",
        follow_redirects=False,
        data={"username": user.username, "password": PASSWORD, "next": "//evil.example/x"},
    )
    assert response.headers["location"] == "/"


def test_a_tampered_session_cookie_is_ignored(client, session):
    user = make_user(session, "admin")
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    cookie = client.cookies.get("zhuanjie_session")
    client.cookies.set("zhuanjie_session", cookie[:-3] + ("AAA" if cookie[-3:] != "AAA" else "BBB"))
    assert client.get("/admin/users", follow_redirects=False).status_code == 303


def test_passwords_are_stored_as_argon2_hashes(session):
    user = make_user(session, "admin")
    stored = session.get(User, user.id).password_hash
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_api_token_flow(client, session):
    user = make_user(session, "supervisor")
    issued = client.post(
        "/api/v1/auth/token", json={"username": user.username, "password": PASSWORD, "name": "报表"}
    )
    assert issued.status_code == 201
    token = issued.json()["token"]
    stored = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert token not in stored.token_hash
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["role"] == "supervisor" and me.json()["region_path"] == "南通市"


def test_api_refuses_bad_tokens_and_bad_passwords_with_json(client, session):
    user = make_user(session, "supervisor")
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer zj_nonsense"})
    assert bad.status_code == 401 and bad.json() == {"detail": "API 令牌无效或已过期"}
    assert client.get("/api/v1/me").status_code == 401
    wrong = client.post("/api/v1/auth/token", json={"username": user.username, "password": "x"})
    assert wrong.status_code == 401


def test_token_request_missing_a_field_is_a_422_naming_it(client):
    response = client.post("/api/v1/auth/token", json={"username": "a"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "password"] and error["msg"] == "此项必填"


def test_a_form_sent_from_another_site_changes_nothing(client, session):
    from tests.zhuanjie.factories import RUGAO_TOWN, valid_id
    from zhuanjie.models import Household

    user = make_user(session, "caseworker")
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    form = {"head_name": "李秀英", "head_id_number": valid_id(), "region_path": RUGAO_TOWN,
            "village": "白蒲社区", "income_per_capita": "600", "groups": ["dibao"]}
    forged = client.post("/households/new", data=form, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403 and "不是从本站页面发出的" in forged.text
    assert session.exec(select(Household)).all() == []
    del client.headers["Origin"]  # a browser that sends only the Referer
    sneaky = client.post("/logout", headers={"Referer": "http://evil.example/page"})
    assert sneaky.status_code == 403
    assert client.get("/households", follow_redirects=False).status_code == 200  # still in
    ours = client.post("/households/new", data=form, headers={"Origin": "http://testserver"},
                       follow_redirects=False)
    assert ours.status_code == 303 and len(session.exec(select(Household)).all()) == 1


def test_programs_with_a_token_and_no_cookie_are_not_asked_for_an_origin(client, session):
    user = make_user(session, "caseworker")
    issued = client.post("/api/v1/auth/token", headers={"Origin": "https://tools.example"},
                         json={"username": user.username, "password": PASSWORD, "name": "脚本"})
    assert issued.status_code == 201
