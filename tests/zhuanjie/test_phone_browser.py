"""A home visit on a phone (360×740, touch): the caseworker opens the start page, registers
the family, records a need, loses the signal half-way through the form, comes back and
sends a referral with consent. What was typed survives; no field page scrolls sideways;
every control is big enough for a finger. Screenshots of each step in tests/artifacts/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tests.zhuanjie.conftest import ARTIFACTS
from tests.zhuanjie.factories import valid_id
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.models import Consent, FollowUp, Need, Referral, User

pytestmark = pytest.mark.browser

WIDTH = 360

# Every visible control narrower than a fingertip, by its text (checkboxes are 22 px inside
# a 44 px label; links inside running text are not controls).
SMALL_CONTROLS = """() => Array.from(document.querySelectorAll(
    'main button, main .button, main select, main textarea, header nav a, main label.check, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio])'))
  .filter(el => el.offsetParent !== null)
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => (el.name || el.textContent || el.id).trim().slice(0, 30))"""


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": WIDTH, "height": 740},
        has_touch=True, is_mobile=True, device_scale_factor=2, service_workers="allow",
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def fits(name: str) -> None:
        """The page at 360 px: no sideways scroll, no control too small to touch."""
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{name}: {tab.url} is {width}px wide"
        assert tab.evaluate(SMALL_CONTROLS) == [], f"{name}: controls under 44px on {tab.url}"
        shot(name)

    tab.shot, tab.fits, tab.context_ = shot, fits, context
    yield tab
    context.close()


def _sign_in(page, server, username):
    page.goto(server.url + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", server.logins[username])
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _tap_and_wait(page, selector) -> None:
    """A tap that loads another page (a link, or a form sent while online)."""
    with page.expect_navigation():
        page.tap(selector)


def _service_worker_ready(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_a_home_visit_on_a_phone_survives_a_lost_signal(phone, live_server):
    page = phone
    _sign_in(page, live_server, "caseworker")
    assert "今日待办" in page.inner_text("main")
    page.fits("01-today")

    # The whole family at the kitchen table, in one form.
    page.goto(live_server.url + "/households/new")
    assert page.locator(".member-row:visible").count() == 1  # empty rows folded away
    page.fill("#f-head_name", "缪桂芳")
    page.fill("#f-head_id_number", valid_id())
    page.select_option("#f-region_path", "南通市/如皋市/白蒲镇")
    page.fill("#f-village", "林梓社区")
    page.fill("#f-phone", "13962788123")
    page.check("input[value=dibao]")
    page.fill("#f-income_per_capita", "620")
    page.fill("#f-m1_name", "缪小燕")
    page.fill("#f-m1_id_number", valid_id(birth=date(2010, 3, 12)))
    page.fill("#f-m1_illness", "急性白血病")
    page.tap("#add-member")
    page.fill("#f-m2_name", "缪德山")
    page.fill("#f-m2_id_number", valid_id(birth=date(1948, 1, 1)))
    page.select_option("#f-m2_relation", "parent")
    page.fits("02-family-form")
    _tap_and_wait(page, "button[type=submit]")
    assert "家庭 #" in page.inner_text("h1")
    for name in ("缪桂芳", "缪小燕", "缪德山"):
        assert name in page.inner_text("table.members")
    page.fits("03-household")
    household_url = page.url

    # A need, and the signal goes half-way through the form.
    _service_worker_ready(page)
    _tap_and_wait(page, "text=登记需求")
    need_form = page.url
    page.select_option("#f-category", "medical")
    page.fill("#f-title", "白血病化疗自付费用难以承担")
    page.context_.set_offline(True)
    page.fill("#f-description", "女儿确诊急性白血病，在南通大学附属医院化疗，"
                                "自付部分已借债六万元。")
    page.select_option("#f-urgency", "3")
    page.tap("button[type=submit]")  # offline: not sent, kept
    assert "网络已断开" in page.inner_text(".draft-mark")
    assert page.url == need_form
    page.shot("04-need-offline-submit")
    page.reload()  # the browser's error would be here; the offline page is instead
    assert "网络已断开" in page.inner_text("h1")
    page.fits("05-offline-page")

    page.context_.set_offline(False)
    page.goto(need_form)
    assert "未提交" in page.inner_text(".draft-mark")
    assert page.input_value("#f-title") == "白血病化疗自付费用难以承担"
    assert page.input_value("#f-description").startswith("女儿确诊急性白血病")
    assert page.input_value("#f-urgency") == "3"
    page.fits("06-need-restored")
    _tap_and_wait(page, "button[type=submit]")
    assert "白血病化疗自付费用难以承担" in page.inner_text("h1")
    need_url = page.url
    page.fits("07-need")
    page.goto(need_form)
    assert page.locator(".draft-mark:visible").count() == 0  # sent: the draft is gone
    assert page.input_value("#f-title") == ""

    # Matches, then the referral with the household's consent, again through a lost signal.
    page.goto(need_url + "/matches")
    assert page.locator(".match").count() >= 1
    page.fits("08-matches")
    with page.expect_navigation():
        page.locator(".match a.button:has-text('转介')").first.tap()
    refer_form = page.url
    page.select_option("#f-member_id", index=1)
    page.check("input[name=fields][value=address]")
    page.fill("#f-valid_until", str(today() + timedelta(days=60)))
    page.context_.set_offline(True)
    page.fill("#f-note", "化疗下一疗程在两周后，请尽快联系。")
    page.tap("button[type=submit]")
    assert "网络已断开" in page.inner_text(".draft-mark")
    page.shot("09-consent-offline")
    page.reload()
    assert "网络已断开" in page.inner_text("h1")
    page.context_.set_offline(False)
    page.goto(refer_form)
    assert page.input_value("#f-note") == "化疗下一疗程在两周后，请尽快联系。"
    assert page.is_checked("input[name=fields][value=address]")
    page.fits("10-consent-restored")
    _tap_and_wait(page, "button[type=submit]")
    assert "已发送" in page.inner_text("main")
    page.fits("11-referral-sent")

    # A photo of the signed consent form, taken with the phone, attached to the consent.
    with Session(get_engine(live_server.database_url)) as s:
        consent = s.exec(select(Consent).join(Need, Need.id == Consent.need_id)
                         .where(Need.id == int(need_url.rsplit("/", 1)[1]))
                         .order_by(Consent.id.desc())).first()
    page.goto(f"{live_server.url}/consents/{consent.id}/attachments")
    page.select_option("#f-kind", "consent_scan")
    page.set_input_files("#f-file", {"name": "IMG_0001.jpg", "mimeType": "image/jpeg",
                                     "buffer": _photo()})
    _tap_and_wait(page, "form[enctype] button[type=submit]")
    assert "附件已上传" in page.inner_text("main")
    assert "签字授权书扫描件" in page.inner_text("table")
    page.fits("11b-signed-consent-attached")

    # The other field pages at 360 px.
    page.goto(household_url)
    page.fits("12-household-after")
    with Session(get_engine(live_server.database_url)) as s:
        worker = s.exec(select(User).where(User.username == "caseworker")).one()
        followup = s.exec(
            select(FollowUp).join(Need, Need.id == FollowUp.need_id)
            .where(Need.region_path.startswith(worker.region_path), FollowUp.status != "done")
            .order_by(FollowUp.id)).first()
    page.goto(f"{live_server.url}/followups/{followup.id}")
    page.fits("13-followup-record")
    page.goto(live_server.url + "/notifications")
    page.fits("14-inbox")
    page.goto(household_url)
    with page.expect_navigation():
        page.locator("table.members a:has-text('修改或移除')").first.tap()
    page.fits("15-member-edit")
    page.goto(household_url + "/change")
    page.fits("16-change-form")


def test_organisation_staff_answer_and_visit_on_a_phone(phone, live_server):
    page = phone
    with Session(get_engine(live_server.database_url)) as s:
        staff = s.exec(select(User).where(User.username == "org_staff")).one()
        running = s.exec(select(Referral).where(
            Referral.organisation_id == staff.organisation_id,
            Referral.status.in_(("accepted", "in_service"))).order_by(Referral.id)).first()
        waiting = s.exec(select(Referral).where(
            Referral.organisation_id == staff.organisation_id, Referral.status == "sent")
        ).first()
    _sign_in(page, live_server, "org_staff")
    page.fits("01-today")
    page.goto(live_server.url + "/referrals")
    page.fits("02-referral-inbox")
    if waiting is not None:
        page.goto(f"{live_server.url}/referrals/{waiting.id}")
        page.fits("03-referral-to-answer")

    # A weekly visit plan starting today, and today's visit recorded on the phone.
    page.goto(f"{live_server.url}/referrals/{running.id}")
    page.tap("summary:has-text('建立服务计划')")
    page.fill("#f-description", "每周上门打扫并陪同复诊")
    page.fill("#f-every_days", "7")
    page.fill("#f-start_date", str(today()))
    page.fits("04-plan-form")
    _tap_and_wait(page, "button:has-text('建立计划')")
    visit = page.locator("form.visit-form").first
    assert visit.is_visible()
    page.fits("05-plan-visit-due")
    visit.locator("input[name=notes]").fill("已上门打扫，老人精神较好。")
    with page.expect_navigation():
        visit.locator("button").tap()
    assert "已上门打扫，老人精神较好。" in page.inner_text("main")
    page.fits("06-visit-recorded")


def test_a_large_family_typed_offline_comes_back_whole(phone, live_server):
    page = phone
    _sign_in(page, live_server, "caseworker")
    _service_worker_ready(page)
    page.goto(live_server.url + "/households/new")
    page.fill("#f-head_name", "陆永兴")
    names = ["陆小梅", "陆小兰", "陆小军", "陆小红", "陆小华"]  # one more than the page brings
    for row, name in enumerate(names, start=1):
        if row > 1:
            page.tap("#add-member")
        page.fill(f"#f-m{row}_name", name)
    assert page.locator(".member-row:visible").count() == 5
    page.context_.set_offline(True)
    page.reload()
    assert "网络已断开" in page.inner_text("h1")
    page.context_.set_offline(False)
    page.goto(live_server.url + "/households/new")
    assert "未提交" in page.inner_text(".draft-mark")
    assert [page.input_value(f"#f-m{row}_name") for row in range(1, 6)] == names
    assert page.locator(".member-row:visible").count() == 5
    page.fits("01-family-restored")


def _photo() -> bytes:
    """A small JPEG as a phone camera makes it."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (235, 232, 220)).save(out, "JPEG")
    return out.getvalue()
