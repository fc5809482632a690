"""The department user's journey in a real browser: the poverty office refers a household to
civil affairs and uploads a monitoring alert; 白蒲镇's caseworker finds the referral in the
queue and accepts it, registering the household from what was sent; the office sees it
accepted, and downloads the alerts' outcome. On a phone-sized screen nothing pushes the
page sideways."""

import csv
import io
import re

import pytest

from tests.zhuanjie.factories import valid_id

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}


def test_a_department_refers_a_household_and_uploads_an_alert_and_sees_what_came_of_them(
    page, sign_in, sign_out, live_server
):
    number = valid_id(serial=917)
    # 1. The poverty office sends a referral (an ID number with a typo first).
    sign_in(live_server, "dept_staff")
    page.click("header nav >> text=部门转介")
    page.click("text=转介一户家庭给民政")
    page.fill("#f-name", "孙红梅")
    page.fill("#f-id_number", number[:-1] + ("0" if number[-1] != "0" else "1"))
    page.select_option("#f-region_path", "南通市/如皋市/白蒲镇")
    page.fill("#f-village", "顾庄社区")
    page.select_option("#f-urgency", "2")
    page.fill("#f-reason", "脱贫户因病返贫风险高，产业和就业帮扶难以覆盖，申请低保")
    page.fill("#f-income_per_capita", "480")
    page.click("#do-send")
    assert page.inner_text("#err-id_number")
    assert page.input_value("#f-name") == "孙红梅"
    page.shot("01-send-error")
    page.fill("#f-id_number", number)
    page.click("#do-send")
    page.wait_for_url(re.compile(r".*/intakes/\d+$"))
    intake_url = page.url
    assert page.inner_text("#intake-status") == "待受理"
    assert number not in page.inner_text("body") and number[-4:] in page.inner_text("body")
    page.shot("02-sent")

    # 2. … and uploads a monitoring alert about someone no household has yet.
    page.click("header nav >> text=监测预警")
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["预警编号", "预警类型", "姓名", "身份证号", "镇（街道）", "村（社区）",
                     "情况说明", "金额（元）", "发生日期"])
    writer.writerow(["YJ-BR-1", "自然灾害或意外事故", "周建平", valid_id(serial=918), "白蒲镇",
                     "新联村", "房屋因暴雨倒塌", "", "2026-11-28"])
    page.set_input_files("#f-file", files=[{"name": "预警.csv", "mimeType": "text/csv",
                                             "buffer": sheet.getvalue().encode("utf-8-sig")}])
    page.click("#do-upload")
    assert "已导入 1 条预警" in page.inner_text("#sheet-done")
    assert "YJ-BR-1" in page.inner_text("table")
    page.shot("03-alert-uploaded")
    sign_out()

    # 3. 白蒲镇's caseworker finds the referral in the queue and accepts it.
    sign_in(live_server, "caseworker")
    page.click("header nav >> text=部门转介")
    assert "孙红梅" in page.inner_text("table") and "周建平" in page.inner_text("table")
    page.locator("tr", has_text="孙红梅").locator("a").first.click()
    page.wait_for_url(intake_url)
    assert page.input_value("#f-village") == "顾庄社区"  # prefilled from what was sent
    page.fill("#f-address", "顾庄社区5组16号")
    page.check("#g-low_income")
    page.select_option("#f-category", "basic_living")
    page.click("#do-accept")
    page.wait_for_url(intake_url)
    assert page.inner_text("#intake-status") == "已受理"
    assert "查看家庭" in page.inner_text("#intake-outcome")
    page.shot("04-accepted")
    sign_out()

    # 4. The office sees the outcome (and nothing of the household it became).
    sign_in(live_server, "dept_staff")
    page.goto(intake_url)
    assert page.inner_text("#intake-status") == "已受理"
    outcome = page.inner_text("#intake-outcome")
    assert "待匹配" in outcome and "查看家庭" not in outcome
    assert "顾庄社区5组16号" not in page.inner_text("body")
    page.goto(live_server.url + "/alerts")
    with page.expect_download() as info:
        page.click("#outcome-csv")
    text = open(info.value.path(), encoding="utf-8-sig").read()
    row = next(r for r in csv.reader(io.StringIO(text)) if r and r[0] == "YJ-BR-1")
    assert row[-3] == "待受理" and "经办人员核实" in row[-2]
    page.set_viewport_size(PHONE)
    for path in ("/intakes", intake_url.removeprefix(live_server.url), "/alerts",
                 "/intakes/new"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 1, (path, width)
    page.shot("05-phone")
