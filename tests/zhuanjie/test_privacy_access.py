"""Access to personal data (issue 12), each attack performed through HTTP and refused:
who sees a household whole, what a masked ID gives away, what a suspended organisation
keeps, who may verify whom."""

from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.factories import (
    make_need,
    make_offer,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie import crypto
from zhuanjie.clock import today
from zhuanjie.models import AuditEntry, Member, Notification, Offer, Referral

ALL_FIELDS = ["name", "phone", "address", "id_number", "need_text"]


def _as(client, login, user):
    client.post("/logout")
    return login(user.username)


def _accepted_referral(session, client, login, *, fields=ALL_FIELDS, accept=True):
    """A caseworker refers a need (consent to every field); the organisation accepts."""
    worker = make_user(session, "caseworker")
    org = make_org(session, name="如皋市红十字会", service_area="南通市/如皋市")
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, coverage=("南通市/如皋市",), capacity=3)
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).one()
    _as(client, login, worker)
    sent = client.post(f"/api/v1/needs/{need.id}/referrals", json={
        "offer_id": offer.id, "note": "",
        "consent": {"member_id": member.id, "fields": list(fields),
                    "valid_until": str(today() + timedelta(days=60))},
    })
    assert sent.status_code == 201, sent.text
    referral_id = sent.json()["id"]
    if accept:
        _as(client, login, staff)
        assert client.post(f"/api/v1/referrals/{referral_id}/accept").status_code == 200
    return worker, org, staff, offer, need, member, referral_id


def _looks(session, referral_id):
    return session.exec(
        select(AuditEntry).where(AuditEntry.action == "view_consented_fields",
                                 AuditEntry.object_id == referral_id)
    ).all()


def test_only_the_receiving_organisation_sees_the_household_whole(session, client, login):
    worker, org, staff, _offer, _need, member, rid = _accepted_referral(session, client, login)
    id_number = crypto.decrypt(member.id_number_enc)

    # The organisation holding the referral: whole values, each look an audit row.
    whole = client.get(f"/api/v1/referrals/{rid}/household").json()
    assert whole["fields"]["name"] == "王建国" and whole["fields"]["id_number"] == id_number
    assert whole["fields"]["phone"] == "13912345678" and whole["masked"] is False
    page = client.get(f"/referrals/{rid}")
    assert page.status_code == 200 and id_number in page.text
    assert len(_looks(session, rid)) == 2

    # Everyone else who can open the referral: masked, and nothing whole to audit.
    supervisor = make_user(session, "supervisor", region_path="南通市")
    admin = make_user(session, "admin")
    for user in (worker, supervisor, admin):
        _as(client, login, user)
        seen = client.get(f"/api/v1/referrals/{rid}/household")
        assert seen.status_code == 200, (user.role, seen.text)
        body = seen.json()
        text = str(body)
        assert body["masked"] is True, user.role
        assert id_number not in text and "13912345678" not in text and "王建国" not in text
        assert "新华村6组28号" not in text
        assert body["fields"]["id_number"] == "*" * 14 + id_number[-4:]
        assert body["fields"]["name"] == "王*国"
    assert len(_looks(session, rid)) == 2

    # Staff of another organisation do not get in at all.
    other = make_user(session, "org_staff")
    _as(client, login, other)
    assert client.get(f"/api/v1/referrals/{rid}/household").status_code == 403


