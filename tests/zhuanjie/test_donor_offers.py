"""A donor's standing offer of help: built as an offer of kind donor, published once a
company is verified or, for a private person, once the offer is reviewed; then ranked by
matching like any other offer."""

from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_user
from zhuanjie.matches import service as matches
from zhuanjie.models import Offer, OfferCategory, OfferRegion, Organisation

OFFER = {
    "title": "周末可为如皋市2名小学生辅导数学",
    "description": "退休数学教师，每周六上午可上门或在社区活动室辅导小学高年级数学。",
    "mode": "volunteer",
    "categories": ["education"],
    "coverage": ["南通市/如皋市"],
    "capacity": "2",
}


def _register(client, username, donor_type="person", **extra):
    r = client.post("/donor/register", data={
        "donor_type": donor_type, "display_name": "王老师", "username": username,
        "password": "A-good-password", **extra}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_a_person_s_offer_waits_for_review_then_matching_ranks_it(session, client, login):
    _register(client, "wang_teacher")
    form = client.get("/donor/offers/new")
    assert form.status_code == 200 and "发布长期帮扶意愿" in form.text
    r = client.post("/donor/offers/new", data=OFFER, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/donor/offers"
    offer = session.exec(select(Offer).where(Offer.title == OFFER["title"])).one()
    org = session.get(Organisation, offer.organisation_id)
    # A private person is not a verified organisation, and the offer waits for review.
    assert org.kind == "donor" and org.is_person and org.status == "person"
    assert offer.status == "review" and offer.capacity == 2
    assert session.exec(select(OfferCategory.category).where(
        OfferCategory.offer_id == offer.id)).all() == ["education"]
    assert session.exec(select(OfferRegion.region_path).where(
        OfferRegion.offer_id == offer.id)).all() == ["南通市/如皋市"]
    mine = client.get("/donor/offers").text
    assert OFFER["title"] in mine and "待审核" in mine

    worker = make_user(session, "caseworker")
    need = make_need(session, worker, category="education", title="孩子数学跟不上",
                     description="孩子读五年级，父母外出务工，数学成绩较差，需要课业辅导。",
                     amount_needed=None)
    view = matches.matches_for_need(session, actor=worker, need_id=need.id)
    assert offer.id not in [r.offer.id for r in view.ranked]
    client.post("/logout")
    assert offer.id not in {o["id"] for o in client.get("/api/v1/offers?size=100").json()["items"]}

    # A supervisor of another county may not review it; one of 如皋市 approves it.
    haian = make_user(session, "supervisor", region_path="南通市/海安市")
    login(haian.username)
    assert offer.id not in {o["id"] for o in client.get("/api/v1/reviews/offers").json()}
    assert client.post(f"/api/v1/reviews/offers/{offer.id}",
                       json={"decision": "approve"}).status_code == 409
    client.post("/logout")
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    login(rugao.username)
    page = client.get("/reviews/offers")
    assert page.status_code == 200 and OFFER["title"] in page.text and "王老师" in page.text
    no_reason = client.post(f"/reviews/offers/{offer.id}", data={"decision": "reject"})
    assert no_reason.status_code == 400 and 'id="err-reason"' in no_reason.text
    done = client.post(f"/reviews/offers/{offer.id}", data={"decision": "approve"},
                       follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Offer, offer.id).status == "published"

    view = matches.matches_for_need(session, actor=worker, need_id=need.id)
    ranked = [r.offer.id for r in view.ranked]
    assert offer.id in ranked
    donor_row = next(r for r in view.ranked if r.offer.id == offer.id)
    assert donor_row.organisation.kind == "donor"
    # In the directory it is shown without the person's name, and never as 已认证.
    client.post("/logout")
    listed = {o["id"]: o for o in client.get("/api/v1/offers?size=100").json()["items"]}
    assert listed[offer.id]["organisation_verified"] is False
    assert listed[offer.id]["organisation_name"] == "爱心人士（个人）"
    shown = client.get(f"/offers/{offer.id}").text
    assert "王老师" not in shown and "已认证" not in shown


def test_a_company_waits_for_verification_and_bad_input_stays_in_the_form(session, client):
    _register(client, "ruifeng_admin", donor_type="company", company_name="南通某某家纺有限公司")
    bad = client.post("/donor/offers/new", data=OFFER | {"categories": [], "title": "冬被"})
    assert bad.status_code == 400
    assert 'id="err-categories"' in bad.text and 'value="冬被"' in bad.text
    ok = client.post("/donor/offers/new", data=OFFER | {"title": "每年冬季捐赠冬被100床"},
                     follow_redirects=False)
    assert ok.status_code == 303
    offer = session.exec(select(Offer).where(Offer.title == "每年冬季捐赠冬被100床")).one()
    assert offer.status == "draft"  # not matched until the company is verified
    assert "审核中" in client.get("/donor/offers").text


def test_other_roles_cannot_post_donor_offers(session, client, login):
    worker = make_user(session, "caseworker")
    login(worker.username)
    assert client.post("/donor/offers/new", data=OFFER).status_code == 403
