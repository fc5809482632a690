from collections import Counter

from hypothesis import HealthCheck, given, settings

from matching import allocate
from matching.allocate import allocate_first_come

from .conftest import AS_OF
from .factories import make_need, make_offer, worlds


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(max_needs=10, max_offers=8))
def test_capacity_never_exceeded_and_one_per_category(world):
    needs, offers = world
    res = allocate(needs, offers, as_of=AS_OF)
    by_id = {o.id: o for o in offers}
    used = Counter(a.offer_id for a in res.assignments)
    for oid, n in used.items():
        cap = by_id[oid].capacity_remaining
        assert cap is None or n <= cap
    per_cat = Counter((a.need_id, by_id[a.offer_id].categories[0]) for a in res.assignments)
    assert max(per_cat.values(), default=0) <= 1
    assert all(v >= 0 for v in res.remaining.values())
    greedy = allocate_first_come(needs, offers, as_of=AS_OF)
    assert res.objective >= greedy.objective - 1e-6


def test_scarce_place_goes_to_the_emergency_and_left_out_are_reported():
    offer = make_offer(capacity_remaining=1)
    calm = make_need(id="calm", urgency=1, groups=["low_income"], created_at="2018-01-01")
    urgent = make_need(id="urgent", urgency=3, groups=["tekun"], created_at="2018-02-01")
    res = allocate([calm, urgent], [offer], as_of=AS_OF)
    assert [a.need_id for a in res.assignments] == ["urgent"]
    assert "calm" in res.unassigned and res.remaining["O1"] == 0
    first = allocate_first_come([calm, urgent], [offer], as_of=AS_OF)
    assert [a.need_id for a in first.assignments] == ["calm"]