def test_a_masked_id_shows_the_last_four_and_an_age_not_a_birth_date(session, client, login):
    worker = make_user(session, "caseworker")
    _as(client, login, worker)
    number = valid_id()  # born 1960-05-17
    made = client.post("/api/v1/households", json={
        "region_path": worker.region_path, "village": "新华村", "address": "新华村6组28号",
        "phone": "13912345678", "groups": ["dibao"],
        "members": [{"name": "王建国", "id_number": number, "relation": "head"}],
    })
    assert made.status_code == 201, made.text
    hid = made.json()["id"]
    birth = number[6:14]  # YYYYMMDD
    shown = {
        "api": client.get(f"/api/v1/households/{hid}").text,
        "api list": client.get("/api/v1/households").text,
        "page": client.get(f"/households/{hid}").text,
        "list page": client.get("/households").text,
    }
    for where, text in shown.items():
        assert number[-4:] in text, where
        assert number[:6] not in text and number[:14] not in text, where  # no county prefix
        for birth_text in (birth, f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                           f"{birth[:4]}年{int(birth[4:6])}月{int(birth[6:])}日"):
            assert birth_text not in text, (where, birth_text)
    member = made.json()["members"][0]
    assert member["id_number_masked"] == "*" * 14 + number[-4:]
    assert "birth_date" not in member and member["age"] == today().year - 1960 - (
        (today().month, today().day) < (5, 17))
    assert "岁" in shown["page"]


