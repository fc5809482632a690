"""The issue's story end to end over HTTP, as a new NGO would live it."""

from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import accept_referral, make_user, valid_uscc
from zhuanjie.clock import today
from zhuanjie.models import Offer
from zhuanjie.offers import service as offers

INSIDE = "南通市/如皋市/白蒲镇"
OUTSIDE = "南通市/海安市/城东镇"


def test_register_verify_post_quota_three_find_it_then_fill_it(session, client, login):
    signup = client.post("/api/v1/organisations/signup", json={
        "name": "如皋市同心社会工作服务中心", "kind": "ngo", "credit_code": valid_uscc(),
        "service_area": "南通市/如皋市", "username": "tongxin", "display_name": "顾同心",
        "password": "tongxin-2026"})
    assert signup.status_code == 201 and signup.json()["status"] == "pending"
    org_id = signup.json()["id"]

    admin = make_user(session, "admin")
    login(admin.username)
    verified = client.post(f"/api/v1/organisations/{org_id}/verify",
                           json={"reason": "材料齐全"})
    assert verified.json()["status"] == "verified"
    client.post("/logout")

    login("tongxin", "tongxin-2026")
    created = client.post("/api/v1/offers", json={
        "title": "同心助学", "categories": ["education"], "coverage": ["南通市/如皋市"],
        "capacity": 3, "mode": "cash", "amount_per_person": "1500",
        "valid_from": str(today()), "valid_until": str(today() + timedelta(days=60))})
    assert created.status_code == 201
    offer_id = created.json()["id"]
    assert client.post(f"/api/v1/offers/{offer_id}/publish").json()["status"] == "published"
    client.post("/logout")

    inside = client.get("/api/v1/offers", params={"region": INSIDE, "q": "同心"}).json()
    outside = client.get("/api/v1/offers", params={"region": OUTSIDE, "q": "同心"}).json()
    assert [o["id"] for o in inside["items"]] == [offer_id]
    assert outside["items"] == []
    assert offer_id in [o.id for o in offers.matchable_offers(session, on=today())]

    caseworker = make_user(session, "caseworker")
    offer = session.exec(select(Offer).where(Offer.id == offer_id)).one()
    for _ in range(3):
        accept_referral(session, offer, caseworker)
    session.commit()
    assert offer_id not in [o.id for o in offers.matchable_offers(session, on=today())]
    page = client.get(f"/offers/{offer_id}")
    assert 'id="remaining">0<' in page.text and "名额已满" in page.text
    assert client.get(f"/api/v1/offers/{offer_id}").json()["places_remaining"] == 0
    only_open = client.get("/api/v1/offers", params={"region": INSIDE, "only_open": True})
    assert offer_id not in [o["id"] for o in only_open.json()["items"]]
