"""The directory as caseworkers and the public use it: words, region, filters, order, pages."""

from datetime import timedelta

import pytest

from tests.zhuanjie.factories import make_org, make_user, post_offer
from zhuanjie.clock import today

BAIPU = "南通市/如皋市/白蒲镇"  # inside 如皋市
CHENGDONG = "南通市/海安市/城东镇"  # outside it


@pytest.fixture
def catalogue(session):
    ngo = make_user(session, "org_staff")
    dept_org = make_org(session, kind="government", credit_code=None, name="如皋市民政局")
    dept = make_user(session, "org_staff", organisation_id=dept_org.id)
    offers = {
        "rugao": post_offer(session, ngo, title="如皋助学金", coverage=["南通市/如皋市"],
                            description="资助困境学生"),
        "baipu": post_offer(session, ngo, title="白蒲镇老人助餐", coverage=[BAIPU],
                            categories=["care"], groups=["left_behind_elderly"], mode="service",
                            description="每天一顿热饭，助学志愿者送餐"),
        "city": post_offer(session, dept, title="临时救助", coverage=["南通市"],
                           categories=["emergency"], groups=[], mode="cash",
                           description="突发困难先行救助"),
        "haian": post_offer(session, ngo, title="海安康复训练", coverage=["南通市/海安市"],
                            categories=["rehabilitation"], groups=["disabled"],
                            description="残疾儿童康复"),
    }
    session.commit()
    return offers


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [o["id"] for o in response.json()["items"]]


def test_a_county_wide_offer_shows_for_a_township_inside_and_not_outside(client, catalogue):
    inside = ids(client.get("/api/v1/offers", params={"region": BAIPU}))
    assert catalogue["rugao"].id in inside and catalogue["baipu"].id in inside
    assert catalogue["city"].id in inside and catalogue["haian"].id not in inside
    outside = ids(client.get("/api/v1/offers", params={"region": CHENGDONG}))
    assert catalogue["rugao"].id not in outside and catalogue["baipu"].id not in outside
    assert catalogue["haian"].id in outside and catalogue["city"].id in outside


def test_a_county_search_includes_offers_of_its_townships(client, catalogue):
    found = ids(client.get("/api/v1/offers", params={"region": "南通市/如皋市"}))
    assert {catalogue["rugao"].id, catalogue["baipu"].id, catalogue["city"].id} == set(found)


def test_chinese_words_match_inside_text_and_titles_rank_first(client, catalogue):
    found = ids(client.get("/api/v1/offers", params={"q": "助学"}))
    # 如皋助学金 has it in the title, 白蒲镇老人助餐 only in the description.
    assert found == [catalogue["rugao"].id, catalogue["baipu"].id]
    both = ids(client.get("/api/v1/offers", params={"q": "助学 白蒲"}))
    assert both == [catalogue["baipu"].id]
    by_provider = ids(client.get("/api/v1/offers", params={"q": "民政局"}))
    assert by_provider == [catalogue["city"].id]
    assert ids(client.get("/api/v1/offers", params={"q": "100%"})) == []


def test_filters_by_category_group_mode_and_provider_kind(client, catalogue):
    assert ids(client.get("/api/v1/offers", params={"category": "care"})) == [
        catalogue["baipu"].id]
    disabled = set(ids(client.get("/api/v1/offers", params={"group": "disabled"})))
    # An offer that names no groups is open to everyone, so it serves disabled people too.
    assert disabled == {catalogue["haian"].id, catalogue["city"].id}
    assert ids(client.get("/api/v1/offers", params={"mode": "service"})) == [
        catalogue["baipu"].id]
    assert ids(client.get("/api/v1/offers", params={"kind": "government"})) == [
        catalogue["city"].id]


def test_newest_first_and_pages(client, catalogue):
    newest = ids(client.get("/api/v1/offers", params={"sort": "newest"}))
    assert newest == sorted(newest, reverse=True) and len(newest) == 4
    first = client.get("/api/v1/offers", params={"sort": "newest", "size": 3}).json()
    second = client.get("/api/v1/offers", params={"sort": "newest", "size": 3, "page": 2}).json()
    assert first["total"] == 4 and len(first["items"]) == 3 and len(second["items"]) == 1
    assert [o["id"] for o in first["items"] + second["items"]] == newest


def test_unknown_filters_are_refused_naming_the_field(client, catalogue):
    response = client.get("/api/v1/offers", params={"region": "南通市/火星县"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "region"
    assert "未知的行政区划" in response.json()["detail"][0]["msg"]
    assert client.get("/api/v1/offers", params={"category": "x"}).status_code == 422
    page = client.get("/directory", params={"region": "南通市/火星县"})
    assert page.status_code == 200 and "未知的行政区划" in page.text


def test_full_and_expired_offers(session, client, catalogue):
    staff = make_user(session, "org_staff")
    expired = post_offer(session, staff, title="已过期项目",
                         valid_from=str(today() - timedelta(days=30)),
                         valid_until=str(today() + timedelta(days=1)))
    expired.valid_until = today() - timedelta(days=1)  # the window ended yesterday
    full = post_offer(session, staff, title="名额已满的项目", capacity=0)
    session.add(expired)
    session.commit()
    found = ids(client.get("/api/v1/offers"))
    assert expired.id not in found and full.id in found
    assert full.id not in ids(client.get("/api/v1/offers", params={"only_open": "true"}))


def test_the_directory_page_shows_who_whom_places_and_until_when(client, catalogue):
    page = client.get("/directory", params={"region": BAIPU, "q": "助餐"})
    assert page.status_code == 200
    html = page.text
    assert "白蒲镇老人助餐" in html and "海安康复训练" not in html
    assert "留守老人" in html and "剩余名额" in html and "有效期至" in html
    assert 'value="助餐"' in html


def test_the_directory_page_pages_with_its_filters(session, client):
    staff = make_user(session, "org_staff")
    for i in range(23):
        post_offer(session, staff, title=f"社区助老服务{i:02d}", coverage=[BAIPU])
    session.commit()
    first = client.get("/directory", params={"q": "助老"})
    assert "共 23 条，第 1/2 页" in first.text
    assert "/directory?q=%E5%8A%A9%E8%80%81&amp;page=2" in first.text
    second = client.get("/directory", params={"q": "助老", "page": 2})
    assert second.text.count('class="card offer"') == 3


def test_caseworkers_and_org_staff_see_the_same_published_directory(session, login, catalogue):
    client = login(make_user(session, "caseworker").username)
    assert len(ids(client.get("/api/v1/offers"))) == 4
    assert "项目目录" in client.get("/directory").text


def test_a_phrase_without_spaces_falls_back_to_its_words(session, client):
    staff = make_user(session, "org_staff")
    offer = post_offer(session, staff, title="留守老人的上门助餐服务", coverage=[BAIPU])
    session.commit()
    assert ids(client.get("/api/v1/offers", params={"q": "老人助餐"})) == [offer.id]
    assert ids(client.get("/api/v1/offers", params={"q": "老人理发"})) == []