def test_a_suspended_organisation_loses_access_and_its_referrals_go_back(session, client, login):
    worker, org, staff, offer, need, _member, rid = _accepted_referral(session, client, login)
    second = make_offer(session, org, coverage=("南通市/如皋市",), title="助医项目二")
    _as(client, login, worker)
    assert second.id in _ranked(client, need.id)
    client.post("/logout")
    assert {offer.id, second.id} <= _directory(client)
    _as(client, login, staff)
    assert client.get(f"/api/v1/referrals/{rid}/household").status_code == 200

    supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
    _as(client, login, supervisor)
    done = client.post(f"/api/v1/organisations/{org.id}/suspend",
                       json={"reason": "年检不合格，暂停服务"})
    assert done.status_code == 200, done.text

    # Its staff, still signed in, get 403 on everything that shows household data.
    _as(client, login, staff)
    for url in (f"/api/v1/referrals/{rid}/household", f"/api/v1/referrals/{rid}",
                "/api/v1/referrals", f"/referrals/{rid}", "/referrals"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/api/v1/referrals/{rid}/start").status_code == 403

    # The referral went back to the caseworker, the place was released, the caseworker told.
    session.expire_all()
    assert session.get(Referral, rid).status == "withdrawn"
    assert session.get(Offer, offer.id).places_taken == 0
    told = session.exec(select(Notification).where(Notification.user_id == worker.id,
                                                   Notification.kind == "referral_returned")
                        ).all()
    assert len(told) == 1 and "暂停" in told[0].body
    _as(client, login, worker)
    assert client.get(f"/api/v1/needs/{need.id}").json()["status"] == "open"

    # Its offers left matching and the directory.
    assert not {offer.id, second.id} & _ranked(client, need.id)
    client.post("/logout")
    assert not {offer.id, second.id} & _directory(client)


def _ranked(client, need_id):
    body = client.get(f"/api/v1/needs/{need_id}/matches")
    assert body.status_code == 200, body.text
    return {m["offer_id"] for m in body.json()["ranked"]}


def _directory(client):
    listed = client.get("/api/v1/offers?size=100")
    assert listed.status_code == 200, listed.text
    return {o["id"] for o in listed.json()["items"]}


def test_a_rejected_organisation_s_staff_see_no_household(session, client, login):
    org = make_org(session, status="pending", service_area="南通市/如皋市")
    staff = make_user(session, "org_staff", organisation_id=org.id)
    admin = make_user(session, "admin")
    _as(client, login, admin)
    assert client.post(f"/api/v1/organisations/{org.id}/reject",
                       json={"reason": "材料不全"}).status_code == 200
    _as(client, login, staff)
    assert client.get("/api/v1/referrals").status_code == 403
    assert client.get("/referrals").status_code == 403


def test_a_supervisor_decides_only_on_organisations_of_their_region(session, client, login):
    haian_org = make_org(session, status="pending", service_area="南通市/海安市")
    city_org = make_org(session, status="pending", service_area=None)
    rugao_org = make_org(session, status="pending", service_area="南通市/如皋市")
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    _as(client, login, rugao)
    for org in (haian_org, city_org):
        for action in ("verify", "reject"):
            r = client.post(f"/api/v1/organisations/{org.id}/{action}",
                            json={"reason": "越权操作"})
            assert r.status_code == 403, (org.service_area, action, r.text)
        page = client.post(f"/organisations/{org.id}/decide/verify", data={"reason": ""})
        assert page.status_code == 403
    assert client.post(f"/api/v1/organisations/{rugao_org.id}/verify").status_code == 200
    verified_elsewhere = make_org(session, service_area="南通市/海安市")
    assert client.post(f"/api/v1/organisations/{verified_elsewhere.id}/suspend",
                       json={"reason": "越权"}).status_code == 403
    admin = make_user(session, "admin")
    _as(client, login, admin)
    assert client.post(f"/api/v1/organisations/{haian_org.id}/verify").status_code == 200
    assert client.post(f"/api/v1/organisations/{city_org.id}/verify").status_code == 200


# --- consent withdrawal, 公示 with its own consent --------------------------------------------


def _publish(client, need, member, *, display: bool):
    r = client.post(f"/api/v1/needs/{need.id}/publication", json={
        "title": "白蒲镇一户低保家庭的求助",
        "story": "户主长期患病，每周需要透析三次，医保报销后自付部分仍难以承担，孩子正在上学。",
        "region_path": need.region_path, "category": "medical", "urgency": 2,
        "amount_goal": "5000", "consent_member_id": member.id,
        "consent_valid_until": str(today() + timedelta(days=90)),
        "consent_display": display,
    })
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _give(session, client, login, worker, pub_id, amount="500"):
    donor = make_user(session, "donor")
    _as(client, login, donor)
    made = client.post("/api/v1/pledges", json={"publication_id": pub_id, "kind": "money",
                                                "amount": amount})
    assert made.status_code == 201, made.text
    _as(client, login, worker)
    pledge_id = made.json()["id"]
    assert client.post(f"/api/v1/pledges/{pledge_id}/confirm").status_code == 200
    done = client.post(f"/api/v1/pledges/{pledge_id}/deliver",
                       json={"thank_you_note": "善款已转交，谢谢您。"})
    assert done.status_code == 200, done.text


def test_a_withdrawn_consent_ends_what_the_organisation_and_the_public_see(
    session, client, login
):
    from zhuanjie.donors import cache

    cache.clear()
    worker, _org, staff, offer, need, member, rid = _accepted_referral(session, client, login)
    _as(client, login, worker)
    pub_id = _publish(client, need, member, display=True)
    _give(session, client, login, worker, pub_id)
    client.post("/logout")
    assert "王*国" in client.get("/board/display/如皋市").text
    assert client.get(f"/board/{pub_id}").status_code == 200
    _as(client, login, staff)
    assert client.get(f"/api/v1/referrals/{rid}/household").json()["fields"]["name"] == "王建国"

    # The caseworker records the withdrawal from the need's page: reason required.
    _as(client, login, worker)
    page = client.get(f"/needs/{need.id}/consents")
    assert page.status_code == 200 and "登记撤回授权" in page.text
    assert 'for="f-reason"' in page.text
    empty = client.post(f"/needs/{need.id}/consents/withdraw", data={"reason": ""})
    assert empty.status_code == 400 and 'id="err-reason"' in empty.text
    done = client.post(f"/needs/{need.id}/consents/withdraw",
                       data={"reason": "户主不愿再让机构和公众知道家中情况"},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    listed = client.get(f"/api/v1/needs/{need.id}/consents").json()
    assert listed and all(c["revoked_at"] and not c["live"] for c in listed)
    assert {c["revoked_by"] for c in listed} == {worker.display_name}
    assert {c["revoke_reason"] for c in listed} == {"户主不愿再让机构和公众知道家中情况"}
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "consent_withdrawn",
                                                 AuditEntry.actor_id == worker.id)).all()
    again = client.post(f"/api/v1/needs/{need.id}/consents/withdraw", json={"reason": "再次"})
    assert again.status_code == 409

    # The organisation sees nothing more; its referral came back, the place released.
    _as(client, login, staff)
    view = client.get(f"/api/v1/referrals/{rid}/household").json()
    assert view["consent_valid"] is False and view["fields"] == {}
    assert "王建国" not in client.get(f"/referrals/{rid}").text
    session.expire_all()
    assert session.get(Referral, rid).status == "withdrawn"
    assert session.get(Offer, offer.id).places_taken == 0
    told = session.exec(select(Notification).where(Notification.user_id == staff.id,
                                                   Notification.kind == "consent_withdrawn")
                        ).all()
    assert len(told) == 1 and "王" not in told[0].body

    # The publication is down and the 公示 entry gone.
    client.post("/logout")
    cache.clear()
    assert client.get(f"/board/{pub_id}").status_code == 404
    shown = client.get("/api/v1/board/display/如皋市").json()
    assert shown["recipients"] == [] and shown["total_count"] == 1  # the sum names nobody
    assert "王*国" not in client.get("/board/display/如皋市").text


