"""Pledges through the API and the pages: the amount still needed, confirm into a referral,
delivery with a thank-you note, the donor's own page and download."""

from sqlmodel import select

from tests.zhuanjie.factories import make_user, publish_need
from zhuanjie.models import (
    FollowUp,
    Need,
    NeedPublication,
    Notification,
    Offer,
    Referral,
    ReferralEvent,
)


def _pledge(client, pub_id, amount="500", kind="money", **extra):
    body = {"publication_id": pub_id, "kind": kind, **extra}
    if amount is not None:
        body["amount"] = amount
    return client.post("/api/v1/pledges", json=body)


def test_pledge_confirm_deliver_and_the_donor_sees_the_outcome(session, client, login):
    worker, need, pub = publish_need(session, client, login)
    donor = make_user(session, "donor", display_name="爱心人士王先生")
    login(donor)
    made = _pledge(client, pub["id"], "500", message="祝早日康复")
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "pending"
    assert client.get(f"/api/v1/board/{pub['id']}").json()["amount_remaining"] == "4500.00"
    told = session.exec(select(Notification).where(Notification.user_id == worker.id)).all()
    assert any(n.kind == "pledge_received" and "500 元" in n.body for n in told)

    login(worker)
    page = client.get(f"/needs/{need.id}/publication")
    assert "爱心人士王先生" in page.text and "确认认捐" in page.text
    r = client.post(f"/pledges/{made.json()['id']}/confirm", follow_redirects=False)
    assert r.status_code == 303
    session.expire_all()
    referral = session.exec(select(Referral).where(Referral.pledge_id == made.json()["id"])).one()
    assert referral.status == "accepted" and referral.holds_place
    publication = session.get(NeedPublication, pub["id"])
    assert referral.consent_id == publication.consent_id and referral.sent_by_id == worker.id
    offer = session.get(Offer, referral.offer_id)
    assert offer.status == "closed" and offer.title.startswith("认捐：")
    events = session.exec(
        select(ReferralEvent.to_status).where(ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.id)
    ).all()
    assert events == ["sent", "accepted"]
    assert session.get(Need, need.id).status == "in_service"

    # A thank-you note that names the family is refused at the field, text kept.
    bad = client.post(f"/pledges/{made.json()['id']}/deliver",
                      data={"thank_you_note": "王建国一家非常感谢您"})
    assert bad.status_code == 400 and 'id="err-thank_you_note"' in bad.text
    assert "王建国一家非常感谢您" in bad.text
    ok = client.post(f"/pledges/{made.json()['id']}/deliver",
                     data={"thank_you_note": "善款已转交，全家托我们向您表示感谢！"},
                     follow_redirects=False)
    assert ok.status_code == 303
    session.expire_all()
    referral = session.get(Referral, referral.id)
    assert referral.status == "delivered" and referral.delivery_amount == 500
    visits = session.exec(select(FollowUp).where(FollowUp.referral_id == referral.id)).all()
    assert len(visits) == 2  # follow-ups after delivery, as for any referral

    login(donor)
    mine = client.get("/donor/pledges")
    assert "已送达" in mine.text and "全家托我们向您表示感谢" in mine.text
    kinds = [n.kind for n in session.exec(
        select(Notification).where(Notification.user_id == donor.id).order_by(Notification.id)
    )]
    assert kinds == ["pledge_confirmed", "pledge_delivered"]
    csv = client.get("/donor/pledges.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "500.00" in csv.text and "已送达" in csv.text and pub["title"] in csv.text


def test_more_than_still_needed_is_refused_with_the_most_one_can_give(session, client, login):
    _worker, _need, pub = publish_need(session, client, login, amount_goal="1000")
    donor = make_user(session, "donor")
    login(donor)
    assert _pledge(client, pub["id"], "800").status_code == 201
    r = _pledge(client, pub["id"], "300")
    assert r.status_code == 409
    assert r.json()["detail"][0]["loc"] == ["body", "amount"]
    assert "最多还可认捐 200 元" in r.json()["detail"][0]["msg"]
    page = client.post(f"/board/{pub['id']}/pledge", data={"kind": "money", "amount": "300"})
    assert page.status_code == 400 and "最多还可认捐 200 元" in page.text
    assert 'value="300"' in page.text
    assert _pledge(client, pub["id"], "200").status_code == 201
    full = _pledge(client, pub["id"], "1")
    assert full.status_code == 409 and "已筹满" in full.json()["detail"][0]["msg"]
    assert client.get(f"/api/v1/board/{pub['id']}").json()["amount_remaining"] == "0.00"


def test_declined_and_cancelled_pledges_give_the_amount_back(session, client, login):
    worker, _need, pub = publish_need(session, client, login, amount_goal="1000")
    donor = make_user(session, "donor")
    login(donor)
    first = _pledge(client, pub["id"], "600").json()
    second = _pledge(client, pub["id"], "400").json()
    assert client.post(f"/api/v1/pledges/{first['id']}/cancel").json()["status"] == "cancelled"
    assert client.get(f"/api/v1/board/{pub['id']}").json()["amount_remaining"] == "600.00"
    again = client.post(f"/api/v1/pledges/{first['id']}/cancel")
    assert again.status_code == 409  # given back once only
    login(worker)
    r = client.post(f"/api/v1/pledges/{second['id']}/decline", json={"note": "已由政府救助解决"})
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert client.get(f"/api/v1/board/{pub['id']}").json()["amount_remaining"] == "1000.00"
    told = session.exec(select(Notification).where(Notification.user_id == donor.id)).all()
    assert [n.kind for n in told] == ["pledge_declined"] and told[0].body == "已由政府救助解决"


def test_goods_and_time_pledges_and_bad_input(session, client, login):
    _worker, _need, pub = publish_need(session, client, login)
    donor = make_user(session, "donor")
    login(donor)
    assert _pledge(client, pub["id"], None, kind="goods", goods="冬被两床").status_code == 201
    assert _pledge(client, pub["id"], None, kind="time", hours=8).status_code == 201
    missing = _pledge(client, pub["id"], None, kind="goods")
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "goods"]
    negative = _pledge(client, pub["id"], "-5")
    assert negative.status_code == 422 and negative.json()["detail"][0]["loc"][-1] == "amount"
    assert client.get(f"/api/v1/board/{pub['id']}").json()["amount_remaining"] == "5000.00"


