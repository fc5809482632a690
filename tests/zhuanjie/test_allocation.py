"""统筹分配 on 2,000 open needs and an offer with 50 places: never more than the places,
急难 and 特困 first, better than first-come; confirming puts proposals in the caseworkers'
queue, the organisation sees nothing until a household consents and the referral is sent; a
declined proposal gives its place back; organisation staff see no names; all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from tests.zhuanjie.factories import RUGAO_TOWN, make_offer, make_org, make_user
from zhuanjie.allocation import service as allocation
from zhuanjie.allocation.schemas import AdjustIn, RunCreate
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Forbidden, Invalid
from zhuanjie.models import (
    AllocationProposal,
    AuditEntry,
    Household,
    Member,
    Need,
    Notification,
    Referral,
)

COUNTY = "南通市/如皋市"
TOWNS = (RUGAO_TOWN, "南通市/如皋市/如城街道", "南通市/如皋市/长江镇")
TEXTS = (
    ("尿毒症透析费用负担重", "户主患尿毒症，每周透析三次，医保报销后自付部分难以承担。"),
    ("癌症化疗自付费用高", "妻子确诊乳腺癌，正在化疗，自付药费和检查费负担很重。"),
    ("慢性病长期服药", "老人患高血压和糖尿病，需要长期服药，药费难以承担。"),
    ("住院手术费用缺口", "孩子需要做心脏手术，医保报销后仍有较大缺口。"),
    ("精神疾病门诊治疗", "家中一人患精神分裂症，需要长期门诊治疗和服药。"),
)


def _groups(i: int) -> list[str]:
    if i % 97 == 7:
        return ["tekun"]
    if i % 3 == 0:
        return ["dibao"]
    return ["low_income"]


def _urgency(i: int) -> int:
    return 3 if i % 89 == 11 else 2 if i % 5 == 0 else 1


def open_needs(session, worker, n: int, *, category: str = "medical",
               towns: tuple[str, ...] = TOWNS) -> list[Need]:
    """`n` households with one open need each, in three townships of 如皋; rows written
    directly (the service would take minutes for thousands). 急难 and 特困 ones are not the
    oldest: first-come would not serve them first."""
    start = utc_now() - timedelta(days=200)
    households = [
        Household(region_path=towns[i % len(towns)], village="新华村", groups=_groups(i),
                  income_per_capita=500 + i % 400, created_by_id=worker.id)
        for i in range(n)
    ]
    session.add_all(households)
    session.flush()
    session.add_all([Member(household_id=h.id, name=f"王{i:04d}", relation="head", is_head=True)
                     for i, h in enumerate(households)])
    needs = []
    for i, h in enumerate(households):
        title, text = TEXTS[i % len(TEXTS)]
        at = start + timedelta(minutes=140 * i)
        needs.append(Need(household_id=h.id, region_path=h.region_path, category=category,
                          title=title, description=text, urgency=_urgency(i),
                          created_by_id=worker.id, created_at=at, updated_at=at,
                          last_action_at=at))
    session.add_all(needs)
    session.commit()
    return needs


@pytest.fixture
def city(session):
    worker = make_user(session, "caseworker", region_path=COUNTY)
    supervisor = make_user(session, "supervisor", region_path=COUNTY)
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    offer = make_offer(session, org, coverage=(COUNTY,), capacity=50,
                       title="大病医疗救助（限50人）",
                       description="对尿毒症、癌症等重病患者的自付医疗费用给予救助")
    needs = open_needs(session, worker, 2000)
    return {"worker": worker, "supervisor": supervisor, "org": org, "staff": staff,
            "offer": offer, "needs": needs}


def _run(session, city):
    return allocation.start_run(session, actor=city["supervisor"], data=RunCreate(
        region_path=COUNTY, offer_id=city["offer"].id))


def test_fifty_places_over_two_thousand_needs(session, city):
    run = _run(session, city)
    given = run.result["assignments"]
    assert run.needs_count == 2000 and run.places == 50
    assert len(given) == 50 and {a["offer_id"] for a in given} == {city["offer"].id}
    assert len({a["need_id"] for a in given}) == 50  # one place per need
    chosen = {a["need_id"] for a in given}
    # 急难 and 特困 first (matching.allocate.priority: 急难 +1.5, 特困 +1.0, 紧急 and 低保
    # +0.5): every 急难 need the offer fits best (the two texts closest to it) has a place,
    # and among needs that fit equally (the same text) no place goes to a lower priority
    # while a higher one waits — a 特困 household before a 低保 or low-income one.
    first_ones = {n.id for i, n in enumerate(city["needs"])
                  if _urgency(i) == 3 and i % len(TEXTS) in (0, 1)}
    assert 5 < len(first_ones) < 50 and first_ones <= chosen
    tekun = [n.id for i, n in enumerate(city["needs"]) if "tekun" in _groups(i)]
    assert chosen & set(tekun)
    prio = {a["need_id"]: a["priority"] for a in given} | {
        x["need_id"]: x["priority"] for x in run.result["left_out"]}
    for t in range(len(TEXTS)):
        same = [n.id for i, n in enumerate(city["needs"]) if i % len(TEXTS) == t]
        got = [prio[i] for i in same if i in chosen]
        waiting = [prio[i] for i in same if i not in chosen and i in prio]
        if got and waiting:
            assert min(got) >= max(waiting), TEXTS[t][0]
    assert run.result["objective"] > run.result["first_come_objective"]
    assert run.total_score > run.first_come_score
    assert all(a["reasons"] for a in given)
    left = run.result["left_out"]
    assert run.result["left_out_total"] == 1950 - run.result["inadmissible"]
    assert all(x["reason"].startswith("名额已满") for x in left)
    assert max(x["priority"] for x in left) <= max(a["priority"] for a in given)
    audited = session.exec(select(AuditEntry).where(AuditEntry.action == "allocation_run")).all()
    assert [e.object_id for e in audited] == [run.id]
    assert audited[0].detail["assigned"] == 50


def test_pins_and_removals_persist_and_the_supervisor_confirms(session, city, login):
    run = _run(session, city)
    given = run.result["assignments"]
    pinned, dropped = given[-1]["need_id"], given[0]["need_id"]
    allocation.adjust(session, actor=city["supervisor"], run_id=run.id,
                      data=AdjustIn(action="pin", need_id=pinned))
    run = allocation.adjust(session, actor=city["supervisor"], run_id=run.id,
                            data=AdjustIn(action="remove", need_id=dropped))
    session.expire_all()
    run = allocation.get_run(session, actor=city["supervisor"], run_id=run.id)
    now = {a["need_id"]: a for a in run.result["assignments"]}
    assert now[pinned]["pinned"] and dropped not in now and len(now) == 50
    assert run.pinned == [[pinned, city["offer"].id]] and run.removed == [dropped]
    assert run.result["left_out"][0] == {"need_id": dropped, "priority": pytest.approx(
        given[0]["priority"]), "removed": True, "reason": allocation.REMOVED}
    with pytest.raises(Invalid):  # only an assignment can be pinned
        allocation.adjust(session, actor=city["supervisor"], run_id=run.id,
                          data=AdjustIn(action="pin", need_id=dropped))
    with pytest.raises(Forbidden):  # the organisation may look, not confirm
        allocation.confirm(session, actor=city["staff"], run_id=run.id)

    run = allocation.confirm(session, actor=city["supervisor"], run_id=run.id)
    proposals = session.exec(select(AllocationProposal)
                             .where(AllocationProposal.run_id == run.id)).all()
    assert len(proposals) == 50 and {p.status for p in proposals} == {"proposed"}
    assert dropped not in {p.need_id for p in proposals}
    assert session.exec(select(func.count()).select_from(Referral)).one() == 0
    told = session.exec(select(Notification).where(
        Notification.kind == "allocation_proposed")).all()
    assert [(n.user_id, n.link) for n in told] == [(city["worker"].id, "/allocation/proposals")]
    with pytest.raises(Conflict):
        allocation.confirm(session, actor=city["supervisor"], run_id=run.id)
    with pytest.raises(Conflict):
        allocation.adjust(session, actor=city["supervisor"], run_id=run.id,
                          data=AdjustIn(action="restore", need_id=dropped))
    assert session.exec(select(AuditEntry.action).where(
        AuditEntry.object_id == run.id, AuditEntry.object_type == "allocation_run")
    ).all() == ["allocation_run", "allocation_adjusted", "allocation_adjusted",
                "allocation_confirmed"]

    # The caseworker's queue holds them; the organisation's inbox holds nothing.
    client = login(city["worker"])
    queue = client.get("/api/v1/allocation/proposals", params={"size": 200}).json()
    assert queue["total"] == 50
    page = client.get("/allocation/proposals")
    assert page.status_code == 200 and "记录同意并发送" in page.text
    client = login(city["staff"])
    assert client.get("/api/v1/allocation/proposals").status_code == 403
    assert client.get("/api/v1/referrals").json()["counts"] == {
        "new": 0, "in_service": 0, "done": 0}

    # One household consents: the ordinary send path, and only now the organisation sees it.
    first = proposals[0]
    member = session.exec(select(Member).join(Need, Need.household_id == Member.household_id)
                          .where(Need.id == first.need_id)).first()
    client = login(city["worker"])
    sent = client.post(f"/api/v1/needs/{first.need_id}/referrals", json={
        "offer_id": first.offer_id,
        "consent": {"member_id": member.id, "fields": ["name", "phone"],
                    "valid_until": "2099-01-01"}})
    assert sent.status_code == 201, sent.text
    session.expire_all()
    assert session.get(AllocationProposal, first.id).status == "sent"
    assert session.get(AllocationProposal, first.id).referral_id == sent.json()["id"]
    # Another declines: the place goes back to the pool.
    second = proposals[1]
    refused = client.post(f"/api/v1/allocation/proposals/{second.id}/decline",
                          json={"reason": "not_needed", "note": "已由亲属承担"})
    assert refused.status_code == 200 and refused.json()["status"] == "declined"
    bad = client.post(f"/api/v1/allocation/proposals/{proposals[2].id}/decline",
                      json={"reason": "whatever"})
    assert bad.status_code == 422 and "reason" in bad.text
    assert client.post(f"/api/v1/allocation/proposals/{second.id}/decline",
                       json={"reason": "other"}).status_code == 409
    client = login(city["staff"])
    inbox = client.get("/api/v1/referrals").json()
    assert inbox["counts"]["new"] == 1 and inbox["items"][0]["need_id"] == first.need_id

    # A new run sees 48 proposals waiting and 1 referral unanswered: one place is free.
    again = _run(session, city)
    assert again.places == 1 and len(again.result["assignments"]) == 1
    waiting = {p.need_id for p in proposals[2:]}
    assert not waiting & {x["need_id"] for x in again.result["left_out"]}


def test_organisation_staff_see_their_own_runs_without_names(session, city, login):
    worker, staff = city["worker"], city["staff"]
    named = city["needs"][11]  # 急难, with the best-fitting text: it gets a place
    member = session.exec(select(Member).where(Member.household_id == named.household_id)).one()
    named.title = f"{member.name}透析费用，电话13912345678"
    session.add(named)
    session.commit()
    client = login(staff)
    made = client.post("/api/v1/allocation/runs",
                       json={"region_path": COUNTY, "offer_id": city["offer"].id})
    assert made.status_code == 201, made.text
    body = made.json()
    shown = next(a for a in body["assignments"] if a["need_id"] == named.id)
    assert member.name not in made.text and "13912345678" not in made.text
    assert shown["need_title"] == "某透析费用，电话＊" and shown["township"] == "如皋市长江镇"
    page = client.get(f"/allocation/{body['id']}")
    assert page.status_code == 200 and member.name not in page.text
    assert "确认方案" not in page.text
    assert client.post(f"/api/v1/allocation/runs/{body['id']}/confirm").status_code == 403
    other = make_offer(session, make_org(session), coverage=(COUNTY,), capacity=5)
    refused = client.post("/api/v1/allocation/runs",
                          json={"region_path": COUNTY, "offer_id": other.id})
    assert refused.status_code == 422 and "offer_id" in refused.text
    offer_page = client.get(f"/offers/{city['offer'].id}")
    assert f'href="/allocation?offer_id={city["offer"].id}"' in offer_page.text
    start = client.get(f"/allocation?offer_id={city['offer'].id}")
    assert start.status_code == 200
    assert f'<option value="{city["offer"].id}" selected>' in start.text
    # The supervisor sees the organisation's run (its region) with the names' titles.
    client = login(city["supervisor"])
    assert client.get(f"/api/v1/allocation/runs/{body['id']}").status_code == 200
    assert client.get("/allocation").status_code == 200
    # A caseworker may not run one; the staff of another organisation do not see it.
    assert login(worker).post("/api/v1/allocation/runs", json={
        "region_path": COUNTY, "offer_id": city["offer"].id}).status_code == 403
    outsider = make_user(session, "org_staff")
    assert login(outsider).get(f"/api/v1/allocation/runs/{body['id']}").status_code == 403


def test_bad_input_names_the_field(session, login):
    supervisor = make_user(session, "supervisor", region_path=COUNTY)
    org = make_org(session)
    unlimited = make_offer(session, org, capacity=None)
    client = login(supervisor)
    cases = [
        ({"region_path": COUNTY}, "category"),
        ({"region_path": "火星", "category": "medical"}, "region_path"),
        ({"region_path": "南通市/海安市", "category": "medical"}, "region_path"),
        ({"region_path": COUNTY, "category": "nonsense"}, "category"),
        ({"region_path": COUNTY, "offer_id": unlimited.id}, "offer_id"),
        ({"region_path": COUNTY, "offer_id": 2**31 - 1}, "offer_id"),
        ({"region_path": COUNTY, "category": "education"}, "category"),
    ]
    for body, name in cases:
        answer = client.post("/api/v1/allocation/runs", json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert name in answer.text, (body, answer.text)
    page = client.post("/allocation", data={"region_path": COUNTY, "kind": "offer",
                                            "offer_id": str(unlimited.id)})
    assert page.status_code == 400 and "该项目不限名额" in page.text
    assert 'id="err-offer_id"' in page.text


def test_a_category_run_allocates_every_limited_offer_of_the_category(session):
    worker = make_user(session, "caseworker")
    supervisor = make_user(session, "supervisor", region_path=COUNTY)
    org = make_org(session)
    small = make_offer(session, org, coverage=(COUNTY,), capacity=3)
    other = make_offer(session, org, coverage=(RUGAO_TOWN,), capacity=2,
                       title="透析费用补助", description="尿毒症透析患者自付费用补助")
    make_offer(session, org, coverage=(COUNTY,), capacity=None, title="不限名额")
    make_offer(session, org, coverage=("南通市/海安市",), capacity=9, title="海安的项目")
    open_needs(session, worker, 60)
    run = allocation.start_run(session, actor=supervisor, data=RunCreate(
        region_path=COUNTY, category="medical"))
    assert set(map(int, run.result["places"])) == {small.id, other.id}
    given = run.result["assignments"]
    assert len(given) == 5
    assert sum(1 for a in given if a["offer_id"] == small.id) == 3
    assert sum(1 for a in given if a["offer_id"] == other.id) == 2


def test_the_decline_form_keeps_the_values_and_names_the_field(session, city, login):
    run = _run(session, city)
    allocation.confirm(session, actor=city["supervisor"], run_id=run.id)
    proposal = session.exec(select(AllocationProposal).order_by(AllocationProposal.id)).first()
    client = login(city["worker"])
    page = client.post(f"/allocation/proposals/{proposal.id}/decline",
                       data={"reason": "", "note": "户主外出打工"})
    assert page.status_code == 400
    assert 'id="err-reason"' in page.text and "户主外出打工" in page.text
    done = client.post(f"/allocation/proposals/{proposal.id}/decline",
                       data={"reason": "unreachable", "note": "户主外出打工"},
                       follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.get(AllocationProposal, proposal.id).status == "declined"
    told = session.exec(select(Notification).where(
        Notification.kind == "allocation_declined")).one()
    assert told.user_id == city["supervisor"].id and "联系不上" in told.title
    assert session.exec(select(AuditEntry).where(
        AuditEntry.action == "proposal_declined")).one().object_id == proposal.id
    # Another caseworker's county: refused; the organisation: refused.
    haian = make_user(session, "caseworker", region_path="南通市/海安市")
    assert login(haian).post(f"/api/v1/allocation/proposals/{proposal.id}/decline",
                             json={"reason": "other"}).status_code == 403
    assert login(city["staff"]).get("/allocation/proposals").status_code == 403
