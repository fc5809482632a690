"""The referral flow through the API, as a caseworker and an organisation would use it."""

from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    make_need,
    make_offer,
    make_org,
    make_user,
)
from zhuanjie.clock import today
from zhuanjie.models import AuditEntry, Member, Notification, Offer, ReferralEvent


def _setup(session, capacity=5, fields=("name", "phone", "need_text")):
    worker = make_user(session, "caseworker")
    org = make_org(session, name="如皋市红十字会")
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, coverage=("南通市/如皋市",), capacity=capacity)
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    body = {
        "offer_id": offer.id,
        "note": "急需透析费用",
        "consent": {
            "member_id": member.id,
            "fields": list(fields),
            "valid_until": str(today() + timedelta(days=60)),
        },
    }
    return worker, staff, offer, need, body



def test_send_accept_deliver_and_the_need_follows(session, client, login):
    worker, staff, offer, need, body = _setup(session)
    login(worker)
    sent = client.post(f"/api/v1/needs/{need.id}/referrals", json=body)
    assert sent.status_code == 201, sent.text
    referral_id = sent.json()["id"]
    assert sent.json()["status"] == "sent" and sent.json()["respond_by_at"]
    assert client.get(f"/api/v1/needs/{need.id}").json()["status"] == "referred"

    login(staff)
    inbox = client.get("/api/v1/referrals?box=new").json()
    assert [r["id"] for r in inbox["items"]] == [referral_id] and inbox["counts"]["new"] == 1
    told = session.exec(select(Notification).where(Notification.user_id == staff.id)).all()
    assert [n.kind for n in told] == ["referral_received"]
    before = client.get(f"/api/v1/referrals/{referral_id}/household").json()
    assert before["fields"]["name"] == "王*国" and "need_text" in before["fields"]
    assert "phone" in before["fields"] and "13912345678" not in str(before)

    accepted = client.post(f"/api/v1/referrals/{referral_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    session.expire_all()
    assert session.get(Offer, offer.id).places_taken == 1
    after = client.get(f"/api/v1/referrals/{referral_id}/household").json()
    assert after["fields"]["name"] == "王建国" and after["fields"]["phone"] == "13912345678"
    assert "id_number" not in after["fields"] and "address" not in after["fields"]
    looked = session.exec(
        select(AuditEntry).where(AuditEntry.action == "view_consented_fields")
    ).all()
    assert [e.actor_id for e in looked] == [staff.id]

    delivered = client.post(
        f"/api/v1/referrals/{referral_id}/deliver",
        json={"delivery_date": str(today()), "what": "发放透析救助金", "amount": "3000"},
    )
    assert delivered.status_code == 200 and delivered.json()["delivery_amount"] == "3000.00"

    login(worker)
    timeline = [e["what"] for e in client.get(f"/api/v1/needs/{need.id}/timeline").json()]
    assert timeline[0].startswith("登记需求")
    assert any("已发送" in t for t in timeline) and any("已接收" in t for t in timeline)
    assert any("已送达" in t for t in timeline)
    kinds = [
        n.kind
        for n in session.exec(
            select(Notification).where(Notification.user_id == worker.id).order_by(Notification.id)
        )
    ]
    assert kinds == ["referral_accepted", "referral_delivered"]
    events = session.exec(
        select(ReferralEvent.to_status)
        .where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.id)
    ).all()
    assert events == ["sent", "accepted", "delivered"]


def test_no_referral_without_consent(session, client, login):
    worker, _staff, _offer, need, body = _setup(session)
    login(worker)
    missing = client.post(f"/api/v1/needs/{need.id}/referrals", json={"offer_id": body["offer_id"]})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "consent"]
    empty = client.post(
        f"/api/v1/needs/{need.id}/referrals",
        json=body | {"consent": body["consent"] | {"fields": []}},
    )
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "consent", "fields"]
    stale = client.post(
        f"/api/v1/needs/{need.id}/referrals",
        json=body
        | {"consent": body["consent"] | {"valid_until": str(today() - timedelta(days=1))}},
    )
    assert stale.status_code == 422
    assert stale.json()["detail"][0]["loc"] == ["body", "consent.valid_until"]
    assert client.get(f"/api/v1/needs/{need.id}").json()["status"] == "open"


