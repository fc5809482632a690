"""The NGO journey in a real browser: register → admin verifies → staff post an offer with a
quota of 3 → the directory shows it for a township inside its coverage, not for one outside."""

import re
from datetime import timedelta

import pytest

from tests.zhuanjie.factories import valid_uscc
from zhuanjie.clock import today

pytestmark = pytest.mark.browser

INSIDE = "南通市/如皋市/白蒲镇"
OUTSIDE = "南通市/海安市/城东镇"
TITLE = "启明星困境儿童课后陪伴"




def test_an_ngo_registers_is_verified_posts_an_offer_and_the_directory_finds_it(
    page, sign_in, sign_out, live_server
):
    # 1. The NGO registers itself (one typo first: the message sits at the field).
    page.goto(live_server.url + "/organisations/signup")
    page.fill("#f-name", "如皋市启明星社会工作服务中心")
    page.select_option("#f-kind", "ngo")
    page.fill("#f-credit_code", "51320600MJ00000001")
    page.fill("#f-contact_name", "钱启明")
    page.fill("#f-contact_phone", "13962700001")
    page.select_option("#f-service_area", "南通市/如皋市")
    page.fill("#f-username", "qimingxing")
    page.fill("#f-display_name", "钱启明")
    page.fill("#f-password", "qimingxing-2026")
    page.click("button[type=submit]")
    assert "校验位不正确" in page.inner_text("#err-credit_code")
    assert page.input_value("#f-name") == "如皋市启明星社会工作服务中心"
    page.shot("01-signup-error")
    page.fill("#f-credit_code", valid_uscc("51320682MJ"))
    page.fill("#f-password", "qimingxing-2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/organisations/\d+$"))
    org_url = page.url
    assert page.inner_text("#org-status") == "待审核"
    page.shot("02-registered-pending")
    sign_out()

    # 2. The admin verifies it, with a reason that is kept.
    sign_in(live_server, "admin")
    page.goto(org_url)
    page.fill("#f-reason-verify", "登记证书与信用代码核验无误")
    page.click("#do-verify")
    assert page.inner_text("#org-status") == "已认证"
    assert "登记证书与信用代码核验无误" in page.inner_text("body")
    page.shot("03-verified")
    sign_out()

    # 3. Its staff post an offer with a quota of 3 covering 如皋市 and publish it.
    sign_in(live_server, "qimingxing", "qimingxing-2026")
    page.goto(live_server.url + "/offers/new")
    page.fill("#f-title", TITLE)
    page.fill("#f-description", "为留守和困境儿童提供放学后的作业辅导和陪伴。")
    page.check("input[name=categories][value=education]")
    page.check("input[name=categories][value=care]")
    page.locator("details.region", has_text="如皋市").locator("summary").click()
    page.check("input[name=coverage][value='南通市/如皋市']")
    page.check("input[name=groups][value=left_behind_child]")
    page.select_option("#f-mode", "service")
    page.fill("#f-capacity", "-3")
    page.fill("#f-valid_from", str(today()))
    page.fill("#f-valid_until", str(today() + timedelta(days=180)))
    page.click("button[type=submit]")
    assert page.inner_text("#err-capacity") == "不能小于0"
    assert page.input_value("#f-title") == TITLE
    assert page.is_checked("input[name=coverage][value='南通市/如皋市']")
    page.shot("04-offer-form-error")
    page.fill("#f-capacity", "3")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/offers/\d+$"))
    offer_url = page.url
    assert "草稿" in page.inner_text("h1")
    page.click("#do-publish")
    assert "草稿" not in page.inner_text("h1")
    assert page.inner_text("#remaining") == "3"
    page.shot("05-offer-published")
    sign_out()

    # 4. The public directory shows it for a township inside its coverage, not outside.
    page.goto(live_server.url + "/directory")
    page.fill("input[name=q]", "启明星")
    page.select_option("#f-region", INSIDE)
    page.click("#directory-filters button[type=submit]")
    assert TITLE in page.inner_text(".results")
    page.shot("06-directory-inside")
    page.select_option("#f-region", OUTSIDE)
    page.click("#directory-filters button[type=submit]")
    assert TITLE not in page.inner_text(".results")
    assert page.is_visible("#no-results")
    page.shot("07-directory-outside")
    page.goto(offer_url)
    assert "如皋市启明星社会工作服务中心" in page.inner_text("body")
    assert page.inner_text("#remaining") == "3"
    page.shot("08-offer-page-public")
