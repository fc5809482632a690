import re

from tests.zhuanjie.factories import make_user


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_home_page_is_chinese_and_uses_only_local_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and 'lang="zh-CN"' in page.text
    assert "让救助早一点到" in page.text
    for url in re.findall(r'(?:href|src)="([^"]+)"', page.text):
        assert url.startswith("/"), url
    assert client.get("/static/site.css").status_code == 200


def test_unknown_pages_get_a_chinese_404_and_the_api_gets_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "页面不存在" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}


def test_api_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/households" in spec["paths"]


def test_each_role_has_its_own_start_page(session, login):
    headings = {
        "admin": "系统管理",
        "supervisor": "监管工作台",
        "caseworker": "经办工作台",
        "org_staff": "工作台",
        "donor": "您好",
    }
    for role, heading in headings.items():
        client = login(make_user(session, role).username)
        page = client.get("/")
        assert heading in page.text, role
        client.post("/logout")


def test_a_server_error_is_a_chinese_page_not_a_trace(app, session, login):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
    assert page.status_code == 500 and "系统出错了" in page.text and "kaput" not in page.text


def test_a_malformed_address_on_a_page_gets_a_chinese_message_without_field_names(session, login):
    client = login(make_user(session, "caseworker").username)
    page = client.get("/households/abc")
    assert page.status_code == 422 and "填写有误" in page.text
    assert "household_id" not in page.text