def test_gongshi_lists_only_with_a_display_consent_masked_and_paginated(session, client, login):
    from zhuanjie.donors import cache
    from zhuanjie.donors.display import RECIPIENTS_PER_PAGE

    cache.clear()
    worker = make_user(session, "caseworker")
    names = ["李秀英", "张志强", "陈桂兰"]
    pubs = []
    for i, name in enumerate(names * 8):  # 24 households, one without consent to display
        need = make_need(session, worker, household=_household(session, worker, name, i))
        member = session.exec(select(Member).where(Member.household_id == need.household_id)
                              ).one()
        _as(client, login, worker)
        pubs.append(_publish(client, need, member, display=i != 0))
    for pub_id in pubs:
        _give(session, client, login, worker, pub_id, amount="100")
    client.post("/logout")
    cache.clear()

    first = client.get("/api/v1/board/display/如皋市").json()
    assert first["total_count"] == 24 and first["recipients_total"] == 23
    assert len(first["recipients"]) == RECIPIENTS_PER_PAGE == 20 and first["pages"] == 2
    second = client.get("/api/v1/board/display/如皋市?page=2").json()
    assert len(second["recipients"]) == 3 and second["page"] == 2
    rows = first["recipients"] + second["recipients"]
    assert set(rows[0]) == {"masked_name", "township", "category", "month"}
    assert {r["township"] for r in rows} == {"白蒲镇"} and {r["category"] for r in rows} == {
        "医疗救助"}
    assert sorted(r["masked_name"] for r in rows).count("李*英") == 7  # household 0 said no
    page = client.get("/board/display/如皋市?page=2")
    assert page.status_code == 200 and "第 2/2 页" in page.text and "上一页" in page.text
    for text in (page.text, client.get("/board/display/如皋市").text, str(rows)):
        assert not any(n in text for n in names) and "新华村" not in text


def _household(session, worker, name, i):
    from tests.zhuanjie.factories import make_household

    return make_household(session, worker, members=[
        {"name": name, "id_number": valid_id(), "relation": "head"}],
        phone=f"139{i:08d}")


# --- private donors are people --------------------------------------------------------------


