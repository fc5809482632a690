"""Offers as organisation staff and caseworkers meet them: create, edit, publish, capacity."""

from datetime import date, timedelta

from sqlmodel import select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    RUGAO,
    RUGAO_TOWN,
    accept_referral,
    make_household,
    make_user,
    offer_payload,
    post_offer,
)
from zhuanjie.clock import today
from zhuanjie.models import OfferRevision
from zhuanjie.offers import capacity
from zhuanjie.offers import service as offers


def test_staff_create_a_draft_then_publish_and_caseworkers_see_it(session, login):
    staff = make_user(session, "org_staff")
    client = login(staff.username)
    created = client.post("/api/v1/offers", json=offer_payload())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft" and body["places_remaining"] == 3
    assert body["coverage"] == [RUGAO] and body["organisation_verified"] is True
    published = client.post(f"/api/v1/offers/{body['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    client.post("/logout")
    caseworker = make_user(session, "caseworker")
    client = login(caseworker.username)
    page = client.get(f"/offers/{body['id']}")
    assert page.status_code == 200
    assert "困境儿童助学金" in page.text and 'id="remaining">3<' in page.text


def test_an_unverified_organisation_keeps_drafts_only(session, login):
    staff = make_user(session, "org_staff")
    from zhuanjie.models import Organisation

    org = session.get(Organisation, staff.organisation_id)
    org.status = "pending"
    session.add(org)
    session.commit()
    client = login(staff.username)
    offer_id = client.post("/api/v1/offers", json=offer_payload()).json()["id"]
    refused = client.post(f"/api/v1/offers/{offer_id}/publish")
    assert refused.status_code == 409
    assert "通过认证后才能发布" in refused.json()["detail"]
    page = client.post(f"/offers/{offer_id}/publish")
    assert page.status_code == 409 and "通过认证后才能发布" in page.text


def test_every_change_is_kept_as_history(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    client = login(staff.username)
    response = client.patch(f"/api/v1/offers/{offer.id}",
                            json={"capacity": 5, "title": "困境儿童助学金（2027春季）"})
    assert response.status_code == 200 and response.json()["capacity"] == 5
    history = client.get(f"/api/v1/offers/{offer.id}/revisions").json()
    latest = history[0]
    assert latest["changes"]["capacity"] == [3, 5]
    assert latest["changes"]["title"] == ["困境儿童助学金", "困境儿童助学金（2027春季）"]
    assert latest["actor_name"] == staff.display_name
    assert [h["changes"].get("status") for h in history[1:]] == [
        ["draft", "published"], [None, "draft"]]
    page = client.get(f"/offers/{offer.id}")
    assert "修改记录" in page.text and "困境儿童助学金（2027春季）" in page.text
    assert "<strong>名额</strong>：3 → 5" in page.text
    assert "<strong>状态</strong>：草稿 → 已发布" in page.text


def test_coverage_changes_are_history_too_and_the_links_follow(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    client = login(staff.username)
    response = client.patch(f"/api/v1/offers/{offer.id}", json={"coverage": [HAIAN_TOWN]})
    assert response.json()["coverage"] == [HAIAN_TOWN]
    revision = session.exec(select(OfferRevision).where(OfferRevision.offer_id == offer.id)
                            .order_by(OfferRevision.id.desc())).first()
    assert revision.changes == {"coverage": [[RUGAO], [HAIAN_TOWN]]}


def test_capacity_cannot_go_below_the_places_already_taken(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    caseworker = make_user(session, "caseworker")
    accept_referral(session, offer, caseworker)
    accept_referral(session, offer, caseworker)
    client = login(staff.username)
    response = client.patch(f"/api/v1/offers/{offer.id}", json={"capacity": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "capacity"]
    assert "不能少于已接收的 2 人" in response.json()["detail"][0]["msg"]


def test_after_three_accepted_referrals_the_offer_leaves_matching_and_shows_zero(session, login):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff)
    caseworker = make_user(session, "caseworker")
    assert offer.id in [o.id for o in offers.matchable_offers(session, on=today())]
    for _ in range(3):
        accept_referral(session, offer, caseworker)
    assert offer.id not in [o.id for o in offers.matchable_offers(session, on=today())]
    session.refresh(offer)
    (engine,) = offers.engine_offers(session, [offer])
    assert engine.capacity_remaining == 0
    client = login(caseworker.username)
    page = client.get(f"/offers/{offer.id}")
    assert 'id="remaining">0<' in page.text and "名额已满" in page.text
    api = client.get(f"/api/v1/offers/{offer.id}").json()
    assert api["places_remaining"] == 0 and api["places_taken"] == 3
    fourth = make_household(session, caseworker)
    assert fourth.id  # a fourth acceptance is refused by the capacity guard
    import pytest

    from zhuanjie.errors import Conflict

    with pytest.raises(Conflict):
        capacity.take_place(session, offer.id)


def test_an_offer_whose_window_ended_stops_being_matchable_untouched(session):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff, valid_from=str(today() - timedelta(days=30)),
                       valid_until=str(today() + timedelta(days=2)))
    assert offer.id in [o.id for o in offers.matchable_offers(session, on=today())]
    later = today() + timedelta(days=3)
    assert offer.id not in [o.id for o in offers.matchable_offers(session, on=later)]
    not_yet = post_offer(session, staff, valid_from=str(today() + timedelta(days=5)),
                         valid_until=str(today() + timedelta(days=50)))
    ids = [o.id for o in offers.matchable_offers(session, on=today())]
    assert not_yet.id not in ids


def test_paused_closed_drafts_and_suspended_organisations_are_not_matchable(session):
    staff = make_user(session, "org_staff")
    draft = post_offer(session, staff, publish=False)
    paused = post_offer(session, staff)
    offers.change_status(session, actor=staff, offer_id=paused.id, action="pause")
    closed = post_offer(session, staff)
    offers.change_status(session, actor=staff, offer_id=closed.id, action="close")
    other_staff = make_user(session, "org_staff")
    live = post_offer(session, other_staff)
    ids = [o.id for o in offers.matchable_offers(session, on=today())]
    assert live.id in ids and not {draft.id, paused.id, closed.id} & set(ids)
    from zhuanjie.models import Organisation

    org = session.get(Organisation, other_staff.organisation_id)
    org.status = "suspended"
    session.add(org)
    session.commit()
    assert live.id not in [o.id for o in offers.matchable_offers(session, on=today())]


def test_engine_records_carry_the_offer_for_matching(session):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff, income_ceiling="1200.50")
    (record,) = offers.engine_offers(session, [offer])
    assert record.id == str(offer.id) and record.provider_type == "ngo"
    assert record.categories == ("education",) and record.coverage == (RUGAO,)
    assert record.eligible_groups == ("dibao", "left_behind_child")
    assert record.income_ceiling == 1200.5 and record.amount_per_beneficiary == 2000.0
    assert record.capacity_remaining == 3 and record.mode == "cash"
    assert record.valid_until == date.fromisoformat(offer_payload()["valid_until"])


def test_engine_offers_loads_many_offers_in_a_few_queries(session):
    from sqlalchemy import event

    staff = make_user(session, "org_staff")
    rows = [post_offer(session, staff, title=f"项目{i}") for i in range(12)]
    statements = []
    engine = session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        records = offers.engine_offers(session, rows)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(records) == 12 and len(statements) <= 5


def test_a_government_department_posts_a_standing_programme_with_rules(session, login):
    from tests.zhuanjie.factories import make_org

    dept = make_org(session, kind="government", credit_code=None, name="如皋市民政局")
    staff = make_user(session, "org_staff", organisation_id=dept.id)
    client = login(staff.username)
    response = client.post("/api/v1/offers", json=offer_payload(
        title="如皋市最低生活保障", categories=["basic_living"], groups=[], capacity=None,
        is_programme=True,
        rules={"government_first": True, "basis": "《南通市最低生活保障实施办法》",
               "income_line_monthly": "1040", "excludes_groups": ["tekun"]}))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["is_programme"] is True and body["rules"]["government_first"] is True
    assert body["rules"]["income_line_monthly"] == 1040
    ngo_staff = make_user(session, "org_staff")
    client.post("/logout")
    client = login(ngo_staff.username)
    refused = client.post("/api/v1/offers", json=offer_payload(is_programme=True))
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "is_programme"]
    unknown_rule = client.post("/api/v1/offers", json=offer_payload(rules={"foo": 1}))
    assert unknown_rule.status_code == 422


def test_the_organisations_own_list_shows_drafts_and_remaining(session, login):
    staff = make_user(session, "org_staff")
    post_offer(session, staff, publish=False, title="冬季送温暖被褥")
    client = login(staff.username)
    page = client.get("/offers")
    assert page.status_code == 200 and "冬季送温暖被褥" in page.text and "草稿" in page.text
    mine = client.get("/api/v1/offers/mine").json()
    assert mine["total"] == 1 and mine["items"][0]["status"] == "draft"


def test_caseworkers_cannot_create_offers(session, login):
    client = login(make_user(session, "caseworker", region_path=RUGAO_TOWN).username)
    assert client.post("/api/v1/offers", json=offer_payload()).status_code == 403
    assert client.get("/offers/new").status_code == 403
