"""统筹分配, the whole loop in a real browser on a copy of the demo city: the 如皋 supervisor
allocates an offer's two places in 白蒲镇, removes one need and pins another, runs it again and
confirms; the caseworker finds the proposals in her queue, records one household's consent and
sends it, and declines the other with a reason; the organisation sees nothing before the
consent, and then exactly the one referral that was sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.zhuanjie.factories import RUGAO_TOWN, make_offer
from zhuanjie.db import get_engine, utc_now
from zhuanjie.models import Household, Member, Need, Organisation, User

pytestmark = pytest.mark.browser

TITLES = {
    "first": "肾移植术后抗排异药费（统筹甲）",
    "second": "肾移植术后抗排异药费（统筹乙）",
    "third": "肾移植术后抗排异药费（统筹丙）",
}
TEXT = "户主肾移植术后需要长期服用抗排异药物，医保报销后自付药费每月两千多元，难以承担。"


def _world(url: str) -> dict:
    """A limited offer of the demo organisation (two places, 白蒲镇) and three open needs of
    the demo caseworker that fit it well: two 急难 特困 households, one 普通."""
    with Session(get_engine(url), expire_on_commit=False) as s:
        users = {u.username: u for u in s.exec(select(User)).all()}
        worker, staff = users["caseworker"], users["org_staff"]
        org = s.get(Organisation, staff.organisation_id)
        offer = make_offer(s, org, coverage=(RUGAO_TOWN,), capacity=2,
                           title="肾移植术后用药救助（限2人）",
                           description="为肾移植术后需要长期服用抗排异药物的困难患者补助自付药费")
        ids = {}
        for k, (key, title) in enumerate(TITLES.items()):
            at = utc_now() - timedelta(days=30 - k)
            h = Household(region_path=RUGAO_TOWN, village="新华村",
                          groups=["tekun"] if key != "third" else ["low_income"],
                          income_per_capita=400, created_by_id=worker.id)
            s.add(h)
            s.flush()
            s.add(Member(household_id=h.id, name=f"测试户{k}", relation="head", is_head=True))
            need = Need(household_id=h.id, region_path=RUGAO_TOWN, category="medical",
                        title=title, description=TEXT, urgency=3 if key != "third" else 1,
                        created_by_id=worker.id, created_at=at, updated_at=at,
                        last_action_at=at)
            s.add(need)
            s.flush()
            ids[key] = need.id
        s.commit()
        return {"offer": offer.id, **ids}


def _row(page, kind: str, need_id: int):
    return page.locator(f"tr.{kind}[data-need='{need_id}']")


def test_the_whole_allocation_loop(page, sign_in, sign_out, live_server):
    world = _world(live_server.database_url)
    first, second, third = world["first"], world["second"], world["third"]

    # 1. The supervisor runs the allocation for the offer in 白蒲镇.
    sign_in(live_server, "supervisor_rugao")
    page.click("nav >> text=统筹分配")
    page.select_option("#f-region_path", RUGAO_TOWN)
    page.select_option("#f-offer_id", str(world["offer"]))
    page.click("#run-allocation")
    page.wait_for_url(re.compile(r".*/allocation/\d+$"))
    run_url = page.url
    assert page.inner_text("#places") == "2"
    assert _row(page, "assigned", first).count() == 1
    assert _row(page, "assigned", second).count() == 1
    assert _row(page, "left-out", third).count() == 1
    assert "名额已满" in _row(page, "left-out", third).inner_text()
    page.shot("01-proposal")

    # 2. She removes the second need (the family is being helped otherwise) and pins the first.
    page.click(f"#remove-{second}")
    page.wait_for_load_state()
    assert "主管已将其移出" in _row(page, "left-out", second).inner_text()
    assert _row(page, "assigned", third).count() == 1  # the place went to the next need
    page.click(f"#pin-{first}")
    page.wait_for_load_state()
    assert "已固定" in _row(page, "assigned", first).inner_text()
    page.click("#rerun")
    page.wait_for_load_state()
    assert "已固定" in _row(page, "assigned", first).inner_text()
    assert _row(page, "left-out", second).count() == 1
    page.shot("02-adjusted")
    page.click("#confirm")
    page.wait_for_load_state()
    assert "已确认" in page.inner_text("h1")
    assert page.locator("#confirm").count() == 0
    sign_out()

    # 3. Nothing has reached the organisation.
    sign_in(live_server, "org_staff")
    page.goto(live_server.url + "/referrals")
    for title in TITLES.values():
        assert title not in page.inner_text("body")
    sign_out()

    # 4. The caseworker: consent and send the first; decline the third with a reason.
    sign_in(live_server, "caseworker")
    page.click("nav >> text=分配建议")
    assert _row(page, "proposal", first).count() == 1
    assert _row(page, "proposal", third).count() == 1
    assert _row(page, "proposal", second).count() == 0
    page.shot("03-queue")
    _row(page, "proposal", first).locator("text=记录同意并发送").click()
    page.wait_for_url(re.compile(r".*/needs/\d+/refer\?offer_id=\d+$"))
    page.select_option("#f-member_id", index=1)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*/needs/{first}$"))
    page.goto(live_server.url + "/allocation/proposals")
    assert _row(page, "proposal", first).count() == 0
    row = _row(page, "proposal", third)
    row.locator("select").select_option("not_needed")
    row.locator("input[name=note]").fill("家属已筹到药费")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert _row(page, "proposal", third).count() == 0
    sign_out()

    # 5. The organisation now sees the one referral that was consented to and sent.
    sign_in(live_server, "org_staff")
    page.goto(live_server.url + "/referrals")
    body = page.inner_text("body")
    assert TITLES["first"] in body and TITLES["third"] not in body
    page.shot("04-org-inbox")
    sign_out()

    # 6. The supervisor's run shows what became of each proposal.
    sign_in(live_server, "supervisor_rugao")
    page.goto(run_url)
    states = page.inner_text("#proposals")
    assert "已同意并发送" in states and "未采纳（家庭已不需要）" in states
    page.shot("05-outcome")

    # 7. On a phone: nothing pushes the page sideways (the tables scroll inside their card).
    page.set_viewport_size({"width": 360, "height": 780})
    for path in (run_url, live_server.url + "/allocation"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 1, (path, width)
    page.shot("06-phone")
