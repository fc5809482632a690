"""Recurring service help: a plan lays out visits, the organisation records them, a missed one
is flagged and told once, and the caseworker sees the record."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.clock import frozen
from zhuanjie.models import Member, Notification, ServiceVisit
from zhuanjie.plans import service as plans
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate

MONDAY = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 in Nantong


def _accepted(session):
    worker = make_user(session, "caseworker")
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, categories=("care",), title="独居老人上门照料")
    need = make_need(
        session,
        worker,
        category="care",
        title="独居老人需要照料",
        description="八十岁独居，行动不便",
    )
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    referral = referrals.send_referral(
        session,
        actor=worker,
        need_id=need.id,
        data=(
            ReferralCreate.model_validate(
                {
                    "offer_id": offer.id,
                    "consent": {
                        "member_id": member.id,
                        "fields": ["name", "address"],
                        "valid_until": "2027-12-31",
                    },
                }
            )
        ),
    )
    referrals.accept(session, actor=staff, referral_id=referral.id)
    return worker, staff, referral


def test_a_weekly_plan_is_kept_and_a_missed_visit_is_told_once(session, login):
    with frozen(MONDAY):
        worker, staff, referral = _accepted(session)
        client = login(staff.username)
        bad = client.post(
            f"/referrals/{referral.id}/plan",
            data={"description": "每周上门打扫", "every_days": "0", "start_date": "2026-12-07"},
        )
        assert bad.status_code == 400 and 'id="err-every_days">不能小于1' in bad.text
        assert 'value="每周上门打扫"' in bad.text
        made = client.post(
            f"/api/v1/referrals/{referral.id}/plan",
            json={
                "description": "每周上门打扫、陪同买菜",
                "every_days": 7,
                "start_date": "2026-12-07",
                "end_date": "2027-02-28",
            },
        )
        assert made.status_code == 201
        visits = session.exec(select(ServiceVisit).order_by(ServiceVisit.due_date)).all()
        assert [v.due_date for v in visits][:3] == [
            date(2026, 12, 7),
            date(2026, 12, 14),
            date(2026, 12, 21),
        ]
        assert len(visits) == 5  # four weeks ahead
        done = client.post(f"/api/v1/visits/{visits[0].id}", json={"notes": "打扫完毕"})
        assert done.status_code == 200 and done.json()["status"] == "done"
        early = client.post(f"/api/v1/visits/{visits[1].id}", json={"notes": "提前"})
        assert early.status_code == 422

    later = MONDAY + timedelta(days=9)  # 16 Dec: the 14 Dec visit is not yet two days late
    with frozen(later):
        plans.keep_plans(session, later)
    assert session.exec(select(Notification).where(Notification.kind == "visit_missed")).all() == []
    much_later = MONDAY + timedelta(days=17)
    with frozen(much_later):
        plans.keep_plans(session, much_later)
        plans.keep_plans(session, much_later)
    session.expire_all()
    assert session.get(ServiceVisit, visits[1].id).status == "missed"
    told = session.exec(
        select(Notification.user_id).where(Notification.kind == "visit_missed")
    ).all()
    # 14 and 21 Dec are both two days late on 24 Dec: each told to both, once.
    assert sorted(told) == sorted([staff.id, worker.id] * 2)
    assert (
        session.exec(select(ServiceVisit).where(ServiceVisit.due_date > date(2027, 1, 1))).first()
        is not None
    )  # topped up

    client.post("/logout")
    page = login(worker.username).get(f"/referrals/{referral.id}")
    assert "每周上门打扫、陪同买菜" in page.text and "漏访" in page.text and "打扫完毕" in page.text


def test_a_visit_due_today_in_nantong_can_be_recorded_after_utc_midnight_there(session, login):
    """Monday 00:30 in Nantong is still Sunday in UTC: the visit due on the local Monday is
    today's visit, and its form is on the referral page (it was hidden until 08:00 local)."""
    with frozen(datetime(2026, 12, 6, 16, 30, tzinfo=UTC)):
        worker, staff, referral = _accepted(session)
        client = login(staff.username)
        made = client.post(
            f"/api/v1/referrals/{referral.id}/plan",
            json={"description": "每周上门打扫", "every_days": 7, "start_date": "2026-12-07"},
        )
        assert made.status_code == 201
        page = client.get(f"/referrals/{referral.id}")
        assert page.status_code == 200
        assert page.text.count('class="visit-form"') == 1  # Monday's, not next Monday's
