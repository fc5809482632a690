"""应享未享 (issue 14): households that meet a government programme's rules and do not
receive it, found by the job, worked by the caseworker, counted for the supervisor."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import (
    HAIAN_TOWN,
    make_household,
    make_offer,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie.db import utc_now
from zhuanjie.models import Entitlement, Household, Notification, UnclaimedBenefit
from zhuanjie.unclaimed import jobs

ADULT, CHILD = date(1960, 5, 17), date(2016, 3, 1)


def _household(session, worker, *, groups, income, born=(ADULT,), **extra):
    members = [{"name": f"成员{i}", "id_number": valid_id(birth=b), "relation": "head"
                if i == 0 else "child"} for i, b in enumerate(born)]
    return make_household(session, worker, groups=groups,
                          income_per_capita=None if income is None else str(income),
                          members=members, **extra)


@pytest.fixture
def world(session):
    """Programmes of every kind and households each meeting some of them (or none)."""
    worker = make_user(session, "caseworker")
    haian = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    gov = make_org(session, kind="government", name="南通市民政局")
    p = {
        "dibao": make_offer(session, gov, title="城乡最低生活保障", categories=("basic_living",),
                            is_programme=True, capacity=None,
                            rules={"government_first": True, "income_line_monthly": 1000,
                                   "excludes_groups": ["tekun"], "basis": "《低保办法》"}),
        "insurance": make_offer(session, gov, title="医保参保资助", categories=("insurance",),
                                groups=("dibao", "tekun"), is_programme=True, capacity=None),
        "school": make_offer(session, gov, title="义务教育生活补助", categories=("education",),
                             groups=("dibao",), age_min=6, age_max=16, is_programme=True,
                             capacity=None),
        # Never listed: open to everyone, scarce places, a charity's, or not a programme.
        "emergency": make_offer(session, gov, title="临时救助", categories=("emergency",),
                                is_programme=True, capacity=None),
        "care": make_offer(session, gov, title="居家养老上门服务", categories=("care",),
                           groups=("dibao",), is_programme=True, capacity=40),
        "charity": make_offer(session, make_org(session), title="慈善助困金",
                              categories=("basic_living",), groups=("dibao",), capacity=None),
        "project": make_offer(session, gov, title="政府购买服务项目", categories=("care",),
                              groups=("dibao",), capacity=None),
    }
    h = {
        "a": _household(session, worker, groups=["dibao"], income=650),
        "b": _household(session, worker, groups=["low_income"], income=900),
        "c": _household(session, worker, groups=["tekun"], income=500),
        "d": _household(session, worker, groups=["dibao"], income=1200, born=(ADULT, CHILD)),
        "e": _household(session, worker, groups=["low_income"], income=None),
        "f": _household(session, worker, groups=["dibao"], income=600),
        "g": _household(session, haian, groups=["dibao"], income=1500),
        "h": _household(session, worker, groups=["dibao"], income=600),
    }
    exited = session.get(Household, h["f"].id)
    exited.status = "exited"
    session.add(exited)
    # a receives 低保 (linked); h receives 参保资助, typed by hand with the programme's name.
    session.add(Entitlement(household_id=h["a"].id, programme="低保金", category="basic_living",
                            offer_id=p["dibao"].id, since_date=date(2024, 1, 1)))
    session.add(Entitlement(household_id=h["h"].id, programme="医保参保资助",
                            category="insurance", since_date=date(2024, 1, 1)))
    # b received 医保参保资助 once, but that ended: it no longer counts (b is not eligible anyway).
    session.add(Entitlement(household_id=h["b"].id, programme="医保参保资助",
                            category="insurance", since_date=date(2020, 1, 1),
                            until_date=date(2021, 1, 1)))
    session.commit()
    return worker, haian, p, h


def _pairs(session):
    return {(r.household_id, r.offer_id): r for r in session.exec(select(UnclaimedBenefit))}


def test_exactly_the_households_eligible_and_not_receiving_are_found_with_the_reason(
    session, world
):
    worker, _haian, p, h = world
    assert jobs.find_unclaimed(session, utc_now()) == 7
    found = _pairs(session)
    expected = {
        (h["a"].id, p["insurance"].id),  # receives 低保 already
        (h["b"].id, p["dibao"].id),  # 900 ≤ 1000, not yet in 低保
        (h["c"].id, p["insurance"].id),  # 特困: 参保资助, but 低保 excludes 特困
        (h["d"].id, p["insurance"].id), (h["d"].id, p["school"].id),  # a child of 10
        (h["g"].id, p["insurance"].id),  # in 海安: another caseworker's list
        (h["h"].id, p["dibao"].id),  # 参保资助 already, recorded by name
    }
    assert set(found) == expected
    assert found[(h["b"].id, p["dibao"].id)].reason == (
        "人均月收入 900 元，不高于标准 1000 元；不属于特困人员；户籍在服务范围内；依据《低保办法》")
    assert found[(h["c"].id, p["insurance"].id)].reason.startswith("属于特困人员；")
    assert "家庭成员 10 岁，在 6–16 岁范围内" in found[(h["d"].id, p["school"].id)].reason
    assert {r.status for r in found.values()} == {"open"}
    # The caseworker is told once, however often the job runs.
    assert jobs.find_unclaimed(session, utc_now()) == 0
    told = session.exec(select(Notification).where(Notification.user_id == worker.id,
                                                   Notification.kind == "unclaimed_found")).all()
    assert [n.title for n in told] == ["发现 6 条应享未享线索：符合政府救助条件但尚未享受"]


def test_a_marked_finding_stays_off_the_list_and_a_change_of_facts_updates_it(
    session, world, login
):
    worker, haian, p, h = world
    jobs.find_unclaimed(session, utc_now())
    client = login(worker)
    listed = client.get("/api/v1/unclaimed").json()
    assert listed["total"] == 6  # not the 海安 household
    row = next(i for i in listed["items"] if i["household_id"] == h["b"].id)
    assert (row["programme"], row["head_name"]) == ("城乡最低生活保障", "成员0")

    refused = client.post(f"/api/v1/unclaimed/{row['id']}/mark",
                          json={"outcome": "refused", "note": "家庭财产超标"})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    jobs.find_unclaimed(session, utc_now())
    still = client.get("/api/v1/unclaimed").json()
    assert row["id"] not in [i["id"] for i in still["items"]] and still["total"] == 5
    assert [i["id"] for i in client.get("/api/v1/unclaimed?status=refused").json()["items"]] \
        == [row["id"]]
    again = client.post(f"/api/v1/unclaimed/{row['id']}/mark", json={"outcome": "applied"})
    assert again.status_code == 409

    # An application may be refused later; an unknown outcome names the field.
    other = next(i for i in still["items"] if i["household_id"] == h["c"].id)
    assert client.post(f"/api/v1/unclaimed/{other['id']}/mark",
                       json={"outcome": "applied"}).json()["status"] == "applied"
    assert client.post(f"/api/v1/unclaimed/{other['id']}/mark",
                       json={"outcome": "refused"}).json()["status"] == "refused"
    bad = client.post(f"/api/v1/unclaimed/{other['id']}/mark", json={"outcome": "done"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "outcome"

    # d starts receiving 参保资助: the open finding goes; its income falls: 低保 appears.
    session.add(Entitlement(household_id=h["d"].id, programme="参保资助", category="insurance",
                            offer_id=p["insurance"].id, since_date=date(2026, 1, 1)))
    d = session.get(Household, h["d"].id)
    d.income_per_capita = 800
    session.add(d)
    session.commit()
    jobs.find_unclaimed(session, utc_now())
    found = _pairs(session)
    assert (h["d"].id, p["insurance"].id) not in found
    assert found[(h["d"].id, p["dibao"].id)].status == "open"
    assert found[(h["b"].id, p["dibao"].id)].status == "refused"


def test_scope_a_caseworker_of_another_county_and_a_supervisor(session, world, login):
    worker, haian, p, h = world
    jobs.find_unclaimed(session, utc_now())
    ours = _pairs(session)[(h["a"].id, p["insurance"].id)]
    client = login(haian)
    assert [i["household_id"] for i in client.get("/api/v1/unclaimed").json()["items"]] == [
        h["g"].id]
    assert client.post(f"/api/v1/unclaimed/{ours.id}/mark",
                       json={"outcome": "applied"}).status_code == 403
    supervisor = make_user(session, "supervisor")
    client = login(supervisor)
    assert client.post(f"/api/v1/unclaimed/{ours.id}/mark",
                       json={"outcome": "applied"}).status_code == 403
    totals = client.get("/api/v1/unclaimed/totals").json()
    towns = {t["key"]: t["open"] for t in totals["townships"]}
    assert towns == {worker.region_path: 6, HAIAN_TOWN: 1}
    assert {t["label"]: t["open"] for t in totals["programmes"]} == {
        "医保参保资助": 4, "城乡最低生活保障": 2, "义务教育生活补助": 1}
    page = client.get("/unclaimed").text
    assert "各镇（街道）情况" in page and "白蒲镇" in page and "医保参保资助" in page
    assert login(make_user(session, "donor")).get("/api/v1/unclaimed").status_code == 403


def test_the_page_lists_the_reason_and_a_mark_leaves_it(session, world, login):
    worker, _haian, p, h = world
    jobs.find_unclaimed(session, utc_now())
    client = login(worker)
    page = client.get("/unclaimed")
    assert page.status_code == 200
    assert "人均月收入 900 元，不高于标准 1000 元" in page.text and "城乡最低生活保障" in page.text
    assert "各镇（街道）情况" not in page.text  # a caseworker works the list
    row = _pairs(session)[(h["b"].id, p["dibao"].id)]
    wrong = client.post(f"/unclaimed/{row.id}/mark", data={"outcome": "", "note": "电话联系"})
    assert wrong.status_code == 400
    assert "请选择处理结果" in wrong.text and 'value="电话联系"' in wrong.text
    done = client.post(f"/unclaimed/{row.id}/mark", data={"outcome": "not_wanted"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert "人均月收入 900 元" not in client.get("/unclaimed").text
    assert "人均月收入 900 元" in client.get("/unclaimed?status=not_wanted").text


def test_the_demo_city_shows_a_few_findings(demo_client):
    client = demo_client.sign_in("caseworker")
    page = client.get("/unclaimed")
    assert page.status_code == 200 and "可申请：" in page.text and "符合条件：属于" in page.text
    assert 'href="/unclaimed"' in page.text  # in the navigation
    for status in ("applied", "refused", "not_wanted"):
        assert "登记于" in client.get(f"/unclaimed?status={status}").text
    listed = client.get("/api/v1/unclaimed").json()
    assert 1 <= listed["total"] <= 30


def test_the_demo_supervisor_sees_the_city_totals(demo_client):
    page = demo_client.sign_in("supervisor").get("/unclaimed")
    assert page.status_code == 200
    assert "各镇（街道）情况" in page.text and "各项政策情况" in page.text
    assert "白蒲镇" in page.text and "城乡医疗救助" in page.text
