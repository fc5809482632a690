"""Government first, charity for the gap, on the match page (issue 14).

A dibao household (650 元 per person a month) has a medical need of 8,000 元. The city's
medical assistance programme pays 5,000 元; charities offer more. What the caseworker sees
depends on what the household already receives."""

from __future__ import annotations

from datetime import date

from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.models import Entitlement

NEED_TEXT = {"title": "尿毒症透析费用负担重",
             "description": "户主患尿毒症，每周透析三次，自付部分难以承担。"}


def _world(session, *, charity_count=1, programme_rules=None, **need):
    worker = make_user(session, "caseworker")
    gov = make_org(session, kind="government", name="南通市医疗保障局")
    programme = make_offer(
        session, gov, title="城乡医疗救助", description="低保特困等救助对象医保报销后的自付费用",
        groups=("dibao", "tekun"), is_programme=True, amount_per_person=5000,
        rules={"government_first": True} | (programme_rules or {}), capacity=None,
    )
    charities = [
        make_offer(session, title=f"尿毒症透析慈善救助{i}",
                   description="尿毒症患者每周透析三次，自付部分难以承担的，给予透析费用救助",
                   amount_per_person=3000)
        for i in range(charity_count)
    ]
    need = make_need(session, worker, **(NEED_TEXT | need))
    return worker, programme, charities, need


def _matches(client, need_id, **params):
    response = client.get(f"/api/v1/needs/{need_id}/matches", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _receive(session, need, offer, *, category="medical", programme=None):
    session.add(Entitlement(household_id=need.household_id, programme=programme or offer.title,
                            category=category, offer_id=offer.id, monthly_amount=None,
                            since_date=date(2025, 1, 1)))
    session.commit()


def test_a_programme_not_yet_received_is_listed_first_with_the_gap_for_charity(session, login):
    worker, programme, (charity,), need = _world(session)
    client = login(worker)
    body = _matches(client, need.id)
    scores = {r["offer_id"]: r["score"] for r in body["ranked"]}
    assert scores[charity.id] > scores[programme.id]  # the engine alone would put charity first
    first, second = body["ranked"][:2]
    assert (first["offer_id"], first["government_first"]) == (programme.id, True)
    assert (second["offer_id"], second["government_first"]) == (charity.id, False)
    assert body["government_amount"] == 5000 and body["uncovered_amount"] == 3000
    page = client.get(f"/needs/{need.id}/matches").text
    assert page.index("城乡医疗救助") < page.index("尿毒症透析慈善救助0")
    assert "政府救助优先" in page and "尚有缺口 3,000 元" in page


def test_a_programme_the_engine_ranks_below_the_page_is_still_listed_first(session, login):
    worker, programme, charities, need = _world(session, charity_count=12)
    body = _matches(login(worker), need.id)
    assert body["ranked"][0]["offer_id"] == programme.id
    assert body["ranked"][0]["government_first"] is True
    assert len(body["ranked"]) == 11  # the programme, and the ten best of the rest
    # Asking for NGOs only leaves the programme out.
    only_ngos = _matches(login(worker), need.id, provider_kind="ngo")
    assert programme.id not in [r["offer_id"] for r in only_ngos["ranked"]]


def test_a_received_programme_is_not_proposed_again_and_charity_fills_the_gap(session, login):
    worker, programme, (charity,), need = _world(session)
    _receive(session, need, programme)
    body = _matches(login(worker), need.id)
    rows = {r["offer_id"]: r for r in body["ranked"]}
    assert rows[programme.id]["already_received"] is True
    assert rows[programme.id]["government_first"] is False
    assert body["ranked"][0]["offer_id"] == charity.id  # the engine's order again
    # The programme's part of the bill is still government's: 3,000 元 is left for charity.
    assert body["uncovered_amount"] == 3000


def test_an_offer_that_does_not_stack_is_not_proposed_beside_a_received_programme(
    session, login
):
    worker, programme, (charity,), need = _world(session)
    lone = make_offer(session, title="透析费用一次性补助", rules={"stacks_with_charity": False},
                      description="尿毒症患者透析费用补助，不与政府医疗救助同时享受")
    client = login(worker)
    before = [r["offer_id"] for r in _matches(client, need.id)["ranked"]]
    assert lone.id in before  # nothing received yet: it may be proposed
    _receive(session, need, programme)
    body = _matches(client, need.id)
    assert lone.id not in [r["offer_id"] for r in body["ranked"]]
    assert charity.id in [r["offer_id"] for r in body["ranked"]]
    refused = next(e for e in body["excluded"] if e["offer_id"] == lone.id)
    assert refused["rules"] == ["不与已享受的政府救助叠加"]
    assert "城乡医疗救助" in refused["details"][0]


def test_a_programme_that_refuses_charity_keeps_charity_off_but_not_government(session, login):
    worker, programme, (charity,), need = _world(
        session, programme_rules={"stacks_with_charity": False})
    top_up = make_offer(session, make_org(session, kind="government", name="如皋市民政局"),
                        title="透析临时救助", description="尿毒症透析费用临时救助")
    _receive(session, need, programme)
    body = _matches(login(worker), need.id)
    ids = [r["offer_id"] for r in body["ranked"]]
    assert charity.id not in ids and top_up.id in ids
    assert any(e["offer_id"] == charity.id for e in body["excluded"])


def test_a_household_above_the_programme_line_is_not_offered_it(session, login):
    worker, programme, (charity,), need = _world(
        session, programme_rules={"income_line_monthly": 600})
    body = _matches(login(worker), need.id)
    assert [r["offer_id"] for r in body["ranked"]] == [charity.id]
    refused = next(e for e in body["excluded"] if e["offer_id"] == programme.id)
    assert refused["rules"] == ["收入高于政策标准"]
    assert refused["details"] == ["人均月收入 650 元，标准 600 元"]
    assert body["uncovered_amount"] is None  # no government part is known


def test_an_excluded_group_is_not_offered_the_programme(session, login):
    worker, programme, (charity,), need = _world(
        session, programme_rules={"excludes_groups": ["dibao"]})
    body = _matches(login(worker), need.id)
    assert programme.id not in [r["offer_id"] for r in body["ranked"]]
    refused = next(e for e in body["excluded"] if e["offer_id"] == programme.id)
    assert refused["rules"] == ["属于政策排除的对象类别"] and refused["details"] == ["低保对象"]
