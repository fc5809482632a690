"""Every lifecycle with a state has one owner and one table of allowed moves.

The tables below are written out by hand, not read from the code: each allowed move must
work through its owner, and every other (from, to) pair must be refused with Conflict and
leave the row, its history and what hangs on it exactly as they were. Then what the owners
promise beyond the table: a pledge's referral gets its delivery deadline, and a service plan
ends with its referral, on its end date, or by hand with a reason (nothing is laid out and
nobody is told of a missed visit after the end).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import product

import pytest
from sqlmodel import func, select

from tests.zhuanjie.factories import make_household, make_need, make_offer, make_org, make_user
from tests.zhuanjie.test_plans import MONDAY, _accepted
from tests.zhuanjie.test_publication import publish_need
from zhuanjie import codes
from zhuanjie.allocation import flow as allocation_flow
from zhuanjie.clock import frozen
from zhuanjie.donors import cache
from zhuanjie.donors import flow as donor_flow
from zhuanjie.errors import Conflict
from zhuanjie.followups import flow as followup_flow
from zhuanjie.intake import flow as intake_flow
from zhuanjie.learning import flow as learning_flow
from zhuanjie.models import (
    Consent,
    FollowUp,
    Intake,
    Member,
    NeedPublication,
    Notification,
    Offer,
    OfferRevision,
    Pledge,
    Referral,
    ReferralEvent,
    ServicePlan,
    ServiceVisit,
    Task,
    UnclaimedBenefit,
)
from zhuanjie.offers import flow as offer_flow
from zhuanjie.plans import flow as plan_flow
from zhuanjie.plans import service as plans
from zhuanjie.referrals import flow as referral_flow
from zhuanjie.rolls import flow as roll_flow
from zhuanjie.unclaimed import flow as unclaimed_flow

ALLOWED = {
    "referral": {
        ("sent", "accepted"), ("sent", "declined"), ("sent", "withdrawn"),
        ("accepted", "in_service"), ("accepted", "delivered"), ("accepted", "failed"),
        ("accepted", "withdrawn"),
        ("in_service", "delivered"), ("in_service", "failed"), ("in_service", "withdrawn"),
        ("delivered", "closed"), ("failed", "closed"), ("declined", "closed"),
    },
    "offer": {
        ("draft", "published"), ("draft", "closed"),
        ("published", "paused"), ("published", "closed"),
        ("paused", "published"), ("paused", "closed"),
        ("review", "published"), ("review", "closed"),
    },
    "publication": {("published", "taken_down")},
    "pledge": {
        ("pending", "confirmed"), ("pending", "declined"), ("pending", "cancelled"),
        ("confirmed", "delivered"),
    },
    "follow_up": {("scheduled", "done"), ("scheduled", "missed"), ("missed", "done")},
    "plan": {("active", "ended")},
    "visit": {("due", "done"), ("due", "missed"), ("due", "cancelled"), ("missed", "done")},
    "unclaimed": {("open", "applied"), ("open", "refused"), ("open", "not_wanted"),
                  ("applied", "refused")},
    "model": {("candidate", "promoted"), ("candidate", "refused"), ("promoted", "retired"),
              ("promoted", "refused"), ("retired", "promoted"), ("retired", "refused")},
    "allocation_run": {("draft", "confirmed")},
    "proposal": {("proposed", "sent"), ("proposed", "declined")},
    "intake": {("received", "accepted"), ("received", "declined"), ("received", "closed"),
               ("accepted", "closed")},
    "roll_item": {("open", "closed")},
}
STATES = {
    "referral": codes.ReferralStatus,
    "offer": codes.OfferStatus,
    "publication": codes.PublicationStatus,
    "pledge": codes.PledgeStatus,
    "follow_up": codes.FollowUpStatus,
    "plan": codes.PlanStatus,
    "visit": codes.VisitStatus,
    "unclaimed": codes.UnclaimedStatus,
    "model": codes.ModelStatus,
    "allocation_run": codes.RunStatus,
    "proposal": codes.ProposalStatus,
    "intake": codes.IntakeStatus,
    "roll_item": codes.RollItemStatus,
}
TABLES = {
    "referral": referral_flow.TRANSITIONS,
    "offer": offer_flow.TRANSITIONS,
    "publication": donor_flow.PUBLICATION_TRANSITIONS,
    "pledge": donor_flow.PLEDGE_TRANSITIONS,
    "follow_up": followup_flow.TRANSITIONS,
    "plan": plan_flow.PLAN_TRANSITIONS,
    "visit": plan_flow.VISIT_TRANSITIONS,
    "unclaimed": unclaimed_flow.TRANSITIONS,
    "model": learning_flow.TRANSITIONS,
    "allocation_run": allocation_flow.RUN_TRANSITIONS,
    "proposal": allocation_flow.TRANSITIONS,
    "intake": intake_flow.TRANSITIONS,
    "roll_item": roll_flow.TRANSITIONS,
}


@pytest.fixture(autouse=True)
def _fresh_board_cache():
    cache.clear()
    yield
    cache.clear()


def test_each_owner_allows_exactly_the_moves_of_its_table():
    for name, table in TABLES.items():
        assert set(table) == set(STATES[name]), name
        moves = {(str(a), str(b)) for a, targets in table.items() for b in targets}
        assert moves == ALLOWED[name], name


def test_codes_are_enums_with_the_labelled_vocabularies_and_a_typo_is_an_error(session):
    pairs = [
        (codes.Role, codes.ROLES), (codes.OrgKind, codes.ORG_KINDS),
        (codes.Department, codes.DEPARTMENTS),
        (codes.OrgStatus, codes.ORG_STATUSES), (codes.OfferMode, codes.OFFER_MODES),
        (codes.OfferStatus, codes.OFFER_STATUSES), (codes.NeedStatus, codes.NEED_STATUSES),
        (codes.ReferralStatus, codes.REFERRAL_STATUSES), (codes.PledgeKind, codes.PLEDGE_KINDS),
        (codes.PledgeStatus, codes.PLEDGE_STATUSES),
        (codes.PublicationStatus, codes.PUBLICATION_STATUSES),
        (codes.FollowUpStatus, codes.FOLLOWUP_STATUSES), (codes.PlanStatus, codes.PLAN_STATUSES),
        (codes.VisitStatus, codes.VISIT_STATUSES), (codes.TaskKind, codes.TASK_KINDS),
        (codes.UnclaimedStatus, codes.UNCLAIMED_STATUSES),
        (codes.ModelStatus, codes.MODEL_STATUSES),
        (codes.RunStatus, codes.RUN_STATUSES), (codes.ProposalStatus, codes.PROPOSAL_STATUSES),
        (codes.IntakeStatus, codes.INTAKE_STATUSES),
        (codes.RollItemStatus, codes.ROLL_ITEM_STATUSES),
    ]
    for enum, labels in pairs:
        assert [m.value for m in enum] == list(labels), enum.__name__
    assert codes.ReferralStatus.SENT == "sent" and f"{codes.Role.ADMIN}" == "admin"
    referral, _ = _referral_world(session)
    with pytest.raises(ValueError):
        referral_flow.move(session, referral, to="acepted", by=None)
    session.refresh(referral)
    assert referral.status == "sent"


# --- the table, move by move ------------------------------------------------------------------


def _referral_world(session):
    worker = make_user(session, "caseworker")
    org = make_org(session)
    make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, capacity=None)
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    consent = Consent(household_id=need.household_id, member_id=member.id, need_id=need.id,
                      organisation_id=org.id, fields=["name"], valid_until=date(2099, 1, 1))
    session.add(consent)
    session.flush()

    def make(state: str) -> Referral:
        referral = referral_flow.open_referral(session, need=need, offer=offer,
                                               consent_id=consent.id, by=worker)
        for step in PATHS[state]:
            referral_flow.move(session, referral, to=step, by=worker, note="前置")
        return referral

    return make("sent"), make


PATHS = {
    "sent": [], "accepted": ["accepted"], "declined": ["declined"],
    "in_service": ["accepted", "in_service"], "delivered": ["accepted", "delivered"],
    "failed": ["accepted", "failed"], "closed": ["accepted", "delivered", "closed"],
    "withdrawn": ["withdrawn"],
}


def _snapshot(session, row, *counts):
    session.expire_all()
    fresh = session.get(type(row), row.id)
    return fresh.model_dump(), [session.exec(q).one() for q in counts]


def _check_table(session, name, make, move, counts_of):
    """Every (from, to) pair: allowed ones move; others raise Conflict and change nothing."""
    wrong = []
    for start, to in product(list(STATES[name]), repeat=2):
        row = make(str(start))
        assert str(row.status if name != "plan" else plan_flow.plan_status(row)) == start
        before = _snapshot(session, row, *counts_of(row))
        try:
            move(row, str(to))
        except Conflict:
            if (start, to) in ALLOWED[name]:
                wrong.append(f"{start} → {to} refused")
            elif _snapshot(session, row, *counts_of(row)) != before:
                wrong.append(f"{start} → {to} refused but changed something")
        else:
            session.refresh(row)
            now = plan_flow.plan_status(row) if name == "plan" else row.status
            if (start, to) not in ALLOWED[name]:
                wrong.append(f"{start} → {to} allowed")
            elif now != to:
                wrong.append(f"{start} → {to} left it {now}")
    assert wrong == []


def test_referral_moves(session):
    first, make = _referral_world(session)
    offer_id = first.offer_id

    def counts_of(r):
        return (
            select(func.count()).select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == r.id),
            select(Offer.places_taken).where(Offer.id == offer_id),
            select(func.count()).select_from(Task).where(
                Task.object_type == "referral", Task.object_id == r.id, Task.done_at.is_(None)),
            select(func.count()).select_from(Notification),
            select(func.count()).select_from(FollowUp).where(FollowUp.referral_id == r.id),
        )

    _check_table(session, "referral", make,
                 lambda r, to: referral_flow.move(session, r, to=to, by=None, note="测试",
                                                  decline_reason="full"),
                 counts_of)


def test_offer_moves(session):
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    _check_table(
        session, "offer", lambda state: make_offer(session, org, status=state),
        lambda o, to: offer_flow.move(session, o, to=to, by=staff),
        lambda o: (select(func.count()).select_from(OfferRevision)
                   .where(OfferRevision.offer_id == o.id),),
    )


def _publication(session, status="published"):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    member = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    consent = Consent(household_id=need.household_id, member_id=member.id, need_id=need.id,
                      purpose="publication", fields=["need_text"], valid_until=date(2099, 1, 1))
    session.add(consent)
    session.flush()
    pub = NeedPublication(need_id=need.id, consent_id=consent.id, title="一户家庭的求助",
                          region_path=need.region_path, category="medical", status=status,
                          amount_goal=Decimal("5000"))
    session.add(pub)
    session.flush()
    return pub, worker


def test_publication_and_pledge_moves(session):
    _check_table(
        session, "publication", lambda state: _publication(session, state)[0],
        lambda p, to: donor_flow.move_publication(session, p, to=to, reason="测试"),
        lambda p: (),
    )
    pub, worker = _publication(session)
    donor = make_user(session, "donor")

    def make(state):
        pledge = Pledge(publication_id=pub.id, donor_id=donor.id, kind="money",
                        amount=Decimal("100"), status=state)
        session.add(pledge)
        session.flush()
        return pledge

    _check_table(session, "pledge", make,
                 lambda p, to: donor_flow.move_pledge(session, p, to=to, by=worker),
                 lambda p: ())


def test_follow_up_plan_and_visit_moves(session):
    referral, _ = _referral_world(session)

    def follow_up(state):
        row = FollowUp(need_id=referral.need_id, referral_id=referral.id,
                       due_date=date(2026, 12, 1), status=state)
        session.add(row)
        session.flush()
        return row

    _check_table(session, "follow_up", follow_up,
                 lambda f, to: followup_flow.move(session, f, to=to, notes="测试"),
                 lambda f: ())

    def plan(state):
        row = ServicePlan(referral_id=referral.id, description="每周上门", every_days=7,
                          start_date=date(2026, 12, 1), active=state == "active")
        session.add(row)
        session.flush()
        session.add(ServiceVisit(plan_id=row.id, due_date=date(2026, 12, 8)))
        session.flush()
        return row

    _check_table(
        session, "plan", plan,
        lambda p, to: plan_flow.move_plan(session, p, to=to, by=None, reason="测试"),
        lambda p: (select(func.count()).select_from(ServiceVisit)
                   .where(ServiceVisit.plan_id == p.id, ServiceVisit.status == "due"),),
    )
    holder = plan("active")

    def visit(state):
        row = ServiceVisit(plan_id=holder.id, due_date=date(2026, 12, 1), status=state)
        session.add(row)
        session.flush()
        return row

    _check_table(session, "visit", visit,
                 lambda v, to: plan_flow.move_visit(session, v, to=to, notes="测试"),
                 lambda v: ())


def test_allocation_run_and_proposal_moves(session):
    from zhuanjie.models import AllocationProposal, AllocationRun

    referral, _ = _referral_world(session)
    supervisor = make_user(session, "supervisor")

    def run(state):
        row = AllocationRun(region_path="南通市", offer_id=referral.offer_id, status=state)
        session.add(row)
        session.flush()
        return row

    _check_table(session, "allocation_run", run,
                 lambda r, to: allocation_flow.move_run(session, r, to=to, by=supervisor),
                 lambda r: ())
    holder = run("confirmed")

    def proposal(state):
        row = AllocationProposal(run_id=holder.id, need_id=referral.need_id,
                                 offer_id=referral.offer_id, status=state)
        session.add(row)
        session.flush()
        return row

    _check_table(session, "proposal", proposal,
                 lambda p, to: allocation_flow.move(session, p, to=to, by=supervisor,
                                                    referral=referral, reason="other"),
                 lambda p: ())
def test_intake_moves(session):
    sender_org = make_org(session, kind="government")
    worker = make_user(session, "caseworker")

    def make(state):
        row = Intake(kind="referral", sender_org_id=sender_org.id, region_path=worker.region_path,
                     id_number_hash="h" * 64, category="basic_living", urgency=1)
        intake_flow.open_intake(session, row)
        if state in ("accepted", "declined", "closed"):
            intake_flow.move(session, row, to=state, by=worker, reason="前置", outcome="other")
        return row

    _check_table(
        session, "intake", make,
        lambda i, to: intake_flow.move(session, i, to=to, by=worker, reason="测试",
                                       outcome="other"),
        lambda i: (select(func.count()).select_from(Task).where(
            Task.object_type == "intake", Task.object_id == i.id, Task.done_at.is_(None)),
                   select(func.count()).select_from(Notification)),
    )


# --- what the owners promise beyond the table ---------------------------------------------------


def test_unclaimed_moves(session):
    """应享未享: a finding is marked once (an application may still be refused later)."""
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    gov = make_org(session, kind="government")

    def finding(state):
        row = UnclaimedBenefit(household_id=household.id, offer_id=make_offer(session, gov).id,
                               region_path=household.region_path, reason="属于低保对象",
                               status=state)
        session.add(row)
        session.flush()
        return row

    _check_table(session, "unclaimed", finding,
                 lambda r, to: unclaimed_flow.move(session, r, to=to, by=worker, note="测试"),
                 lambda r: ())


def _tasks(session, referral_id):
    return {
        (t.kind, t.done_at is None)
        for t in session.exec(
            select(Task).where(Task.object_type == "referral", Task.object_id == referral_id)
        )
    }


def test_model_moves(session):
    """A learned matching model's table; a move also moves the "model" change counter when
    it changes what ranks (promote, retire, refuse the one in use)."""
    import matching
    from zhuanjie.db import utc_now
    from zhuanjie.models import ChangeCounter, MatchModel

    def make(state: str) -> MatchModel:
        row = MatchModel(status=state, scorer=matching.MatchScorer.default().to_dict())
        session.add(row)
        session.flush()
        return row

    _check_table(session, "model", make,
                 lambda m, to: learning_flow.move(session, m, to=to, now=utc_now()),
                 lambda m: (select(ChangeCounter.version).where(ChangeCounter.name == "model"),))


def test_a_pledges_referral_has_a_delivery_deadline_until_it_is_delivered(session, client,
                                                                           login):
    worker, need, pub = publish_need(session, client, login)
    donor = make_user(session, "donor")
    client.post("/logout")
    login(donor.username)
    made = client.post("/api/v1/pledges",
                       json={"publication_id": pub["id"], "kind": "money", "amount": "500"})
    assert made.status_code == 201, made.text
    client.post("/logout")
    login(worker.username)
    assert client.post(f"/pledges/{made.json()['id']}/confirm",
                       follow_redirects=False).status_code == 303
    session.expire_all()
    referral = session.exec(select(Referral).where(Referral.pledge_id == made.json()["id"])).one()
    assert referral.status == "accepted" and referral.deliver_by_date is not None
    assert session.get(Offer, referral.offer_id).places_taken == 1
    assert _tasks(session, referral.id) == {
        ("referral_remind", False), ("referral_overdue", False),  # answered at once
        ("delivery_remind", True), ("delivery_overdue", True),
    }
    done = client.post(f"/pledges/{made.json()['id']}/deliver",
                       data={"thank_you_note": "善款已转交，全家表示感谢！"},
                       follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Referral, referral.id).status == "delivered"
    assert ("delivery_overdue", True) not in _tasks(session, referral.id)
    assert session.exec(select(FollowUp).where(FollowUp.referral_id == referral.id)).all()


def _plan(client, referral_id, **extra):
    made = client.post(f"/api/v1/referrals/{referral_id}/plan", json={
        "description": "每周上门打扫", "every_days": 7, "start_date": "2026-12-07", **extra})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _visits(session, plan_id):
    session.expire_all()
    return session.exec(select(ServiceVisit).where(ServiceVisit.plan_id == plan_id)
                        .order_by(ServiceVisit.due_date)).all()


def _missed_alerts(session):
    return session.exec(select(func.count()).select_from(Notification)
                        .where(Notification.kind == "visit_missed")).one()


@pytest.mark.parametrize("how", ["deliver", "fail", "withdraw"])
def test_a_plan_ends_with_its_referral(session, login, how):
    with frozen(MONDAY):
        worker, staff, referral = _accepted(session)
        client = login(staff.username)
        plan_id = _plan(client, referral.id)
        if how == "withdraw":
            client.post("/logout")
            login(worker.username)
            answer = client.post(f"/api/v1/referrals/{referral.id}/withdraw", json={})
        elif how == "fail":
            answer = client.post(f"/api/v1/referrals/{referral.id}/fail", json={"note": "搬走"})
        else:
            answer = client.post(f"/api/v1/referrals/{referral.id}/deliver",
                                 json={"delivery_date": "2026-12-07", "what": "打扫完毕"})
        assert answer.status_code == 200, answer.text
    plan = session.get(ServicePlan, plan_id)
    assert not plan.active and plan.ended_at == MONDAY and plan.end_reason.startswith("转介")
    assert {v.status for v in _visits(session, plan_id)} == {"cancelled"}
    weeks_later = MONDAY + timedelta(days=30)
    with frozen(weeks_later):
        plans.keep_plans(session, weeks_later)
    assert {v.status for v in _visits(session, plan_id)} == {"cancelled"}  # none laid out
    assert _missed_alerts(session) == 0
    client.post("/logout")
    page = login(worker.username).get(f"/referrals/{referral.id}")
    assert "已结束" in page.text and plan.end_reason in page.text and "结束计划" not in page.text


def test_a_plan_ends_on_its_end_date(session, login):
    with frozen(MONDAY):
        _worker, staff, referral = _accepted(session)
        plan_id = _plan(login(staff.username), referral.id, end_date="2026-12-20")
    assert [v.due_date.day for v in _visits(session, plan_id)] == [7, 14]
    later = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    with frozen(later):
        assert plans.keep_plans(session, later) == 1  # 7 Dec is missed, while the plan runs
    told = _missed_alerts(session)
    assert told == 2 and session.get(ServicePlan, plan_id).active
    after = datetime(2026, 12, 28, 1, 0, tzinfo=UTC)  # 14 Dec would be missed too, but …
    with frozen(after):
        assert plans.keep_plans(session, after) == 0
    session.expire_all()
    plan = session.get(ServicePlan, plan_id)
    assert not plan.active and plan.ended_by_id is None and "2026-12-20" in plan.end_reason
    assert [v.status for v in _visits(session, plan_id)] == ["missed", "cancelled"]
    assert _missed_alerts(session) == told  # … the plan ended on the 20th
    assert session.get(Referral, referral.id).status == "accepted"  # the referral goes on


def test_a_plan_is_ended_by_hand_with_a_reason(session, client, login):
    with frozen(MONDAY):
        worker, staff, referral = _accepted(session)
        plan_id = _plan(login(staff.username), referral.id)
        outsider = make_user(session, "org_staff")
        supervisor = make_user(session, "supervisor")
        for user in (outsider, supervisor):  # another organisation; a read-only role
            client.post("/logout")
            login(user.username)
            refused = client.post(f"/api/v1/plans/{plan_id}/end", json={"reason": "不需要了"})
            assert refused.status_code == 403, (user.role, refused.text)
        client.post("/logout")
        login(worker.username)
        assert client.post("/api/v1/plans/999999999/end",
                           json={"reason": "x"}).status_code == 404
        empty = client.post(f"/plans/{plan_id}/end", data={"reason": "  "})
        assert empty.status_code == 400 and 'id="err-reason"' in empty.text
        assert session.get(ServicePlan, plan_id).active
        api_empty = client.post(f"/api/v1/plans/{plan_id}/end", json={"reason": ""})
        assert api_empty.status_code == 422 and "reason" in api_empty.text
        ended = client.post(f"/plans/{plan_id}/end", data={"reason": "老人已入住养老院"},
                            follow_redirects=False)
        assert ended.status_code == 303
        again = client.post(f"/api/v1/plans/{plan_id}/end", json={"reason": "再结束一次"})
        assert again.status_code == 409
    session.expire_all()
    plan = session.get(ServicePlan, plan_id)
    assert not plan.active and plan.ended_by_id == worker.id
    assert plan.end_reason == "老人已入住养老院" and plan.ended_at == MONDAY
    assert {v.status for v in _visits(session, plan_id)} == {"cancelled"}
    later = MONDAY + timedelta(days=20)
    with frozen(later):
        plans.keep_plans(session, later)
    assert _missed_alerts(session) == 0 and len(_visits(session, plan_id)) == 5
    # signed in afresh on the real clock: the sign-in above was made at MONDAY, and on or after
    # that day its idle limit has passed by the time this page is asked for
    client.post("/logout")
    login(worker.username)
    page = client.get(f"/referrals/{referral.id}")
    assert "老人已入住养老院" in page.text
    visit = _visits(session, plan_id)[0]
    client.post("/logout")
    login(staff.username)
    late = client.post(f"/api/v1/visits/{visit.id}", json={"notes": "补登"})
    assert late.status_code == 409  # a cancelled visit cannot be recorded


def test_only_the_owners_write_a_lifecycles_state():
    """A status is written by its lifecycle's owner alone: no other module updates these rows
    or writes a referral's history by hand (as pledges and the demo once did)."""
    from pathlib import Path

    import zhuanjie

    owners = {
        "update(Referral)": "referrals/flow.py",
        "ReferralEvent(": "referrals/flow.py",
        "update(Pledge)": "donors/flow.py",
        "update(FollowUp)": "followups/flow.py",
        "update(ServicePlan)": "plans/flow.py",
        "update(ServiceVisit)": "plans/flow.py",
        "update(UnclaimedBenefit)": "unclaimed/flow.py",
        "delete(UnclaimedBenefit)": "unclaimed/flow.py",
        "update(AllocationRun)": "allocation/flow.py",
        "update(AllocationProposal)": "allocation/flow.py",
        "update(Intake)": "intake/flow.py",
        "update(RollReviewItem)": "rolls/flow.py",
    }
    root = Path(zhuanjie.__file__).parent
    found = {
        (pattern, path.relative_to(root).as_posix())
        for path in root.rglob("*.py")
        if path.name != "models.py"
        for pattern in owners
        if pattern in path.read_text(encoding="utf-8")
    }
    assert found == set(owners.items())
