"""A caseworker of 如皋市 cannot read or change anything of a 海安市 household: every route."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    make_need,
    make_offer,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie.clock import today
from zhuanjie.models import Member
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate


@pytest.fixture
def haian(session):
    worker = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    offer = make_offer(session, make_org(session))
    referral = referrals.send_referral(
        session,
        actor=worker,
        need_id=need.id,
        data=(
            ReferralCreate.model_validate(
                {
                    "offer_id": offer.id,
                    "consent": {
                        "member_id": member.id,
                        "fields": ["name"],
                        "valid_until": str(today() + timedelta(days=9)),
                    },
                }
            )
        ),
    )
    return {"h": need.household_id, "m": member.id, "n": need.id, "r": referral.id, "o": offer.id}


GETS = [
    "/households/{h}",
    "/households/{h}/edit",
    "/households/{h}/members/new",
    "/households/{h}/entitlements/new",
    "/households/{h}/needs/new",
    "/needs/{n}",
    "/needs/{n}/edit",
    "/needs/{n}/matches",
    "/needs/{n}/refer?offer_id={o}",
    "/referrals/{r}",
    "/api/v1/households/{h}",
    "/api/v1/households/{h}/entitlements",
    "/api/v1/needs/{n}",
    "/api/v1/needs/{n}/timeline",
    "/api/v1/needs/{n}/matches",
    "/api/v1/referrals/{r}",
]
POSTS = [
    ("/households/{h}/edit", {"village": "x"}),
    ("/households/{h}/members/new", {"name": "x"}),
    ("/households/{h}/entitlements/new", {"programme": "x"}),
    ("/households/{h}/needs/new", {"title": "x"}),
    ("/households/{h}/members/{m}/reveal", {"field": "id_number"}),
    ("/needs/{n}/edit", {"title": "x"}),
    ("/needs/{n}/close", {"outcome": "met"}),
    ("/needs/{n}/refer", {"offer_id": "{o}"}),
    ("/referrals/{r}/withdraw", {"note": ""}),
]
API_WRITES = [
    ("put", "/api/v1/households/{h}", {"groups": []}),
    ("post", "/api/v1/households/{h}/members", {"name": "x", "id_number": valid_id()}),
    (
        "post",
        "/api/v1/households/{h}/needs",
        {"category": "care", "title": "x", "description": "x"},
    ),
    ("post", "/api/v1/needs/{n}/close", {"outcome": "met"}),
    (
        "post",
        "/api/v1/needs/{n}/referrals",
        {
            "offer_id": 1,
            "consent": {"member_id": 1, "fields": ["name"], "valid_until": "2099-01-01"},
        },
    ),
    (
        "post",
        "/api/v1/households/{h}/entitlements",
        {"programme": "低保金", "category": "basic_living", "since_date": "2026-01-01"},
    ),
    ("post", "/api/v1/referrals/{r}/withdraw", {"note": ""}),
    ("post", "/api/v1/households/{h}/members/{m}/reveal?field=phone", None),
]


def test_every_page_and_read_is_refused(session, login, haian):
    client = login(make_user(session, "caseworker").username)
    for path in GETS:
        assert client.get(path.format(**haian)).status_code == 403, path


def test_every_form_post_is_refused(session, login, haian):
    client = login(make_user(session, "caseworker").username)
    for path, data in POSTS:
        data = {k: v.format(**haian) for k, v in data.items()}
        assert client.post(path.format(**haian), data=data).status_code == 403, path


def test_every_api_write_is_refused(session, login, haian):
    client = login(make_user(session, "caseworker").username)
    for method, path, body in API_WRITES:
        url = path.format(**haian)
        response = getattr(client, method)(url, json=body) if body else client.post(url)
        assert response.status_code == 403, (path, response.text)


def test_lists_leave_other_regions_out(session, login, haian):
    client = login(make_user(session, "caseworker").username)
    assert client.get("/api/v1/needs").json()["items"] == []
    assert client.get("/api/v1/households").json()["items"] == []
    page = client.get("/referrals")
    assert page.status_code == 200 and f"/referrals/{haian['r']}" not in page.text