def test_a_person_donor_never_appears_on_public_pages_or_apis(session, client, login):
    r = client.post("/donor/register", data={
        "donor_type": "person", "display_name": "赵丽华", "username": "zhao_lihua",
        "password": "Zhao-2026-lihua", "contact_phone": "13705550123"},
        follow_redirects=False)
    assert r.status_code == 303, r.text
    offer_form = {
        "title": "每月资助一名困难学生生活费", "description": "每月资助一名困难学生生活费300元，"
        "联系我 13705550123。", "mode": "cash", "categories": ["education"],
        "coverage": ["南通市/如皋市"], "capacity": "1", "contact": "赵女士 13705550123"}
    refused = client.post("/donor/offers/new", data=offer_form)
    assert refused.status_code == 400 and 'id="err-description"' in refused.text
    offer_form["description"] = "每月资助一名困难学生生活费300元，直至其完成学业。"
    made = client.post("/donor/offers/new", data=offer_form, follow_redirects=False)
    assert made.status_code == 303
    offer = session.exec(select(Offer).where(Offer.title == "每月资助一名困难学生生活费")).one()
    person = offer.organisation_id
    body = make_org(session, name="如皋市爱心企业联合会", contact_phone="0513-87650000",
                    contact_name="秘书处 钱明")
    admin = make_user(session, "admin")
    _as(client, login, admin)
    assert client.post(f"/api/v1/reviews/offers/{offer.id}",
                       json={"decision": "approve"}).json()["status"] == "published"
    client.post("/logout")

    urls = [f"/organisations/{person}", f"/api/v1/organisations/{person}",
            "/api/v1/hsds/organizations?per_page=100", "/api/v1/hsds/services?per_page=100",
            "/directory", "/api/v1/offers?size=100", f"/offers/{offer.id}",
            f"/api/v1/offers/{offer.id}", f"/organisations/{body.id}"]
    seen = {}
    for url in urls:
        got = client.get(url)
        assert got.status_code in (200, 404), (url, got.status_code)
        seen[url] = got.text
    assert seen[f"/organisations/{person}"] and "赵丽华" not in seen[f"/organisations/{person}"]
    for url, text in seen.items():
        assert "赵丽华" not in text and "13705550123" not in text, url
        assert "赵女士" not in text, url
    # The offer itself is public, and an organisation's own contacts stay public.
    assert "每月资助一名困难学生生活费" in seen["/api/v1/offers?size=100"]
    assert "每月资助一名困难学生生活费" in seen["/api/v1/hsds/services?per_page=100"]
    assert "0513-87650000" in seen[f"/organisations/{body.id}"]
    assert "0513-87650000" in seen["/api/v1/hsds/organizations?per_page=100"]


def test_every_whole_value_any_role_reads_is_an_audit_row(session, client, login):
    """Every page and API showing the household, as each role: a response that holds a
    whole ID number, phone or address was written to the audit log by that request."""
    worker, _org, staff, _offer, need, member, rid = _accepted_referral(session, client, login)
    hid = need.household_id
    whole = [crypto.decrypt(member.id_number_enc), "13912345678", "新华村6组28号"]
    urls = ["/households", f"/households/{hid}", f"/households/{hid}/edit",
            "/api/v1/households", f"/api/v1/households/{hid}", f"/needs/{need.id}",
            f"/api/v1/needs/{need.id}", f"/needs/{need.id}/consents",
            f"/api/v1/needs/{need.id}/consents", f"/needs/{need.id}/publish",
            f"/needs/{need.id}/matches", f"/api/v1/needs/{need.id}/timeline", "/referrals",
            "/api/v1/referrals", f"/referrals/{rid}", f"/api/v1/referrals/{rid}",
            f"/api/v1/referrals/{rid}/household", "/notifications", "/"]
    people = [worker, staff, make_user(session, "supervisor", region_path="南通市"),
              make_user(session, "admin")]
    shown_whole = 0
    for user in people:
        _as(client, login, user)
        for url in urls:
            before = len(session.exec(select(AuditEntry.id)).all())
            r = client.get(url)
            assert r.status_code < 500, (user.role, url)
            if r.status_code != 200 or not any(v in r.text for v in whole):
                continue
            shown_whole += 1
            after = session.exec(select(AuditEntry).where(AuditEntry.actor_id == user.id)
                                 .order_by(AuditEntry.id.desc())).all()
            assert len(session.exec(select(AuditEntry.id)).all()) > before, (user.role, url)
            assert after and after[0].object_id in (hid, rid), (user.role, url)
    assert shown_whole >= 3  # the edit page (caseworker, admin) and the organisation's view
