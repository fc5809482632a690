"""The whole referral journey in a real browser, as two new users would go through it."""

from datetime import timedelta

import pytest

from tests.zhuanjie.factories import valid_id
from zhuanjie.clock import today

pytestmark = pytest.mark.browser




def test_caseworker_refers_an_urgent_medical_need_and_the_charity_delivers(
    page, sign_in, sign_out, live_server
):
    # The caseworker of 白蒲镇 registers a household and an urgent medical need.
    sign_in(live_server, "caseworker")
    page.goto(live_server.url + "/households/new")
    page.fill("#f-head_name", "缪桂芳")
    page.fill("#f-head_id_number", valid_id())
    page.select_option("#f-region_path", "南通市/如皋市/白蒲镇")
    page.fill("#f-village", "林梓社区")
    page.fill("#f-phone", "13962788123")
    page.check("input[value=dibao]")
    page.check("input[value=serious_illness]")
    page.fill("#f-income_per_capita", "620")
    page.click("button[type=submit]")
    page.shot("01-household")
    page.click("text=登记需求")
    page.select_option("#f-category", "medical")
    page.fill("#f-title", "白血病化疗自付费用难以承担")
    page.fill("#f-description", "户主女儿今年确诊急性白血病，正在南通大学附属医院化疗，"
                                "医保报销后自付部分已借债六万元，家中仅靠低保金维持。")
    page.select_option("#f-urgency", "3")
    page.fill("#f-amount_needed", "30000")
    page.click("button[type=submit]")
    assert "白血病化疗自付费用难以承担" in page.inner_text("h1")
    page.shot("02-need")

    # Matches: ranked, scored, explained; the charity's critical-illness fund is among them.
    page.click("a.button:has-text('匹配')")
    assert page.locator(".match").count() >= 3
    card = page.locator(".match", has_text="南通市慈善总会").first
    assert card.locator(".reasons li").count() >= 1
    page.shot("03-matches")
    card.locator("a.button:has-text('转介')").click()

    # Consent first: sending without a consenting member is refused, values kept.
    page.fill("#f-note", "请尽快联系，化疗下一疗程在两周后。")
    page.click("button[type=submit]")
    assert page.inner_text("#err-member_id") == "此项必填"
    assert page.input_value("#f-note") == "请尽快联系，化疗下一疗程在两周后。"
    page.shot("04-consent-missing")
    page.select_option("#f-member_id", index=1)
    page.check("input[name=fields][value=address]")
    page.fill("#f-valid_until", str(today() + timedelta(days=60)))
    page.click("button[type=submit]")
    assert "已发送" in page.inner_text("table")
    page.shot("05-sent")
    need_url = page.url
    sign_out()

    # The charity's staff see it new in their inbox, accept it and record delivery.
    sign_in(live_server, "org_staff")
    page.goto(live_server.url + "/referrals?box=new")
    page.shot("06-inbox")
    page.click("text=白血病化疗自付费用难以承担")
    consented = page.inner_text("dl.consented")
    assert "缪*芳" in consented and "13962788123" not in consented
    page.click("button:has-text('接收')")
    consented = page.inner_text("dl.consented")
    assert "缪桂芳" in consented and "13962788123" in consented and "林梓社区" not in consented
    assert "身份证号" not in consented
    page.shot("07-accepted")
    page.fill("#f-delivery_date", str(today()))
    page.fill("#f-what", "发放大病救助金")
    page.fill("#f-amount", "20000")
    page.click("button:has-text('登记送达')")
    assert "已送达" in page.inner_text("h1 + p")
    page.shot("08-delivered")
    sign_out()

    # Back to the caseworker: the whole timeline is there.
    sign_in(live_server, "caseworker")
    page.goto(need_url)
    timeline = page.inner_text("ol.timeline")
    for step in ("登记需求", "已发送", "已接收", "已送达"):
        assert step in timeline, step
    page.shot("09-timeline")
    page.goto(live_server.url + "/notifications")
    assert "服务已送达，请安排回访" in page.inner_text(".inbox")
    page.shot("10-notifications")
