"""Who may open what: every route that exists, for every role."""

import pytest

from tests.zhuanjie.factories import HAIAN_TOWN, make_household, make_user

ROLES = ("admin", "supervisor", "caseworker", "org_staff", "donor")

# route -> the roles that get 200; every other signed-in role gets 403.
PAGES = {
    "/": ROLES,
    "/organisations": ROLES,
    "/organisations/new": ("admin", "supervisor"),
    "/admin/users": ("admin",),
    "/admin/users/new": ("admin",),
    "/audit": ("admin", "supervisor"),
    "/households": ("admin", "supervisor", "caseworker"),
    "/households/new": ("admin", "caseworker"),
}
API = {
    "/api/v1/me": ROLES,
    "/api/v1/organisations": ROLES,
    "/api/v1/households": ("admin", "supervisor", "caseworker"),
}


@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(role, session, login):
    user = make_user(session, role)
    client = login(user.username)
    for path, allowed in PAGES.items():
        response = client.get(path, follow_redirects=False)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, path)
        if expected == 403:
            assert "没有权限" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(role, session, login):
    user = make_user(session, role)
    client = login(user.username)
    for path, allowed in API.items():
        response = client.get(path)
        assert response.status_code == (200 if role in allowed else 403), (role, path)


def test_anonymous_visitors_are_sent_to_login_or_told_401(client):
    for path in PAGES:
        if path != "/":
            assert client.get(path, follow_redirects=False).status_code == 303
    for path in API:
        assert client.get(path).status_code == 401


def test_only_admins_create_users_and_only_staff_register_organisations(session, login):
    caseworker = make_user(session, "caseworker")
    client = login(caseworker.username)
    response = client.post("/api/v1/organisations", json={"name": "某基金会", "kind": "government"})
    assert response.status_code == 403
    response = client.post(
        "/admin/users/new",
        data={"username": "x1234", "display_name": "x", "password": "12345678", "role": "admin"},
    )
    assert response.status_code == 403


def test_a_rugao_caseworker_cannot_reach_a_haian_household(session, login):
    haian_worker = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    household = make_household(session, haian_worker)
    rugao = make_user(session, "caseworker")
    client = login(rugao.username)
    assert client.get(f"/households/{household.id}").status_code == 403
    assert client.get(f"/api/v1/households/{household.id}").status_code == 403
    listing = client.get("/api/v1/households").json()
    assert household.id not in [h["id"] for h in listing["items"]]
    reveal = client.post(f"/api/v1/households/{household.id}/members/1/reveal?field=id_number")
    assert reveal.status_code == 403


def test_supervisors_see_their_county_but_may_not_reveal(session, login):
    haian_worker = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    household = make_household(session, haian_worker)
    city = make_user(session, "supervisor", region_path="南通市")
    rugao_supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
    client = login(rugao_supervisor.username)
    assert client.get(f"/api/v1/households/{household.id}").status_code == 403
    client.post("/logout")
    client = login(city.username)
    body = client.get(f"/api/v1/households/{household.id}").json()
    member_id = body["members"][0]["id"]
    reveal = client.post(
        f"/api/v1/households/{household.id}/members/{member_id}/reveal?field=id_number"
    )
    assert reveal.status_code == 403
