"""Ids that are not ids, typed into forms and bodies: a 4xx naming the field or the value left
out, never a 500 (SQLite overflows past 2^63; "²".isdigit() is true; PostgreSQL ids stop at
2^31 - 1)."""

from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.clock import today
from zhuanjie.models import Member

ODD = ("9" * 30, str(2**63), str(2**31), "²", "0", "-3", "abc", "")


def _sent_referral(session, client, login):
    worker = make_user(session, "caseworker")
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org)
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    login(worker)
    sent = client.post(f"/api/v1/needs/{need.id}/referrals", json={
        "offer_id": offer.id,
        "consent": {"member_id": member.id, "fields": ["name"],
                    "valid_until": str(today() + timedelta(days=30))},
    })
    assert sent.status_code == 201, sent.text
    return worker, staff, need, offer, sent.json()["id"]


def test_bulk_accept_refuses_ids_out_of_range_by_name(session, client, login):
    _worker, staff, _need, _offer, referral_id = _sent_referral(session, client, login)
    login(staff)
    for odd in (2**63, 2**31, 0):
        refused = client.post("/api/v1/referrals/bulk-accept",
                              json={"referral_ids": [referral_id, odd]})
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0]["loc"][:2] == ["body", "referral_ids"]
    assert client.get(f"/api/v1/referrals/{referral_id}").json()["status"] == "sent"


def test_the_bulk_accept_form_skips_values_that_are_not_ids(session, client, login):
    _worker, staff, _need, _offer, referral_id = _sent_referral(session, client, login)
    login(staff)
    page = client.post("/referrals/bulk-accept",
                       data={"referral_ids": [*ODD, str(referral_id)]})
    assert page.status_code == 200 and "已接收 1 条" in page.text
    assert client.get(f"/api/v1/referrals/{referral_id}").json()["status"] == "accepted"


def test_the_referral_form_with_an_odd_offer_is_shown_again(session, client, login):
    worker, _staff, need, _offer, _referral_id = _sent_referral(session, client, login)
    login(worker)
    for odd in ODD:
        page = client.post(f"/needs/{need.id}/refer", data={"offer_id": odd, "note": "请联系"})
        assert page.status_code == 400, (odd, page.status_code)
        assert 'value="请联系"' in page.text or "请联系</textarea>" in page.text


def test_a_nul_character_anywhere_is_a_422_naming_where(session, client, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    login(worker)
    listing = client.get("/api/v1/needs?status=%00")
    assert listing.status_code == 422
    assert listing.json()["detail"][0]["loc"] == ["query", "status"]
    page = client.get("/needs?category=x%00y")
    assert page.status_code == 422 and "空字符" in page.text
    edit = client.put(f"/api/v1/needs/{need.id}", json={
        "category": "care", "title": "照料\u0000老人", "description": "需要照料"})
    assert edit.status_code == 422 and edit.json()["detail"][0]["loc"] == ["body", "title"]
    form = client.post(f"/needs/{need.id}/edit", data={"title": "照料\x00", "category": "care"})
    assert form.status_code == 422 and "空字符" in form.text
    # and text that merely shows a backslash is kept as it is
    kept = client.put(f"/api/v1/needs/{need.id}", json={
        "category": "care", "title": "照料 \\u0000", "description": "需要照料"})
    assert kept.status_code == 200 and kept.json()["title"] == "照料 \\u0000"


def test_the_hsds_export_bounds_its_page_numbers(client):
    for path in ("/api/v1/hsds/services", "/api/v1/hsds/organizations"):
        past = client.get(f"{path}?page={2**70}")
        assert past.status_code == 422 and past.json()["detail"][0]["loc"] == ["query", "page"]
        last = client.get(f"{path}?page=100000")
        assert last.status_code == 200 and last.json()["page_number"] == 100000
