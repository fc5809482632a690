"""The needs and referrals lists page by cursor (issue 13, province scale): forwards and then
backwards every row shows exactly once and in the list's order; a garbled or forged cursor is
a 422 naming the field (API) or the first page with a message (page); the total is counted up
to 1000 ("1,000+ 条")."""

import base64
import json
import re
from datetime import timedelta

import pytest

from tests.zhuanjie.factories import HAIAN_TOWN, make_household, make_offer, make_user
from zhuanjie.db import utc_now
from zhuanjie.models import Need, Referral
from zhuanjie.pagination import COUNT_CAP, capped_count
from zhuanjie.referrals import service as referrals


def _needs(session, household, n: int, *, region: str | None = None) -> list[Need]:
    """n needs of three urgencies, many recorded at the same instant (ties broken by id)."""
    at = utc_now() - timedelta(days=30)
    rows = [Need(household_id=household.id, region_path=region or household.region_path,
                 category=("medical", "housing")[i % 2], title=f"需求{i:03d}", description="",
                 urgency=1 + i % 3, status=("open", "referred", "closed")[i % 3 // 2],
                 created_at=at + timedelta(hours=i // 4), updated_at=at, last_action_at=at)
            for i in range(n)]  # fmt: skip
    session.add_all(rows)
    session.commit()
    return rows


def _in_order(rows: list[Need]) -> list[int]:
    return [n.id for n in sorted(rows, key=lambda n: (-n.urgency, n.created_at, n.id))]


def _walk(client, params: dict) -> tuple[list[int], list[int]]:
    """Follow `next` to the end, then `prev` back to the start: the ids seen each way (the
    last page's own rows are not seen again going back)."""
    answer = client.get("/api/v1/needs", params=params).json()
    assert answer["prev"] is None
    forwards, backwards = [i["id"] for i in answer["items"]], []
    while answer["next"]:
        answer = client.get("/api/v1/needs", params=params | {"cursor": answer["next"]}).json()
        assert len(answer["items"]) <= params["size"]
        forwards += [i["id"] for i in answer["items"]]
    backwards = [i["id"] for i in answer["items"]]
    while answer["prev"]:
        answer = client.get("/api/v1/needs", params=params | {"cursor": answer["prev"]}).json()
        assert len(answer["items"]) == params["size"]
        backwards = [i["id"] for i in answer["items"]] + backwards
    return forwards, backwards


def test_paging_the_needs_api_forwards_and_back_shows_every_need_once(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    mine = _needs(session, household, 23)
    _needs(session, household, 5, region=HAIAN_TOWN)  # outside the caseworker's town
    client = login(worker.username)
    first = client.get("/api/v1/needs", params={"size": 4}).json()
    assert first["total"] == 23 and first["total_capped"] is False
    forwards, backwards = _walk(client, {"size": 4})
    assert forwards == backwards == _in_order(mine)
    # with a filter the cursor keeps to it
    forwards, backwards = _walk(client, {"size": 3, "status": "open"})
    assert forwards == backwards == _in_order([n for n in mine if n.status == "open"])


def test_the_needs_page_links_the_next_and_previous_pages(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    mine = _needs(session, household, 65)
    client = login(worker.username)
    seen, html = [], client.get("/needs").text
    assert "共 65 条" in html and "上一页" not in html
    while True:
        seen += [int(i) for i in re.findall(r'<a href="/needs/(\d+)">', html)]
        link = re.search(r'href="(/needs\?[^"]*cursor=[^"]+)" rel="next">下一页', html)
        if not link:
            break
        html = client.get(link.group(1).replace("&amp;", "&")).text
        assert "上一页" in html and "回到第一页" in html
    assert seen == _in_order(mine)


@pytest.mark.parametrize("cursor", [
    "garbage!!", "W10",  # not base64 / an empty list
    base64.urlsafe_b64encode(b'["a",[9,"2026-01-01T00:00:00+00:00",1]]').decode(),  # urgency 9
    base64.urlsafe_b64encode(b'["a",[2,"2026-01-01T00:00:00",1]]').decode(),  # no offset
    base64.urlsafe_b64encode(b'["a",[2,"2026-01-01T00:00:00+00:00",99999999999]]').decode(),
    base64.urlsafe_b64encode(b'["x",[2,"2026-01-01T00:00:00+00:00",1]]').decode(),
    base64.urlsafe_b64encode(b'["a",[2,"not a time",1]]').decode(),
    "长" * 10, "A" * 5000,
])  # fmt: skip
def test_a_garbled_or_forged_cursor_is_refused_by_name(session, login, cursor):
    worker = make_user(session, "caseworker")
    _needs(session, make_household(session, worker), 3)
    client = login(worker.username)
    answer = client.get("/api/v1/needs", params={"cursor": cursor})
    assert answer.status_code == 422 and "cursor" in answer.text
    page = client.get("/needs", params={"cursor": cursor})
    assert page.status_code == 200 and "翻页位置无效" in page.text and "需求000" in page.text
    page = client.get("/referrals", params={"cursor": cursor})
    assert page.status_code == 200 and "翻页位置无效" in page.text


def test_old_clients_still_read_page_numbers(session, login):
    worker = make_user(session, "caseworker")
    mine = _needs(session, make_household(session, worker), 10)
    client = login(worker.username)
    answer = client.get("/api/v1/needs", params={"page": 2, "size": 4}).json()
    assert answer["page"] == 2 and answer["total"] == 10
    assert [i["id"] for i in answer["items"]] == _in_order(mine)[4:8]


def _referrals(session, needs: list[Need], n: int) -> list[Referral]:
    offer = make_offer(session)
    at = utc_now()
    rows = [Referral(need_id=needs[i % len(needs)].id, offer_id=offer.id,
                     organisation_id=offer.organisation_id, sent_at=at, updated_at=at)
            for i in range(n)]  # fmt: skip
    session.add_all(rows)
    session.commit()
    return rows


def test_paging_referrals_forwards_and_back_shows_every_referral_once(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    mine = _referrals(session, _needs(session, household, 4), 17)
    _referrals(session, _needs(session, household, 2, region=HAIAN_TOWN), 6)
    listed = referrals.referral_page(session, actor=worker, size=5)
    assert listed.total == 17 and listed.prev is None
    forwards = [r.id for r in listed.rows]
    while listed.next:
        listed = referrals.referral_page(session, actor=worker, cursor=listed.next, size=5)
        forwards += [r.id for r in listed.rows]
    backwards = [r.id for r in listed.rows]
    while listed.prev:
        listed = referrals.referral_page(session, actor=worker, cursor=listed.prev, size=5)
        backwards = [r.id for r in listed.rows] + backwards
    assert forwards == backwards == sorted((r.id for r in mine), reverse=True)
    # the page shows the newest 30 and a link to the rest
    more = _referrals(session, _needs(session, household, 1), 30)
    html = login(worker.username).get("/referrals").text
    assert "共 47 条" in html and 'rel="next">下一页' in html
    assert f'href="/referrals/{more[-1].id}"' in html
    assert f'href="/referrals/{mine[0].id}"' not in html


def test_the_total_is_counted_up_to_a_cap(session):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    _needs(session, household, COUNT_CAP + 2)
    from zhuanjie.needs import service as needs

    listed = needs.need_page(session, actor=worker)
    assert (listed.total, listed.capped, listed.total_label) == (COUNT_CAP, True, "1,000+")
    assert capped_count(session, needs.visible_needs(worker), cap=5000) == (COUNT_CAP + 2, False)


def test_a_cursor_carries_nothing_but_the_row_position():
    from zhuanjie.needs.service import NEED_ORDER
    from zhuanjie.pagination import Cursor, read_cursor

    at = utc_now()
    cursor = Cursor(True, (2, at, 7)).encode()
    assert read_cursor(cursor, NEED_ORDER) == Cursor(True, (2, at, 7))
    direction, values = json.loads(base64.urlsafe_b64decode(cursor + "=="))
    assert direction == "a" and values[0] == 2 and values[2] == 7