def test_an_offer_outside_its_rules_cannot_be_referred_to(session, client, login):
    worker, _staff, _offer, need, body = _setup(session)
    far = make_offer(session, coverage=(HAIAN_TOWN,))
    login(worker)
    response = client.post(f"/api/v1/needs/{need.id}/referrals", json=body | {"offer_id": far.id})
    assert response.status_code == 422
    assert "不在服务范围" in response.json()["detail"][0]["msg"]


def test_decline_puts_the_need_back_with_that_offer_set_aside(session, client, login):
    worker, staff, offer, need, body = _setup(session)
    login(worker)
    referral_id = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    login(staff)
    bad = client.post(f"/api/v1/referrals/{referral_id}/decline", json={"reason": "why"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["msg"] == "请选择拒绝原因"
    declined = client.post(
        f"/api/v1/referrals/{referral_id}/decline",
        json={"reason": "ineligible", "note": "户籍不符"},
    )
    assert declined.json()["status"] == "declined"
    again = client.post(f"/api/v1/referrals/{referral_id}/accept")
    assert again.status_code == 409 and "已拒绝" in again.json()["detail"]

    login(worker)
    assert client.get(f"/api/v1/needs/{need.id}").json()["status"] == "open"
    matches = client.get(f"/api/v1/needs/{need.id}/matches").json()
    assert offer.id not in [m["offer_id"] for m in matches["ranked"]]
    assert {"offer_id": offer.id, "title": offer.title, "state": "该机构已拒绝"} in matches[
        "referred"
    ]
    told = session.exec(select(Notification).where(Notification.user_id == worker.id)).all()
    assert [n.title for n in told] == ["转介被拒绝（不符合条件）"]


def test_withdrawing_an_accepted_referral_gives_the_place_back(session, client, login):
    worker, staff, offer, need, body = _setup(session)
    login(worker)
    referral_id = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    login(staff)
    client.post(f"/api/v1/referrals/{referral_id}/accept")
    login(worker)
    withdrawn = client.post(
        f"/api/v1/referrals/{referral_id}/withdraw", json={"note": "已由政府救助"}
    )
    assert withdrawn.json()["status"] == "withdrawn"
    session.expire_all()
    assert session.get(Offer, offer.id).places_taken == 0
    assert client.get(f"/api/v1/needs/{need.id}").json()["status"] == "open"


def test_failing_after_acceptance_gives_the_place_back(session, client, login):
    worker, staff, offer, need, body = _setup(session)
    login(worker)
    referral_id = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    login(staff)
    client.post(f"/api/v1/referrals/{referral_id}/accept")
    client.post(f"/api/v1/referrals/{referral_id}/start")
    failed = client.post(f"/api/v1/referrals/{referral_id}/fail", json={"note": "联系不上家属"})
    assert failed.json()["status"] == "failed"
    session.expire_all()
    assert session.get(Offer, offer.id).places_taken == 0


def test_the_last_place_goes_to_one_referral_only(session, client, login):
    worker, staff, offer, need, body = _setup(session, capacity=1)
    other_need = make_need(session, worker, title="化疗费用", description="乳腺癌术后化疗")
    member = session.exec(
        select(Member).where(Member.household_id == other_need.household_id)
    ).first()
    login(worker)
    first = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    second = client.post(
        f"/api/v1/needs/{other_need.id}/referrals",
        json=body | {"consent": body["consent"] | {"member_id": member.id}},
    ).json()["id"]
    login(staff)
    assert client.post(f"/api/v1/referrals/{first}/accept").status_code == 200
    refused = client.post(f"/api/v1/referrals/{second}/accept")
    assert refused.status_code == 409 and refused.json()["detail"] == "名额已满"
    assert client.get(f"/api/v1/referrals/{second}").json()["status"] == "sent"
    session.expire_all()
    assert session.get(Offer, offer.id).places_taken == 1


def test_bulk_accept_reports_each_referral(session, client, login):
    worker, staff, _offer, need, body = _setup(session, capacity=1)
    other_need = make_need(session, worker, title="住院押金", description="脑梗住院需交押金")
    member = session.exec(
        select(Member).where(Member.household_id == other_need.household_id)
    ).first()
    login(worker)
    ids = [
        client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"],
        client.post(
            f"/api/v1/needs/{other_need.id}/referrals",
            json=body | {"consent": body["consent"] | {"member_id": member.id}},
        ).json()["id"],
    ]
    login(staff)
    result = client.post("/api/v1/referrals/bulk-accept", json={"referral_ids": ids}).json()
    assert result["accepted"] == [ids[0]] and result["refused"] == {str(ids[1]): "名额已满"}


def test_organisations_see_only_their_own_referrals(session, client, login):
    worker, _staff, _offer, need, body = _setup(session)
    stranger = make_user(session, "org_staff")
    login(worker)
    referral_id = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    login(stranger)
    assert client.get("/api/v1/referrals").json()["items"] == []
    for path in (
        f"/api/v1/referrals/{referral_id}",
        f"/api/v1/referrals/{referral_id}/household",
        f"/referrals/{referral_id}",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/api/v1/referrals/{referral_id}/accept").status_code == 403
    assert client.get(f"/api/v1/needs/{need.id}").status_code == 403


def test_expired_consent_shows_nothing(session, client, login):
    worker, staff, _offer, need, body = _setup(session)
    login(worker)
    referral_id = client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"]
    from zhuanjie.models import Consent, Referral

    consent = session.get(Consent, session.get(Referral, referral_id).consent_id)
    consent.valid_until = today() - timedelta(days=1)
    session.add(consent)
    session.commit()
    login(staff)
    view = client.get(f"/api/v1/referrals/{referral_id}/household").json()
    assert view == {"consent_valid": False, "consent_until": str(consent.valid_until),
                    "fields": {}, "masked": True}


def test_the_inbox_page_accepts_a_ticked_list_and_says_what_was_refused(session, client, login):
    worker, staff, _offer, need, body = _setup(session, capacity=1)
    other_need = make_need(session, worker, title="住院押金", description="脑梗住院需交押金")
    member = session.exec(
        select(Member).where(Member.household_id == other_need.household_id)
    ).first()
    login(worker)
    ids = [
        client.post(f"/api/v1/needs/{need.id}/referrals", json=body).json()["id"],
        client.post(
            f"/api/v1/needs/{other_need.id}/referrals",
            json=body | {"consent": body["consent"] | {"member_id": member.id}},
        ).json()["id"],
    ]
    login(staff)
    inbox = client.get("/referrals?box=new")
    assert "待答复（2）" in inbox.text and "尿毒症透析费用负担重" in inbox.text
    page = client.post("/referrals/bulk-accept", data={"referral_ids": [str(i) for i in ids]})
    assert f"已接收 1 条；#{ids[1]} 未接收：名额已满" in page.text
    assert "待答复（1）" in page.text


def test_closing_a_need_with_a_live_referral_is_refused_at_the_field(session, client, login):
    worker, _staff, _offer, need, body = _setup(session)
    login(worker)
    client.post(f"/api/v1/needs/{need.id}/referrals", json=body)
    page = client.post(f"/needs/{need.id}/close", data={"outcome": "met", "note": "已解决"})
    assert page.status_code == 400
    assert 'id="err-outcome">还有进行中的转介，请先完成或撤回' in page.text
    assert "已解决" in page.text


def test_a_caseworkers_referral_list_counts_every_referral_in_scope(session, client, login):
    worker, _staff, _offer, need, body = _setup(session)
    login(worker)
    client.post(f"/api/v1/needs/{need.id}/referrals", json=body)
    page = client.get("/referrals")
    assert "共 1 条<" in page.text and "下一页" not in page.text
    assert "尿毒症透析费用负担重" in page.text
