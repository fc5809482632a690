"""The data overview on the demo city, over real HTTP and in a real browser: who may open it,
that every chart has a real shape (a year of months), bad input named, and a supervisor who
switches period, opens a chart's table view and downloads the workbook (desktop and phone)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from openpyxl import load_workbook

from zhuanjie.clock import today

PHONE = {"width": 360, "height": 780}


@contextmanager
def _client(live_server, username: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        response = client.post("/login", data={"username": username,
                                               "password": live_server.logins[username]})
        assert response.status_code in (200, 303), response.text
        yield client


def test_who_may_open_the_overview(live_server):
    for username in ("caseworker", "org_staff", "donor"):
        with _client(live_server, username) as client:
            assert client.get("/insight").status_code == 403
            assert client.get("/api/v1/insight/overview").status_code == 403
            assert client.get("/insight/export.xlsx").status_code == 403
    with _client(live_server, "org_staff") as client:
        page = client.get("/insight/organisation", params={"kind": "year"})
        assert page.status_code == 200 and "本机构成效 · 南通市慈善总会" in page.text
        book = load_workbook(io.BytesIO(client.get("/insight/organisation/export.xlsx").content))
        assert book.sheetnames[:2] == ["本机构成效", "按镇（街道）"]
    with _client(live_server, "donor") as client:
        page = client.get("/insight/donor")
        assert page.status_code == 200 and "我的捐助成效" in page.text
        tables = client.get("/api/v1/insight/donor").json()
        assert tables[0]["key"] == "donor_summary" and len(tables[-1]["rows"]) == 12
    for username in ("supervisor", "org_staff"):
        with _client(live_server, username) as client:
            assert client.get("/insight/donor").status_code == 403
    for username in ("supervisor", "caseworker", "donor"):
        with _client(live_server, username) as client:
            assert client.get("/insight/organisation").status_code == 403
            assert client.get("/api/v1/insight/organisation").status_code == 403
    with httpx.Client(base_url=live_server.url) as anonymous:
        assert anonymous.get("/api/v1/insight/overview").status_code == 401
    with _client(live_server, "supervisor_rugao") as client:
        view = client.get("/api/v1/insight/overview", params={"kind": "year"}).json()
        assert view["scope"] == "如皋市" and view["breakdown_level"] == "镇（街道）"
        assert all(b["path"].startswith("南通市/如皋市/") for b in view["breakdown"])
        refused = client.get("/api/v1/insight/overview", params={"region": "南通市/海安市"})
        assert refused.status_code == 403
        page = client.get("/insight")
        assert page.status_code == 200 and "数据概览 · 如皋市" in page.text
        assert "海安市" not in page.text.split('id="breakdown"')[1].split("</table>")[0]


def test_the_city_sees_counties_and_every_chart_has_a_shape(live_server):
    with _client(live_server, "supervisor") as client:
        view = client.get("/api/v1/insight/overview", params={"kind": "year"}).json()
        assert view["breakdown_level"] == "县（市、区）"
        counties = {b["region"] for b in view["breakdown"]}
        assert {"如皋市", "海安市", "崇川区"} <= counties
        assert sum(b["registered"] for b in view["breakdown"]) == view["tiles"][0]["value"]
        monthly = client.get("/api/v1/insight/charts/monthly").json()
        assert len(monthly["rows"]) == 12
        assert sum(1 for r in monthly["rows"] if r[1] > 0) >= 11  # needs in (nearly) every month
        assert sum(1 for r in monthly["rows"] if r[3] > 0) >= 6  # deliveries in half of them
        year = {"kind": "custom", "start": str(today().replace(year=today().year - 1)),
                "end": str(today())}
        for name in ("funnel", "time_to_help", "backlog", "organisations"):
            table = client.get(f"/api/v1/insight/charts/{name}", params=year).json()
            assert sum(1 for r in table["rows"] if r[1]) >= 2, name
        assert client.get("/api/v1/insight/fairness/group", params=year).json()["rows"]
        assert client.get("/api/v1/insight/supply-gaps").status_code == 200
        assert client.get("/api/v1/insight/overdue").json()["rows"]


def test_bad_input_is_named(live_server):
    with _client(live_server, "supervisor") as client:
        backwards = {"kind": "custom", "start": "2026-05-01", "end": "2026-04-01"}
        bad = client.get("/api/v1/insight/overview", params=backwards)
        assert bad.status_code == 422 and "end" in bad.text
        assert client.get("/api/v1/insight/overview", params={"day": "x"}).status_code == 422
        assert client.get("/api/v1/insight/charts/pie").status_code == 422
        page = client.get("/insight", params={"kind": "custom", "start": "2026-05-01"})
        assert page.status_code == 422 and 'id="err-end"' in page.text
        page = client.get("/insight", params={"day": "9999-99-99", "region": "火星"})
        assert page.status_code == 422 and 'id="err-day"' in page.text
        assert client.get("/insight/export/nothing.csv").status_code == 404
        assert client.get("/insight/rows/nothing").status_code == 404


@pytest.mark.browser
def test_supervisor_switches_period_reads_a_table_and_downloads_the_workbook(page, live_server):
    page.goto(live_server.url + "/login")
    page.fill("#f-username", "supervisor")
    page.fill("#f-password", live_server.logins["supervisor"])
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.click("nav >> text=数据概览")
    page.wait_for_url("**/insight")
    page.wait_for_selector("#chart-monthly .chart[data-drawn='1'] canvas")
    assert page.locator(".kpi").count() == 9
    month_label = page.inner_text("#period-label")
    page.shot("01-overview-month")

    page.select_option("#f-kind", "year")
    page.click("#period-form button[type=submit]")
    page.wait_for_url("**/insight?kind=year**")
    assert page.inner_text("#period-label") == f"{today().year}年" != month_label
    page.wait_for_selector("#chart-funnel .chart[data-drawn='1'] canvas")

    table = page.locator("#chart-funnel details.table-view")
    assert not table.locator("table").is_visible()
    table.locator("summary").click()
    assert table.locator("table").is_visible()
    assert table.locator("tbody tr").first.inner_text().startswith("已发送")
    page.shot("02-overview-year-funnel-table")

    with page.expect_download() as info:
        page.click("#download-workbook")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert {"主要指标", "转介漏斗", "每月需求与送达", "按群体的满足情况"} <= set(book.sheetnames)
    assert book["主要指标"]["A4"].value == "登记需求"
    assert isinstance(book["主要指标"]["B4"].value, int)

    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("#chart-monthly .chart[data-drawn='1'] canvas")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1, width  # nothing pushes the page sideways on a phone
    page.locator("#chart-monthly details.table-view summary").click()
    page.shot("03-overview-phone")
