"""台帐比对 report and a caseworker's 待我核实 list on the demo city, paged: a report with more
rows than a page shows the rest on page 2; the township and status filters in the URL keep
working while paging; the per-township counts agree with the rows listed; the JSON report
pages the same way."""

from __future__ import annotations

import re

from sqlmodel import select

from zhuanjie.models import RollReview, RollReviewItem, User
from zhuanjie.pagination import PAGE_SIZE

TOWN = "南通市/如皋市/白蒲镇"
ROW = re.compile(r'<tr id="item-(\d+)" data-reason="\w+"><td>([^<]+)</td>')
TAB = re.compile(r'township=([^&"]+)&amp;status=[^"]*"[^>]*>([^<（]+)（(\d+)/(\d+)）</a>')


def _more_rows(session, review: RollReview, n: int) -> None:
    """Give the demo report `n` more rows in 白蒲镇 (every third one closed)."""
    worker = session.exec(select(User).where(User.username == "caseworker")).one()
    for i in range(n):
        closed = i % 3 == 0
        session.add(RollReviewItem(
            review_id=review.id, region_path=TOWN, village="林梓社区", reason="not_on_roll",
            label=f"测*{i}（****{1000 + i}）", detail="台帐中没有该户",
            status="closed" if closed else "open", outcome="no_change" if closed else None,
            closed_by_id=worker.id if closed else None))
    session.commit()


def _rows(client, url: str) -> list[tuple[int, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.text[-800:]
    return [(int(i), town) for i, town in ROW.findall(response.text)]


def _every_page(client, url: str) -> list[tuple[int, str]]:
    seen, number = [], 1
    while True:
        page = _rows(client, f"{url}&page={number}")
        if not page:
            return seen
        seen += page
        number += 1


def test_a_long_report_pages_and_its_filters_and_counts_hold(demo_session, demo_client):
    review = demo_session.exec(select(RollReview).order_by(RollReview.id)).first()
    _more_rows(demo_session, review, PAGE_SIZE + 15)
    items = demo_session.exec(select(RollReviewItem).where(
        RollReviewItem.review_id == review.id).order_by(RollReviewItem.id)).all()
    assert len(items) > PAGE_SIZE + 15
    client = demo_client.sign_in("supervisor_rugao")

    first = client.get(f"/rolls/reviews/{review.id}")
    assert first.status_code == 200
    pages = -(-len(items) // PAGE_SIZE)
    assert f"共 {len(items)} 条，第 1/{pages} 页" in first.text
    assert len(ROW.findall(first.text)) == PAGE_SIZE
    assert f'href="/rolls/reviews/{review.id}?township=&amp;status=&amp;page=2"' in first.text
    second = _rows(client, f"/rolls/reviews/{review.id}?township=&status=&page=2")
    assert second and second[0][0] == items[PAGE_SIZE].id
    # Every row once, in order, over the pages.
    assert [i for i, _ in _every_page(client, f"/rolls/reviews/{review.id}?x=")] == [
        i.id for i in items]

    # A township and a status in the URL: every page keeps them, and the pager says so.
    wanted = [i for i in items if i.region_path == TOWN and i.status == "open"]
    assert len(wanted) > PAGE_SIZE
    url = f"/rolls/reviews/{review.id}?township={TOWN}&status=open"
    filtered = client.get(url)
    assert f"共 {len(wanted)} 条" in filtered.text
    assert "status=open&amp;page=2" in filtered.text and "township=%E5" in filtered.text
    assert [i for i, _ in _every_page(client, url)] == [i.id for i in wanted]
    closed = _every_page(client, f"/rolls/reviews/{review.id}?status=closed")
    assert [i for i, _ in closed] == [i.id for i in items if i.status == "closed"]

    # The township tabs: (open/all) per township agree with the rows.
    tabs = {town: (int(still), int(rows)) for _, town, still, rows in TAB.findall(first.text)}
    for town in {i.region_path for i in items}:
        short = town.split("/")[-1]
        mine = [i for i in items if i.region_path == town]
        assert tabs[short] == (sum(i.status == "open" for i in mine), len(mine))
        listed = _every_page(client, f"/rolls/reviews/{review.id}?township={town}")
        assert len(listed) == len(mine) and {t for _, t in listed} == {short}

    # The JSON report pages the same way.
    body = client.get(f"/api/v1/roll-reviews/{review.id}", params={"page": 2}).json()
    assert body["total"] == len(items) and body["page"] == 2 and body["size"] == PAGE_SIZE
    assert [r["id"] for r in body["items"]] == [i.id for i in items[PAGE_SIZE:2 * PAGE_SIZE]]

    # The .xlsx for the meeting still holds every row.
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(client.get(f"/rolls/reviews/{review.id}/export.xlsx").content))
    assert book["工作清单"].max_row == len(items) + 1


def test_a_caseworkers_open_rows_page_with_their_own_first(demo_session, demo_client):
    review = demo_session.exec(select(RollReview).order_by(RollReview.id)).first()
    _more_rows(demo_session, review, PAGE_SIZE + 15)
    worker = demo_session.exec(select(User).where(User.username == "caseworker")).one()
    open_rows = demo_session.exec(select(RollReviewItem).where(
        RollReviewItem.status == "open", RollReviewItem.region_path.like(
            worker.region_path + "%"))).all()
    assert len(open_rows) > PAGE_SIZE
    client = demo_client.sign_in("caseworker")
    first = client.get("/rolls")
    assert first.status_code == 200
    section = first.text[first.text.index('id="my-items"'):]
    pages = -(-len(open_rows) // PAGE_SIZE)
    assert f"共 {len(open_rows)} 条，第 1/{pages} 页" in section
    assert 'href="/rolls?page=2"' in section
    shown = section.count('<a href="/rolls/reviews/')
    assert shown == PAGE_SIZE
    mine = sum(1 for i in open_rows if i.assignee_id == worker.id)
    assert mine and section[:section.index("</table>")].count("分派给我") == min(mine, PAGE_SIZE)
    rest = client.get("/rolls?page=2").text
    rest = rest[rest.index('id="my-items"'):]
    assert rest[:rest.index("</table>")].count('<a href="/rolls/reviews/') == min(
        PAGE_SIZE, len(open_rows) - PAGE_SIZE)
