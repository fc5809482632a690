"""The start page's "今日待办": each kind of due item appears on the right person's page on the
right day (the clock frozen), with its one link, and leaves once the work is done."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.clock import frozen, local_time
from zhuanjie.consents import service as consents
from zhuanjie.consents.schemas import WithdrawalIn
from zhuanjie.followups import service as followups
from zhuanjie.followups.schemas import FollowUpRecord
from zhuanjie.households import service as households
from zhuanjie.models import FollowUp, Household, Member
from zhuanjie.needs import jobs as need_jobs
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import DeclineIn, DeliveryIn, ReferralCreate

# A Friday morning in Nantong: 2026-12-04 10:00 +08:00.
FRIDAY = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


@pytest.fixture
def world(session):
    worker = make_user(session, "caseworker")
    org = make_org(session)
    return {
        "worker": worker,
        "elsewhere": make_user(session, "caseworker", region_path="南通市/海安市/城东镇"),
        "staff": make_user(session, "org_staff", organisation_id=org.id),
        "other_staff": make_user(session, "org_staff"),
        "offer": make_offer(session, org, title="大病医疗救助"),
        "backup": make_offer(session, make_org(session, name="如皋市慈善总会"),
                             title="重病帮扶基金"),
    }


def _due(client, login, user, at) -> dict[str, list[str]]:
    """The start page's list as the person sees it: kind -> the items' text, in order."""
    with frozen(at):  # signed in at that moment too: a session idles out after 30 minutes
        login(user)
        page = client.get("/")
    assert page.status_code == 200, page.text
    html = page.text
    if "今日待办" not in html:
        return {}
    found: dict[str, list[str]] = {}
    for kind, body in re.findall(r'data-kind="(\w+)">(.*?)</li>', html, re.S):
        found.setdefault(kind, []).append(re.sub(r"<[^>]+>|\s+", " ", body))
    return found


def _send(session, w, at, *, offer=None, urgency=2, need=None, valid_days=60):
    with frozen(at):
        need = need or make_need(session, w["worker"], urgency=urgency)
        member = session.exec(
            select(Member).where(Member.household_id == need.household_id)).first()
        referral = referrals.send_referral(
            session, actor=w["worker"], need_id=need.id,
            data=ReferralCreate.model_validate({
                "offer_id": (offer or w["offer"]).id,
                "consent": {"member_id": member.id, "fields": ["name"],
                            "valid_until": str(at.date() + timedelta(days=valid_days))},
            }),
        )
    return need, referral


def test_an_unanswered_referral_reaches_the_organisation_then_the_caseworker(
        session, client, login, world):
    need, referral = _send(session, world, FRIDAY)  # 紧急: 48 hours
    assert referral.respond_by_at == FRIDAY + timedelta(hours=48)

    answer = _due(client, login, world["staff"], FRIDAY + timedelta(hours=1))["answer"]
    assert need.title in answer[0] and "答复" in answer[0]
    assert "answer" not in _due(client, login, world["other_staff"], FRIDAY + timedelta(hours=1))
    assert "referral_overdue" not in _due(client, login, world["worker"],
                                          referral.respond_by_at - timedelta(minutes=1))

    late = referral.respond_by_at + timedelta(hours=2)
    (item,) = _due(client, login, world["worker"], late)["referral_overdue"]
    assert need.title in item and "下一个匹配：「重病帮扶基金」" in item
    assert "referral_overdue" not in _due(client, login, world["elsewhere"], late)

    with frozen(late):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
    assert "referral_overdue" not in _due(client, login, world["worker"], late)
    assert "answer" not in _due(client, login, world["staff"], late)


def test_a_declined_referral_waits_until_the_need_is_sent_elsewhere(
        session, client, login, world):
    need, referral = _send(session, world, FRIDAY)
    with frozen(FRIDAY + timedelta(hours=3)):
        referrals.decline(session, actor=world["staff"], referral_id=referral.id,
                          data=DeclineIn(reason="full"))
    (item,) = _due(client, login, world["worker"], FRIDAY + timedelta(hours=4))[
        "referral_declined"]
    assert "已拒绝" in item and "「重病帮扶基金」" in item and "改转其他项目" in item

    _send(session, world, FRIDAY + timedelta(hours=5), offer=world["backup"], need=need)
    assert "referral_declined" not in _due(client, login, world["worker"],
                                           FRIDAY + timedelta(hours=6))


def test_a_delivery_is_due_for_the_organisation_and_overdue_for_the_caseworker(
        session, client, login, world):
    need, referral = _send(session, world, FRIDAY)
    with frozen(FRIDAY + timedelta(hours=1)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
    session.refresh(referral)
    deliver_by = referral.deliver_by_date  # 紧急: 7 days
    assert deliver_by == date(2026, 12, 11)

    four_days_before = local_time(deliver_by - timedelta(days=4))
    assert "deliver" not in _due(client, login, world["staff"], four_days_before)
    (item,) = _due(client, login, world["staff"], local_time(deliver_by - timedelta(days=3)))[
        "deliver"]
    assert "3 天后" in item and "登记送达" in item

    assert "delivery_overdue" not in _due(client, login, world["worker"], local_time(deliver_by))
    day_after = local_time(deliver_by + timedelta(days=1))
    (item,) = _due(client, login, world["worker"], day_after)["delivery_overdue"]
    assert "已逾期 1 天" in item

    with frozen(day_after):
        referrals.deliver(session, actor=world["staff"], referral_id=referral.id,
                          data=DeliveryIn(delivery_date=deliver_by, what="发放救助金"))
    assert "delivery_overdue" not in _due(client, login, world["worker"], day_after)
    assert "deliver" not in _due(client, login, world["staff"], day_after)


def test_a_follow_up_is_due_on_its_day_then_missed_until_recorded(session, client, login, world):
    need, referral = _send(session, world, FRIDAY)
    with frozen(FRIDAY + timedelta(hours=1)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
        referrals.deliver(session, actor=world["staff"], referral_id=referral.id,
                          data=DeliveryIn(delivery_date=FRIDAY.date(), what="发放救助金"))
    first = session.exec(select(FollowUp).where(FollowUp.referral_id == referral.id)
                         .order_by(FollowUp.due_date)).first()
    day = first.due_date

    before = _due(client, login, world["worker"], local_time(day - timedelta(days=1)))
    assert "followup_due" not in before and "followup_missed" not in before
    (item,) = _due(client, login, world["worker"], local_time(day))["followup_due"]
    assert need.title in item and "今天" in item and "登记回访" in item
    assert "followup_due" not in _due(client, login, world["elsewhere"], local_time(day))
    late = local_time(day + timedelta(days=2))
    (item,) = _due(client, login, world["worker"], late)["followup_missed"]
    assert "已逾期 2 天" in item

    with frozen(late):
        followups.record_followup(session, actor=world["worker"], followup_id=first.id,
                                  data=FollowUpRecord(need_met=True, rating=5))
    after = _due(client, login, world["worker"], late)
    assert "followup_missed" not in after and "followup_due" not in after


def test_a_consent_about_to_expire_is_shown_for_two_weeks(session, client, login, world):
    need, referral = _send(session, world, FRIDAY, valid_days=30)
    with frozen(FRIDAY + timedelta(hours=1)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
    until = FRIDAY.date() + timedelta(days=30)
    assert "consent_expiring" not in _due(client, login, world["worker"],
                                          local_time(until - timedelta(days=15)))
    at = local_time(until - timedelta(days=14))
    (item,) = _due(client, login, world["worker"], at)["consent_expiring"]
    assert "查看授权" in item
    assert "consent_expiring" not in _due(client, login, world["elsewhere"], at)

    with frozen(at):
        consents.withdraw(session, actor=world["worker"], need_id=need.id,
                          data=WithdrawalIn(reason="家庭不再需要"))
    assert "consent_expiring" not in _due(client, login, world["worker"], at)


def test_a_need_without_referral_for_a_week_then_referred(session, client, login, world):
    with frozen(FRIDAY):
        need = make_need(session, world["worker"], title="独居老人助餐")
    assert "need_waiting" not in _due(client, login, world["worker"],
                                      FRIDAY + timedelta(days=6, hours=23))
    (item,) = _due(client, login, world["worker"], FRIDAY + timedelta(days=7, hours=1))[
        "need_waiting"]
    assert "独居老人助餐" in item and "查看匹配" in item
    _send(session, world, FRIDAY + timedelta(days=8), need=need)
    assert "need_waiting" not in _due(client, login, world["worker"], FRIDAY + timedelta(days=8))


def test_reviews_and_transition_ends_of_this_month(session, client, login, world):
    with frozen(FRIDAY):
        need = make_need(session, world["worker"])
    household = session.get(Household, need.household_id)
    review_day = household.next_review_date  # twelve months on
    assert review_day == date(2027, 12, 4)
    assert "review_due" not in _due(client, login, world["worker"], local_time(date(2027, 11, 30)))
    (item,) = _due(client, login, world["worker"], local_time(date(2027, 12, 1)))["review_due"]
    assert "12月04日" in item and "3 天后" in item and "复核家庭" in item

    with frozen(local_time(date(2027, 12, 2))):
        households.record_review(session, actor=world["worker"], household_id=household.id)
    assert "review_due" not in _due(client, login, world["worker"], local_time(date(2027, 12, 2)))

    with frozen(FRIDAY):
        households.start_transition(session, actor=world["worker"], household_id=household.id)
    session.refresh(household)
    assert household.transition_until_date == date(2027, 6, 4)
    assert "transition_ending" not in _due(client, login, world["worker"],
                                           local_time(date(2027, 5, 31)))
    (item,) = _due(client, login, world["worker"], local_time(date(2027, 6, 1)))[
        "transition_ending"]
    assert "渐退期至 06月04日" in item


def test_a_better_match_found_overnight_stays_until_opened(session, client, login, world):
    with frozen(FRIDAY):
        need = make_need(session, world["worker"], title="透析费用")
    night = FRIDAY + timedelta(hours=16)  # 02:00 the next night
    with frozen(night):
        assert need_jobs.nightly_rematch(session, night) == 1
    morning = FRIDAY + timedelta(days=1)
    (item,) = _due(client, login, world["worker"], morning)["better_match"]
    assert "透析费用" in item and "查看匹配" in item
    assert "better_match" not in _due(client, login, world["elsewhere"], morning)

    with frozen(morning):
        login(world["worker"])
        page = client.get("/")
        (action,) = re.findall(r'action="(/notifications/\d+/open)"', page.text)
        opened = client.post(action, follow_redirects=False)
    assert opened.headers["location"] == f"/needs/{need.id}/matches"
    assert "better_match" not in _due(client, login, world["worker"], morning)


def test_the_most_urgent_comes_first_and_an_empty_day_says_so(session, client, login, world):
    with frozen(FRIDAY):
        login(world["worker"])
        assert "今天没有到期的事项" in client.get("/").text
    with frozen(FRIDAY - timedelta(days=20)):
        make_need(session, world["worker"], title="早登记的需求")
    _need, referral = _send(session, world, FRIDAY - timedelta(days=3))
    with frozen(FRIDAY - timedelta(days=3, hours=-1)):
        referrals.decline(session, actor=world["staff"], referral_id=referral.id,
                          data=DeclineIn(reason="full"))
    with frozen(FRIDAY):
        login(world["worker"])
        html = client.get("/").text
    kinds = re.findall(r'data-kind="(\w+)"', html)
    # Waiting since the 21st day before (due a week after) beats declined three days ago.
    assert kinds.index("need_waiting") < kinds.index("referral_declined")
    assert html.index("今日待办") < html.index('class="figures"')  # the list before the tiles


def test_a_long_kind_shows_its_five_most_urgent_and_links_to_the_rest(
        session, client, login, world):
    with frozen(FRIDAY - timedelta(days=10)):
        for n in range(7):
            make_need(session, world["worker"], title=f"等待转介的需求{n}")
    due = _due(client, login, world["worker"], FRIDAY)
    assert len(due["need_waiting"]) == 5
    with frozen(FRIDAY):
        login(world["worker"])
        html = client.get("/").text
    assert "今日待办（7）" in html
    assert '<a href="/needs?status=open">一周未转介 2 项</a>' in html


def test_a_service_visit_is_due_for_the_organisation_until_recorded(
        session, client, login, world):
    from zhuanjie.plans import service as plans
    from zhuanjie.plans.schemas import PlanCreate, VisitRecord

    _need, referral = _send(session, world, FRIDAY)
    with frozen(FRIDAY + timedelta(hours=1)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
        plan = plans.create_plan(session, actor=world["staff"], referral_id=referral.id,
                                 data=PlanCreate(description="每周上门助洁", every_days=7,
                                                 start_date=FRIDAY.date() + timedelta(days=1)))
    assert "visit" not in _due(client, login, world["staff"], FRIDAY + timedelta(hours=2))
    saturday = FRIDAY + timedelta(days=1)
    (item,) = _due(client, login, world["staff"], saturday)["visit"]
    assert "每周上门助洁" in item and "登记探访" in item
    assert "visit" not in _due(client, login, world["other_staff"], saturday)

    (visit_id,) = [v.id for _p, visits in plans.plans_of(session, referral.id) for v in visits
                   if v.plan_id == plan.id and v.due_date == saturday.date()]
    with frozen(saturday):
        plans.record_visit(session, actor=world["staff"], visit_id=visit_id,
                           data=VisitRecord(notes="已打扫"))
    assert "visit" not in _due(client, login, world["staff"], saturday)


def test_a_caseworker_moved_to_another_township_sees_that_townships_work(
        session, client, login, world):
    """The list's statements are built once per process for each person's scope: a move is
    a new scope, and the figures and items follow it at once."""
    worker = world["worker"]
    with frozen(FRIDAY):
        make_need(session, worker, title="独居老人助餐")
    later = FRIDAY + timedelta(days=8)
    assert "独居老人助餐" in " ".join(_due(client, login, worker, later)["need_waiting"])
    worker.region_path = world["elsewhere"].region_path
    session.add(worker)
    session.commit()
    assert "need_waiting" not in _due(client, login, worker, later)
