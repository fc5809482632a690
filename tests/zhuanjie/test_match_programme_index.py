"""On the demo city: a government programme that the engine ranks below the rows shown is
still listed first (政府救助优先), scored by a small index each process keeps with the rules
table for one state of the engine's index — not built again on every request — and a change
of the programme's text or rules shows on the very next request, as a process starting cold
would show it."""

from __future__ import annotations

from sqlmodel import select

import matching
from tests.zhuanjie.factories import make_household, make_need, make_offer, make_org
from zhuanjie.clock import today
from zhuanjie.matches import government
from zhuanjie.matches.engine import engine_need, index_cache
from zhuanjie.models import Need, User

TEXT = {"title": "尿毒症透析费用负担重",
        "description": "户主患尿毒症，每周透析三次，自付部分难以承担。"}


def _world(session):
    worker = session.exec(select(User).where(User.username == "caseworker")).one()
    gov = make_org(session, kind="government", name="测试医疗保障局（程序索引）")
    programme = make_offer(
        session, gov, title="城乡医疗救助（测试）", description="救助对象医保报销后的自付费用",
        groups=("dibao", "tekun"), is_programme=True, amount_per_person=5000,
        rules={"government_first": True}, capacity=None)
    charity = make_org(session, name="测试慈善会（程序索引）")
    for i in range(14):
        make_offer(session, charity, title=f"尿毒症透析慈善救助{i}",
                   description="尿毒症患者每周透析三次，自付部分难以承担的，给予透析费用救助",
                   amount_per_person=3000)
    need = make_need(session, worker, make_household(session, worker), **TEXT)
    return programme, need


def _first(client, need_id) -> dict:
    response = client.get(f"/api/v1/needs/{need_id}/matches")
    assert response.status_code == 200, response.text
    return response.json()["ranked"][0]


def _engine_alone(session, need, programme) -> tuple[bool, matching.RankedOffer]:
    """Whether the engine's own ranking reaches the programme on the page (top 11), and its
    score by an index of that programme alone with the city index's encoder and tables (what
    the page built on every such request before)."""
    record = engine_need(session, session.get(Need, need.id))
    index = index_cache.get(session)
    scorer = index_cache.scorer(session)
    (ranking,) = matching.rank([record], index, as_of=today(), top=11, scorer=scorer, n_jobs=1)
    alone = matching.OfferIndex([index_cache.records(session)[str(programme.id)]],
                                encoder=index.encoder, affinity=index.affinity,
                                provider_stats=index.provider_stats)
    (own,) = matching.rank([record], alone, as_of=today(), top=1, scorer=scorer, n_jobs=1)
    return str(programme.id) in {r.offer_id for r in ranking.ranked}, own.ranked[0]


def test_a_programme_below_the_page_is_scored_once_per_index_state_and_follows_changes(
    demo_session, demo_client
):
    programme, need = _world(demo_session)
    client = demo_client.sign_in("caseworker")
    first = _first(client, need.id)
    assert (first["offer_id"], first["government_first"]) == (programme.id, True)
    # The engine ranks it below the page: the programmes' own index scored it, as an index
    # of that programme alone would.
    reached, alone = _engine_alone(demo_session, need, programme)
    assert not reached
    assert (first["score"], first["reasons"]) == (alone.score, alone.reasons)
    kept = government.rules_table._programmes
    assert kept is not None
    page = client.get(f"/needs/{need.id}/matches")
    assert page.status_code == 200 and "政府救助优先" in page.text
    assert government.rules_table._programmes is kept  # nothing changed: not built again

    # The programme's text changes: the very next request scores the new text.
    programme.description = "尿毒症透析患者每周透析三次，医保报销后自付的透析费用给予医疗救助"
    demo_session.add(programme)
    demo_session.commit()
    fresh = _first(client, need.id)
    assert fresh["offer_id"] == programme.id and fresh["score"] != first["score"]
    assert government.rules_table._programmes is not kept
    reached, alone = _engine_alone(demo_session, need, programme)
    assert not reached
    assert (fresh["score"], fresh["reasons"]) == (alone.score, alone.reasons)

    # Its rules no longer put it first: the next request leaves it where the engine ranks
    # it, below the page.
    assert "城乡医疗救助（测试）" in client.get(f"/needs/{need.id}/matches").text
    programme.rules = {"government_first": False}
    demo_session.add(programme)
    demo_session.commit()
    body = client.get(f"/api/v1/needs/{need.id}/matches").json()
    assert programme.id not in [r["offer_id"] for r in body["ranked"]]
    assert "城乡医疗救助（测试）" not in client.get(f"/needs/{need.id}/matches").text
