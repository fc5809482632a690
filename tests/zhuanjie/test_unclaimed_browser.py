"""应享未享 in a real browser, on a phone: the demo caseworker opens her worklist from the
navigation, reads why a household qualifies, and records an application."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 780}


def test_a_caseworker_works_the_list_on_a_phone(page, sign_in, live_server):
    sign_in(live_server, "caseworker")
    page.set_viewport_size(PHONE)
    page.click("header nav >> text=应享未享")
    assert page.inner_text("h1") == "应享未享"
    first = page.locator("ol.unclaimed > li").first
    programme = first.locator("p >> nth=0").inner_text()
    assert programme.startswith("可申请：") and "符合条件：" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    page.shot("01-worklist-phone")
    before = page.locator("ol.unclaimed > li").count()

    first.locator("button").click()  # no outcome chosen: told beside the field
    assert "请选择处理结果" in page.locator(".has-error .error").first.inner_text()
    page.shot("02-choose-an-outcome")
    first = page.locator("ol.unclaimed > li").first
    first.locator("select").select_option("applied")
    first.locator("input[name=note]").fill("已陪同户主到窗口递交申请")
    first.locator("button").click()
    assert page.locator("ol.unclaimed > li").count() == before - 1
    page.click("text=已申请")
    assert programme in page.inner_text("ol.unclaimed")
    assert "已陪同户主到窗口递交申请" in page.inner_text("ol.unclaimed")
    page.shot("03-applied")
