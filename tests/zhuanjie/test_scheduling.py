"""Deadlines, reminders, escalations, follow-ups and reviews, with the clock under control:
each fires exactly once, at the right time, counted in Asia/Shanghai working days."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.clock import frozen, local_time
from zhuanjie.followups import service as followups
from zhuanjie.followups.schemas import FollowUpRecord
from zhuanjie.households import jobs as household_jobs
from zhuanjie.models import FollowUp, Household, Member, Need, Notification, Offer, Referral
from zhuanjie.needs import jobs as need_jobs
from zhuanjie.offers import jobs as offer_jobs
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import DeliveryIn, ReferralCreate
from zhuanjie.tasks import dispatch

# A Friday morning in Nantong: 2026-12-04 10:00 +08:00.
FRIDAY = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def _told(session, user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return session.exec(query.order_by(Notification.id)).all()


def _run(session, at):
    with frozen(at):
        return dispatch(session, now=at)


@pytest.fixture
def world(session):
    worker = make_user(session, "caseworker")
    county_supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
    other_supervisor = make_user(session, "supervisor", region_path="南通市/海安市")
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, title="大病医疗救助")
    backup = make_offer(session, make_org(session, name="如皋市慈善总会"), title="重病帮扶基金")
    return {
        "worker": worker,
        "sup": county_supervisor,
        "other_sup": other_supervisor,
        "staff": staff,
        "offer": offer,
        "backup": backup,
    }


def _send(session, w, urgency, at):
    with frozen(at):
        need = make_need(session, w["worker"], urgency=urgency)
        member = session.exec(
            select(Member).where(Member.household_id == need.household_id)
        ).first()
        referral = referrals.send_referral(
            session,
            actor=w["worker"],
            need_id=need.id,
            data=(
                ReferralCreate.model_validate(
                    {
                        "offer_id": w["offer"].id,
                        "consent": {
                            "member_id": member.id,
                            "fields": ["name"],
                            "valid_until": str(at.date() + timedelta(days=60)),
                        },
                    }
                )
            ),
        )
    return need, referral


def test_an_ordinary_referral_counts_five_working_days(session, world):
    need, referral = _send(session, world, urgency=1, at=FRIDAY)
    # Friday 10:00 + 5 working days = the next Friday 10:00, weekends skipped.
    assert referral.respond_by_at == datetime(2026, 12, 11, 2, 0, tzinfo=UTC)
    remind_at = FRIDAY + (referral.respond_by_at - FRIDAY) * 0.75

    _run(session, remind_at - timedelta(minutes=1))
    assert _told(session, world["staff"], "referral_reminder") == []
    _run(session, remind_at)
    _run(session, remind_at + timedelta(hours=1))
    assert len(_told(session, world["staff"], "referral_reminder")) == 1

    _run(session, referral.respond_by_at - timedelta(seconds=1))
    assert _told(session, world["worker"], "referral_overdue") == []
    _run(session, referral.respond_by_at)
    _run(session, referral.respond_by_at + timedelta(days=1))
    (overdue,) = _told(session, world["worker"], "referral_overdue")
    assert "可考虑下一个匹配：「重病帮扶基金」" in overdue.body
    assert overdue.link == f"/needs/{need.id}/matches"
    assert len(_told(session, world["sup"], "referral_overdue")) == 1
    assert _told(session, world["other_sup"]) == []


def test_an_emergency_referral_has_24_hours_and_an_answer_stops_the_clock(session, world):
    _need, referral = _send(session, world, urgency=3, at=FRIDAY)
    assert referral.respond_by_at == FRIDAY + timedelta(hours=24)
    with frozen(FRIDAY + timedelta(hours=2)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
    _run(session, FRIDAY + timedelta(days=2))
    assert _told(session, world["staff"], "referral_reminder") == []
    assert _told(session, world["worker"], "referral_overdue") == []


def test_an_accepted_referral_not_delivered_in_time_is_chased(session, world):
    _need, referral = _send(session, world, urgency=2, at=FRIDAY)
    accepted_at = FRIDAY + timedelta(hours=3)
    with frozen(accepted_at):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
    session.refresh(referral)
    assert referral.deliver_by_date == date(2026, 12, 11)  # 紧急: 7 days
    deadline = local_time(referral.deliver_by_date, 18)
    _run(session, deadline - timedelta(minutes=1))
    assert len(_told(session, world["staff"], "delivery_reminder")) == 1
    assert _told(session, world["worker"], "delivery_overdue") == []
    _run(session, deadline)
    _run(session, deadline + timedelta(days=3))
    assert len(_told(session, world["worker"], "delivery_overdue")) == 1
    assert len(_told(session, world["sup"], "delivery_overdue")) == 1


def _delivered(session, world, at):
    need, referral = _send(session, world, urgency=2, at=at)
    with frozen(at + timedelta(hours=1)):
        referrals.accept(session, actor=world["staff"], referral_id=referral.id)
        referrals.deliver(
            session,
            actor=world["staff"],
            referral_id=referral.id,
            data=DeliveryIn(delivery_date=at.date(), what="发放救助金"),
        )
    return need, referral


def test_delivery_schedules_follow_ups_that_remind_then_escalate(session, world):
    need, referral = _delivered(session, world, FRIDAY)
    visits = session.exec(
        select(FollowUp).where(FollowUp.referral_id == referral.id).order_by(FollowUp.due_date)
    ).all()
    assert [v.due_date for v in visits] == [date(2026, 12, 11), date(2027, 1, 3)]
    first = visits[0]
    _run(session, local_time(first.due_date, 9) - timedelta(minutes=1))
    assert _told(session, world["worker"], "followup_due") == []
    _run(session, local_time(first.due_date, 9))
    assert len(_told(session, world["worker"], "followup_due")) == 1
    _run(session, local_time(first.due_date + timedelta(days=2), 9))
    session.refresh(first)
    assert first.status == "missed"
    assert len(_told(session, world["worker"], "followup_missed")) == 1
    assert _told(session, world["sup"], "followup_escalated") == []
    _run(session, local_time(first.due_date + timedelta(days=5), 9))
    _run(session, local_time(first.due_date + timedelta(days=6), 9))
    assert len(_told(session, world["sup"], "followup_escalated")) == 1

    # Recording the second visit before it is due silences its reminders and closes the need.
    second = visits[1]
    followups.record_followup(
        session,
        actor=world["worker"],
        followup_id=second.id,
        data=FollowUpRecord(need_met=True, rating=5, notes="已康复出院"),
    )
    _run(session, local_time(second.due_date + timedelta(days=9), 9))
    assert [n.title for n in _told(session, world["worker"], "followup_due")] == [
        f"今天应回访：{need.title}"
    ]
    session.refresh(need)
    assert (need.status, need.outcome) == ("closed", "met")


def test_an_unmet_follow_up_sends_the_need_back_to_matching(session, world):
    need, referral = _delivered(session, world, FRIDAY)
    visit = session.exec(
        select(FollowUp).where(FollowUp.referral_id == referral.id).order_by(FollowUp.due_date)
    ).first()
    followups.record_followup(
        session,
        actor=world["worker"],
        followup_id=visit.id,
        data=FollowUpRecord(need_met=False, notes="费用仍有缺口"),
    )
    session.refresh(need)
    assert need.status == "open"


def test_needs_idle_for_30_days_are_surfaced_to_the_supervisor_once(session, world):
    with frozen(FRIDAY):
        need = make_need(session, world["worker"])
    with frozen(FRIDAY + timedelta(days=29)):
        need_jobs.surface_stale_needs(session, FRIDAY + timedelta(days=29))
    assert _told(session, world["sup"], "need_stale") == []
    for days in (31, 32):
        at = FRIDAY + timedelta(days=days)
        with frozen(at):
            need_jobs.surface_stale_needs(session, at)
    (told,) = _told(session, world["sup"], "need_stale")
    assert told.link == f"/needs/{need.id}" and "31天无进展" in told.title


def test_reviews_and_transitions_remind_then_end(session, world):
    with frozen(FRIDAY):
        need = make_need(session, world["worker"])
        household = session.get(Household, need.household_id)
        household.groups = ["dibao"]
        household.next_review_date = date(2026, 12, 15)
        household.status, household.transition_until_date = "transition", date(2026, 12, 31)
        session.add(household)
        session.commit()
        household_jobs.review_and_transition(session, FRIDAY)
        household_jobs.review_and_transition(session, FRIDAY)
    assert len(_told(session, world["worker"], "review_due")) == 1
    (ending,) = _told(session, world["worker"], "transition")
    assert "将于 2026-12-31 结束" in ending.title
    after = local_time(date(2027, 1, 1), 9)
    with frozen(after):
        household_jobs.review_and_transition(session, after)
    session.refresh(household)
    assert household.status == "active" and "dibao" not in household.groups
    assert [n.title for n in _told(session, world["worker"], "transition")][-1].endswith(
        "已退出低保"
    )


def test_an_offer_past_its_window_closes_and_its_organisation_is_told_once(session, world):
    offer = session.get(Offer, world["offer"].id)
    offer.valid_until = date(2026, 12, 3)
    session.add(offer)
    session.commit()
    with frozen(FRIDAY):
        assert offer_jobs.close_expired_offers(session, FRIDAY) == 1
        assert offer_jobs.close_expired_offers(session, FRIDAY) == 0
    session.refresh(offer)
    assert offer.status == "closed"
    assert len(_told(session, world["staff"], "offer_closed")) == 1


def test_nightly_rematching_tells_of_a_clearly_better_offer_once(session, world, login):
    with frozen(FRIDAY):
        need = make_need(
            session,
            world["worker"],
            category="education",
            title="高三学生学费困难",
            description="父亲病故，孩子明年高考，学费生活费无着落。",
        )
        make_offer(session, title="法律援助", categories=("legal",), description="免费法律咨询")
        client = login(world["worker"].username)
        client.get(f"/needs/{need.id}/matches")  # what the caseworker has seen
        seen = session.get(Need, need.id).best_seen_score or 0
        better = make_offer(
            session,
            title="困难家庭高中生助学金",
            categories=("education",),
            description="资助困难家庭高中学生学费和生活费，高考前一年优先。",
        )
        need_jobs.nightly_rematch(session, FRIDAY)
        need_jobs.nightly_rematch(session, FRIDAY)
    (told,) = _told(session, world["worker"], "better_match")
    assert "困难家庭高中生助学金" in told.body
    assert session.get(Need, need.id).best_seen_score > seen + 0.1
    assert better.id and told.link == f"/needs/{need.id}/matches"


def test_referral_clocks_stop_when_the_referral_ends(session, world):
    _need, referral = _send(session, world, urgency=1, at=FRIDAY)
    with frozen(FRIDAY + timedelta(hours=1)):
        referrals.withdraw(
            session,
            actor=world["worker"],
            referral_id=referral.id,
            data=referrals.NoteIn(note="已由政府救助"),
        )
    report = _run(session, FRIDAY + timedelta(days=30))
    assert report.done == 0
    assert session.get(Referral, referral.id).status == "withdrawn"
