"""Each demo user signs in through a real browser and lands on the page for their role."""

import pytest

pytestmark = pytest.mark.browser

HEADINGS = {
    "admin": "系统管理",
    "supervisor": "监管工作台",
    "caseworker": "经办工作台",
    "org_staff": "工作台",
    "donor": "您好",
}



@pytest.mark.parametrize("username", list(HEADINGS))
def test_each_demo_user_signs_in_and_sees_their_role_page(page, sign_in, demo_server, username):
    page.goto(demo_server.url + "/")
    assert "让救助早一点到" in page.inner_text("h1")
    page.shot("01-welcome")
    sign_in(demo_server, username)
    assert HEADINGS[username] in page.inner_text("h1")
    assert page.locator(".figure").count() >= 3
    page.shot(f"02-{username}")
    page.click("text=退出")
    assert page.url.endswith("/login")


def test_a_wrong_password_is_told_beside_the_field(page, demo_server):
    page.goto(demo_server.url + "/login")
    page.fill("#f-username", "caseworker")
    page.fill("#f-password", "not-the-password")
    page.click("button[type=submit]")
    assert page.inner_text("#err-password") == "用户名或密码不正确"
    assert page.input_value("#f-username") == "caseworker"
    page.shot("wrong-password")


def test_a_caseworker_registers_a_household_and_reveals_the_id_on_purpose(
    page, sign_in, live_server
):
    from tests.zhuanjie.factories import valid_id

    sign_in(live_server, "caseworker")
    page.goto(live_server.url + "/households/new")
    page.fill("#f-head_name", "顾秀兰")
    page.fill("#f-head_id_number", "320682195803120000")
    page.select_option("#f-region_path", index=1)
    page.check("input[value=dibao]")
    page.click("button[type=submit]")
    assert "身份证号" in page.inner_text("#err-head_id_number")
    assert page.input_value("#f-head_name") == "顾秀兰"
    page.shot("01-form-error")
    number = valid_id()
    page.fill("#f-head_id_number", number)
    page.click("button[type=submit]")
    assert "家庭 #" in page.inner_text("h1")
    assert number not in page.content() and number[-4:] in page.content()
    page.shot("02-household-masked")
    page.click("text=查看完整号码")
    assert number in page.inner_text(".revealed")
    page.shot("03-revealed")


def test_a_county_supervisor_reads_the_report_and_exports_their_county(page, sign_in, demo_server):
    import csv
    from datetime import timedelta

    from zhuanjie.clock import today

    sign_in(demo_server, "supervisor_rugao")
    page.click("header nav >> text=监管报表")
    assert page.inner_text("h1") == "监管报表 · 如皋市"
    assert page.locator(".figure").count() == 3
    page.fill("#f-start", str(today() - timedelta(days=365)))
    page.fill("#f-end", str(today()))
    page.click("text=查看")
    totals = page.locator("#outcomes tr.total td").all_inner_texts()
    assert totals[0] == "合计" and int(totals[1]) > 0
    page.shot("01-report")
    with page.expect_download() as download:
        page.click("text=导出转介明细（CSV）")
    with open(download.value.path(), encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == int(totals[1])
    assert all(row["地区"].startswith("如皋市") for row in rows)
