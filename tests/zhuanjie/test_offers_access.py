"""Org staff cannot see or change another organisation's offers or drafts: every route."""

import pytest

from tests.zhuanjie.factories import make_user, offer_payload, post_offer

ACTIONS = ("publish", "pause", "close")


@pytest.fixture
def two_orgs(session):
    owner = make_user(session, "org_staff")
    draft = post_offer(session, owner, publish=False, title="内部草稿：春节慰问")
    live = post_offer(session, owner, title="已发布：助学金")
    intruder = make_user(session, "org_staff")
    return owner, intruder, draft, live


def test_another_organisations_draft_is_not_found_on_any_route(session, login, two_orgs):
    _owner, intruder, draft, _live = two_orgs
    client = login(intruder.username)
    assert client.get(f"/offers/{draft.id}").status_code == 404
    assert client.get(f"/offers/{draft.id}/edit").status_code == 404
    assert client.post(f"/offers/{draft.id}/edit", data={"title": "x"}).status_code == 404
    for action in ACTIONS:
        assert client.post(f"/offers/{draft.id}/{action}").status_code == 404
        assert client.post(f"/api/v1/offers/{draft.id}/{action}").status_code == 404
    assert client.get(f"/api/v1/offers/{draft.id}").status_code == 404
    assert client.patch(f"/api/v1/offers/{draft.id}", json={"title": "x"}).status_code == 404
    assert client.get(f"/api/v1/offers/{draft.id}/revisions").status_code == 404
    mine = client.get("/api/v1/offers/mine").json()
    assert mine["total"] == 0
    assert "内部草稿" not in client.get("/offers").text
    assert "内部草稿" not in client.get("/directory?q=春节").text
    assert client.get("/api/v1/offers?q=春节").json()["total"] == 0
    session.refresh(draft)
    assert draft.title == "内部草稿：春节慰问" and draft.status == "draft"


def test_another_organisations_published_offer_is_readable_but_not_changeable(
    session, login, two_orgs
):
    _owner, intruder, _draft, live = two_orgs
    client = login(intruder.username)
    page = client.get(f"/offers/{live.id}")
    assert page.status_code == 200 and "已发布：助学金" in page.text
    assert f"/offers/{live.id}/edit" not in page.text and "修改记录" not in page.text
    assert client.get(f"/offers/{live.id}/edit").status_code == 403
    assert client.post(f"/offers/{live.id}/edit",
                       data=offer_payload(title="被改了")).status_code == 403
    for action in ACTIONS:
        assert client.post(f"/offers/{live.id}/{action}").status_code == 403
        assert client.post(f"/api/v1/offers/{live.id}/{action}").status_code == 403
    assert client.patch(f"/api/v1/offers/{live.id}", json={"title": "被改了"}).status_code == 403
    assert client.get(f"/api/v1/offers/{live.id}/revisions").status_code == 403
    session.refresh(live)
    assert live.title == "已发布：助学金" and live.status == "published"


def test_the_owner_reaches_every_route(session, login, two_orgs):
    owner, _intruder, draft, live = two_orgs
    client = login(owner.username)
    assert client.get(f"/offers/{draft.id}").status_code == 200
    assert client.get(f"/offers/{draft.id}/edit").status_code == 200
    assert client.get(f"/api/v1/offers/{draft.id}/revisions").status_code == 200
    assert client.post(f"/api/v1/offers/{live.id}/pause").json()["status"] == "paused"
    assert client.post(f"/offers/{live.id}/publish", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/offers/mine").json()["total"] == 2


def test_caseworkers_see_published_offers_but_no_drafts_and_change_nothing(
    session, login, two_orgs
):
    _owner, _intruder, draft, live = two_orgs
    client = login(make_user(session, "caseworker").username)
    assert client.get(f"/offers/{draft.id}").status_code == 404
    assert client.get(f"/offers/{live.id}").status_code == 200
    assert client.post(f"/api/v1/offers/{live.id}/close").status_code == 403
    assert client.get(f"/offers/{live.id}/edit").status_code == 403


def test_the_public_sees_published_offers_of_verified_organisations_only(
    session, client, two_orgs
):
    owner, _intruder, draft, live = two_orgs
    assert client.get(f"/offers/{live.id}").status_code == 200
    assert client.get(f"/api/v1/offers/{live.id}").status_code == 200
    assert client.get(f"/offers/{draft.id}").status_code == 404
    from zhuanjie.models import Organisation

    org = session.get(Organisation, owner.organisation_id)
    org.status = "suspended"
    session.add(org)
    session.commit()
    assert client.get(f"/offers/{live.id}").status_code == 404
    listing = client.get("/api/v1/offers").json()
    assert live.id not in [o["id"] for o in listing["items"]], listing
    assert client.post(f"/api/v1/offers/{live.id}/pause").status_code == 401


def test_anonymous_visitors_are_sent_to_sign_in_for_every_staff_route(client):
    for path in ("/offers", "/offers/new", "/offers/bulk", "/offers/bulk/template.xlsx",
                 "/organisations/1/edit", "/organisations/1/colleagues/new"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"], path
    for body in ({}, offer_payload()):  # a missing login is told before a bad body
        assert client.post("/api/v1/offers", json=body).status_code == 401
    assert client.get("/api/v1/offers/mine").status_code == 401
    for path in ("/directory", "/api/v1/offers", "/api/v1/hsds/services",
                 "/api/v1/hsds/organizations", "/organisations/signup"):
        assert client.get(path).status_code == 200, path
