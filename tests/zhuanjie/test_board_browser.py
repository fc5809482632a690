"""The donors' journey in a real browser: a caseworker publishes a need (the form stops a
family name); a visitor browses the board on a phone, registers as a donor and pledges
500 yuan; the caseworker confirms and records delivery; the donor sees the outcome."""

import pytest
from sqlmodel import Session, select

from zhuanjie.db import get_engine
from zhuanjie.models import Member, Need, NeedPublication

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STORY = ("一户四口之家，父亲去年确诊肺癌，正在化疗，母亲在家照顾，"
         "两个孩子读小学，医保报销后自付部分仍难以承担。")



def _open_need_of_baipu(live_server) -> tuple[int, str]:
    with Session(get_engine(live_server.database_url)) as s:
        published = set(s.exec(select(NeedPublication.need_id)).all())
        need = next(n for n in s.exec(
            select(Need).where(Need.region_path == "南通市/如皋市/白蒲镇", Need.status == "open")
            .order_by(Need.id)).all() if n.id not in published)
        head = s.exec(select(Member).where(Member.household_id == need.household_id)
                      .order_by(Member.is_head.desc())).first()
        return need.id, head.name


def test_visitor_registers_pledges_500_and_sees_it_delivered(page, sign_in, live_server):
    # The caseworker of 白蒲镇 publishes a need; a story naming the family is stopped.
    need_id, head_name = _open_need_of_baipu(live_server)
    sign_in(live_server, "caseworker")
    page.goto(f"{live_server.url}/needs/{need_id}/publish")
    page.select_option("#f-consent_member_id", index=1)
    page.check("#f-consent_display")  # the household also agrees to the 公示
    page.fill("#f-title", "白蒲镇一户困难家庭的求助")
    page.fill("#f-story", f"{head_name}家：{STORY}")
    page.select_option("#f-category", "medical")
    page.fill("#f-amount_goal", "6000")
    page.click("button:text-is('发布')")
    assert "家庭成员姓名" in page.inner_text("#err-story")
    page.shot("01-publish-refused-name")
    page.fill("#f-story", STORY)
    page.click("button:text-is('发布')")
    page.wait_for_url(f"**/needs/{need_id}/publication")
    page.shot("02-published")
    page.click("text=退出")

    # A visitor on a phone browses the board, filters, opens the need.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/board")
    assert page.locator(".need-card").count() >= 3
    page.shot("03-board-phone")
    page.select_option("select[name=county]", "如皋市")
    page.select_option("select[name=category]", "medical")
    page.click("button:text-is('筛选')")
    page.click("text=白蒲镇一户困难家庭的求助")
    assert "6,000 元" in page.inner_text("#remaining")
    assert head_name not in page.content()
    page.shot("04-need-phone")

    # Registers as a donor and comes back to the need signed in.
    page.click("text=登记为爱心人士并认捐")
    page.check("input[value=person]")
    page.fill("#f-display_name", "爱心人士周女士")
    page.fill("#f-username", "zhou_donor")
    page.fill("#f-password", "zhou-pass-2026")
    page.shot("05-register-phone")
    page.click("button:text-is('登记')")
    page.wait_for_url("**/board/*")
    page.fill("#f-amount", "500")
    page.fill("#f-message", "祝早日康复")
    page.shot("06-pledge-form")
    page.click("button:text-is('提交认捐')")
    page.wait_for_url("**/donor/pledges*")
    assert "待确认" in page.inner_text(".pledges")
    page.shot("07-my-pledges-pending")
    page.click("text=退出")

    # The caseworker is told, confirms, and records delivery with a thank-you note.
    page.set_viewport_size({"width": 1280, "height": 860})
    sign_in(live_server, "caseworker")
    page.goto(live_server.url + "/notifications")
    page.click("text=新认捐：白蒲镇一户困难家庭的求助")
    page.wait_for_url(f"**/needs/{need_id}/publication")
    row = page.locator("tr", has_text="爱心人士周女士")
    row.locator("text=确认认捐").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text="爱心人士周女士")
    assert "已确认" in row.inner_text()
    row.locator("textarea[name=thank_you_note]").fill("500元已转交，孩子们托我们谢谢您！")
    row.locator("button", has_text="登记送达").click()
    page.wait_for_load_state()
    assert "已送达" in page.locator("tr", has_text="爱心人士周女士").inner_text()
    page.shot("08-caseworker-delivered")
    page.goto(f"{live_server.url}/needs/{need_id}")
    page.shot("09-need-timeline")
    page.click("text=退出")

    # The donor sees the outcome on a phone and can download the record.
    page.set_viewport_size(PHONE)
    sign_in(live_server, "zhou_donor", "zhou-pass-2026")
    page.goto(live_server.url + "/donor/pledges")
    card = page.locator(".need-card", has_text="白蒲镇一户困难家庭的求助")
    assert "已送达" in card.inner_text() and "孩子们托我们谢谢您" in card.inner_text()
    page.shot("10-donor-outcome-phone")
    with page.expect_download() as download:
        page.click("text=下载捐助记录（CSV）")
    assert download.value.suggested_filename == "my-pledges.csv"
    page.goto(live_server.url + "/board/display/如皋市")
    assert "受助人公示" in page.content() and head_name not in page.content()
    page.shot("11-display-rugao-phone")
