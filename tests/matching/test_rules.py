import datetime as dt

from hypothesis import HealthCheck, given, settings

from matching import OfferIndex, admissible, explain_exclusions, rank
from matching.rules import RULE_LABELS

from .conftest import AS_OF
from .factories import make_need, make_offer, worlds

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(worlds())
def test_rank_returns_exactly_the_admissible_offers(world):
    needs, offers = world
    out = rank(needs, offers, as_of=AS_OF, top=len(offers))
    for need, r in zip(needs, out, strict=True):
        got = {x.offer_id for x in r.ranked}
        want = {o.id for o in offers if admissible(need, o, AS_OF)}
        assert got == want
        scores = [x.score for x in r.ranked]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


@SETTINGS
@given(worlds())
def test_one_need_alone_gets_what_the_batch_gives_it(world):
    needs, offers = world
    index = OfferIndex(offers)
    batch = rank(needs, index, as_of=AS_OF, top=len(offers))
    for need, b in zip(needs, batch, strict=True):
        [one] = rank([need], index, as_of=AS_OF, top=len(offers))
        assert {x.offer_id for x in one.ranked} == \
            {o.id for o in offers if admissible(need, o, AS_OF)}
        assert [(x.offer_id, round(x.score, 5), x.reasons) for x in one.ranked] == \
            [(x.offer_id, round(x.score, 5), x.reasons) for x in b.ranked]


@SETTINGS
@given(worlds())
def test_explain_exclusions_agrees_with_rank(world):
    needs, offers = world
    out = rank(needs, offers, as_of=AS_OF, top=len(offers))
    for need, r in zip(needs, out, strict=True):
        ex = explain_exclusions(need, offers, as_of=AS_OF)
        assert set(ex).isdisjoint({x.offer_id for x in r.ranked})
        assert set(ex) | {x.offer_id for x in r.ranked} == {o.id for o in offers}
        for reasons in ex.values():
            assert reasons and all(e.label == RULE_LABELS[e.code] for e in reasons)


def test_each_rule_has_its_code_and_label():
    need = make_need(region="南通市/如皋市/白蒲镇", groups=["dibao"], beneficiary_age=8,
                     income_per_capita=600)
    cases = {
        "coverage": make_offer(id="a", coverage=["南通市/海门区"]),
        "groups": make_offer(id="b", eligible_groups=["tekun"]),
        "age": make_offer(id="c", age_min=9),
        "income": make_offer(id="d", income_ceiling=599),
        "capacity": make_offer(id="e", capacity_remaining=0),
        "validity": make_offer(id="f", valid_until=dt.date(2018, 2, 28)),
    }
    ex = explain_exclusions(need, cases.values(), as_of=AS_OF)
    for code, offer in cases.items():
        assert [e.code for e in ex[offer.id]] == [code]
    assert ex["a"][0].label == "不在服务范围"
    assert ex["e"][0].label == "名额已满"


def test_bounds_are_inclusive():
    need = make_need(beneficiary_age=18, income_per_capita=1050)
    offer = make_offer(age_min=18, age_max=18, income_ceiling=1050,
                       valid_from=AS_OF, valid_until=AS_OF, capacity_remaining=1)
    assert admissible(need, offer, AS_OF)
    assert [x.offer_id for x in rank([need], [offer], as_of=AS_OF)[0].ranked] == ["O1"]


def test_missing_values_pass_and_coverage_below_path():
    need = make_need(beneficiary_age=None, income_per_capita=None,
                     region="南通市/崇川区/任港街道/一村")
    offer = make_offer(age_min=60, income_ceiling=100, coverage=["南通市/崇川区/任港街道"])
    assert admissible(need, offer, AS_OF)
    assert not admissible(need, make_offer(coverage=["南通市/崇川区/任港"]), AS_OF)


def test_index_updates_apply_rules():
    offers = [make_offer(id=f"O{i}") for i in range(5)]
    index = OfferIndex(offers)
    need = make_need()
    assert len(rank([need], index, as_of=AS_OF)[0].ranked) == 5
    index.set_capacity("O1", 0)
    index.remove("O2")
    index.update(make_offer(id="O3", coverage=["南通市/海门区"]))
    index.add(make_offer(id="O9", title="白血病专项救助"))
    got = [x.offer_id for x in rank([need], index, as_of=AS_OF)[0].ranked]
    assert sorted(got) == ["O0", "O4", "O9"]
    index.set_capacity("O1", 3)
    assert "O1" in [x.offer_id for x in rank([need], index, as_of=AS_OF)[0].ranked]