def test_only_donors_pledge_and_only_the_region_decides(session, client, login):
    _worker, _need, pub = publish_need(session, client, login)
    r = _pledge(client, pub["id"], "100")  # the caseworker is still signed in
    assert r.status_code == 403
    donor = make_user(session, "donor")
    login(donor)
    made = _pledge(client, pub["id"], "100").json()
    other = make_user(session, "caseworker", region_path="南通市/海安市/城东镇")
    login(other)
    assert client.post(f"/api/v1/pledges/{made['id']}/confirm").status_code == 403
    client.post("/logout")
    page = client.get(f"/board/{pub['id']}")
    assert "登记为爱心人士并认捐" in page.text
    anon = client.post(f"/board/{pub['id']}/pledge", data={"kind": "money", "amount": "10"},
                       follow_redirects=False)
    assert anon.status_code == 303 and anon.headers["location"].startswith("/login")


def test_a_person_registers_as_donor_and_is_signed_in(session, client):
    r = client.post("/donor/register", data={
        "donor_type": "person", "display_name": "李女士", "username": "li_donor",
        "password": "A-good-password", "next": "/board"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/board"
    home = client.get("/")
    assert "我的认捐" in home.text and "李女士" in home.text
    bad = client.post("/donor/register", data={
        "donor_type": "company", "display_name": "张经理", "company_name": "",
        "username": "li_donor", "password": "short"})
    assert bad.status_code == 400 and "张经理" in bad.text and "企业" in bad.text
