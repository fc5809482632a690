"""Publishing a need to the public board: consent first, no identifying details, take-down."""

from sqlmodel import select

from tests.zhuanjie.factories import PUBLICATION_STORY as STORY
from tests.zhuanjie.factories import make_need, make_user, publication_body, publish_need
from zhuanjie.models import Consent, Member, NeedPublication


def test_published_with_consent_and_shown_on_the_board(session, client, login):
    worker, need, pub = publish_need(session, client, login)
    assert pub["amount_remaining"] == "5000.00" and "household_id" not in pub
    consent = session.get(Consent, session.get(NeedPublication, pub["id"]).consent_id)
    assert consent.purpose == "publication" and consent.need_id == need.id
    client.post("/logout")
    page = client.get("/board")
    assert page.status_code == 200 and "白蒲镇一户低保家庭的求助" in page.text
    one = client.get(f"/board/{pub['id']}")
    assert "还需" in one.text and "5,000 元" in one.text and "王建国" not in one.text
    again = client.get(f"/api/v1/board/{pub['id']}").json()
    assert again["title"] == pub["title"]


def test_a_name_id_or_phone_in_the_story_is_refused_at_the_field(session, client, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    login(worker)
    for text, word in (
        (STORY + "户主王建国感谢大家。", "王建国"),
        (STORY + "联系电话13912345678。", "13912345678"),
        (STORY + f"身份证{'320682196005170013'}。", "身份证号"),
    ):
        r = client.post(f"/api/v1/needs/{need.id}/publication",
                        json=publication_body(member.id, story=text))
        assert r.status_code == 422, r.text
        detail = r.json()["detail"][0]
        assert detail["loc"] == ["body", "story"] and word in detail["msg"]
    # The page keeps what was typed and shows the message at the field.
    form = {k: str(v) for k, v in publication_body(member.id).items()}
    form["story"] = STORY + "户主王建国感谢大家。"
    page = client.post(f"/needs/{need.id}/publish", data=form)
    assert page.status_code == 400
    assert 'id="err-story"' in page.text and "王建国" in page.text and "孩子正在读初中" in page.text
    assert session.exec(select(NeedPublication)).all() == []


def test_a_house_number_is_a_warning_the_caseworker_can_override(session, client, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    login(worker)
    form = {k: str(v) for k, v in publication_body(member.id).items()}
    form["story"] = STORY + "家住3号楼。"
    page = client.post(f"/needs/{need.id}/publish", data=form)
    assert page.status_code == 400 and "疑似门牌号" in page.text
    assert 'name="allow_house_numbers"' in page.text
    form["allow_house_numbers"] = "true"
    done = client.post(f"/needs/{need.id}/publish", data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/needs/{need.id}/publication"


def test_no_consenting_member_no_publication(session, client, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    login(worker)
    body = publication_body(1)
    body.pop("consent_member_id")
    r = client.post(f"/api/v1/needs/{need.id}/publication", json=body)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "consent_member_id"
    other = make_need(session, worker)
    stranger = session.exec(
        select(Member).where(Member.household_id == other.household_id)
    ).first()
    r = client.post(f"/api/v1/needs/{need.id}/publication", json=publication_body(stranger.id))
    assert r.status_code == 422 and "本户成员" in r.json()["detail"][0]["msg"]


def test_region_is_the_households_township_or_county_only(session, client, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    login(worker)
    r = client.post(f"/api/v1/needs/{need.id}/publication",
                    json=publication_body(member.id, region_path="南通市/海安市"))
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "region_path"]
    r = client.post(f"/api/v1/needs/{need.id}/publication",
                    json=publication_body(member.id, region_path="南通市"))
    assert r.status_code == 422
    r = client.post(f"/api/v1/needs/{need.id}/publication",
                    json=publication_body(member.id, region_path="南通市/如皋市"))
    assert r.status_code == 201 and r.json()["region"] == "如皋市"


def test_a_supervisor_takes_a_need_down(session, client, login):
    _worker, _need, pub = publish_need(session, client, login)
    supervisor = make_user(session, "supervisor")
    login(supervisor)
    page = client.get(f"/board/{pub['id']}")
    assert "撤下原因" in page.text
    r = client.post(f"/board/{pub['id']}/takedown", data={"reason": "家属要求撤下"},
                    follow_redirects=False)
    assert r.status_code == 303
    client.post("/logout")
    assert client.get(f"/board/{pub['id']}").status_code == 404
    assert pub["title"] not in client.get("/board").text
    again = client.get(f"/api/v1/board/{pub['id']}")
    assert again.status_code == 404


def test_a_caseworker_cannot_take_down_and_a_donor_cannot_publish(session, client, login):
    worker, need, pub = publish_need(session, client, login)
    r = client.post(f"/api/v1/publications/{pub['id']}/takedown", json={"reason": "测试撤下"})
    assert r.status_code == 403
    donor = make_user(session, "donor")
    login(donor)
    r = client.post(f"/api/v1/needs/{need.id}/publication", json=publication_body(1))
    assert r.status_code == 403
