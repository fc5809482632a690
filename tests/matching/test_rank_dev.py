import json
import math
import os

import pytest

from matching import OfferIndex, admissible, rank

from .conftest import AS_OF, DEV


def _labels():
    with open(os.path.join(DEV, "labels.jsonl"), encoding="utf-8") as f:
        return {r["need_id"]: r["relevance"] for r in map(json.loads, f) if r}


def _ndcg5(ids, rel):
    def dcg(gs):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gs))
    ideal = dcg(sorted(rel.values(), reverse=True)[:5])
    return dcg([rel.get(o, 0) for o in ids[:5]]) / ideal


def test_dev_ndcg_at_5_and_no_violations(dev):
    needs, offers = dev
    labels = _labels()
    out = rank(needs, offers, as_of=AS_OF, top=10)
    by_id = {o.id: o for o in offers}
    scores = []
    for need, r in zip(needs, out, strict=True):
        assert r.need_id == need.id
        assert all(admissible(need, by_id[x.offer_id], AS_OF) for x in r.ranked)
        scores.append(_ndcg5([x.offer_id for x in r.ranked], labels[need.id]))
    assert sum(scores) / len(scores) >= 0.94


def test_reasons_are_chinese_and_name_parts(dev):
    needs, offers = dev
    out = rank(needs[:5], offers, as_of=AS_OF, top=3)
    for r in out:
        for x in r.ranked:
            assert x.reasons and any(s.startswith("覆盖: ") for s in x.reasons)
    assert any(s.startswith("类别匹配") for r in out for x in r.ranked for s in x.reasons)


def test_one_need_equals_bulk_and_iterables_accepted(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    bulk = rank(iter(needs), index, as_of=AS_OF, top=5)
    for need, b in zip(needs, bulk, strict=True):
        [one] = rank([need], index, as_of=AS_OF, top=5)
        assert [x.offer_id for x in one.ranked] == [x.offer_id for x in b.ranked]
        # float32 sums in another order: equal to a few ulps, not always after rounding
        assert [x.score for x in one.ranked] == pytest.approx([x.score for x in b.ranked],
                                                              abs=2e-6)
        assert [x.reasons for x in one.ranked] == [x.reasons for x in b.ranked]


def test_provider_history_moves_score(dev):
    needs, offers = dev
    base = rank(needs[:1], offers, as_of=AS_OF, top=10)[0].ranked
    top_offer = next(o for o in offers if o.id == base[0].offer_id)
    stats = {top_offer.provider_name: (2, 0, 30)}
    after = rank(needs[:1], offers, as_of=AS_OF, top=10, provider_stats=stats)[0].ranked
    s = {x.offer_id: x for x in after}
    assert s[top_offer.id].score < base[0].score
    assert any(r.startswith("机构记录") for r in s[top_offer.id].reasons)


def test_forked_workers_give_the_same_result(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    a = rank(needs, index, as_of=AS_OF, top=5, n_jobs=1)
    b = rank(needs, index, as_of=AS_OF, top=5, n_jobs=2)
    assert [[(x.offer_id, x.reasons) for x in r.ranked] for r in a] == \
        [[(x.offer_id, x.reasons) for x in r.ranked] for r in b]


def test_the_collector_runs_again_after_a_batch_with_nothing_left_frozen(dev):
    # the batch pauses the cyclic collector and hands its objects to the oldest generation
    # on the way out; a frozen heap would never free its cycles in a long-running server
    import gc
    needs, offers = dev
    rank(needs, OfferIndex(offers), as_of=AS_OF, top=5)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_rank_lines_equal_rank_to_json(dev):
    import json as _json

    from matching import rank_lines
    needs, offers = dev
    index = OfferIndex(offers)
    objs = rank(needs, index, as_of=AS_OF, top=4)
    for n_jobs in (1, 2):
        lines = rank_lines(needs, index, as_of=AS_OF, top=4, n_jobs=n_jobs)
        assert [_json.loads(x) for x in lines] == [r.to_json() for r in objs]


def test_provider_history_on_a_reused_index(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    base = rank(needs[:1], index, as_of=AS_OF, top=3)[0].ranked[0]
    name = next(o.provider_name for o in offers if o.id == base.offer_id)
    after = rank(needs[:1], index, as_of=AS_OF, top=10,
                 provider_stats={name: (40, 40, 0)})[0].ranked
    assert next(x for x in after if x.offer_id == base.offer_id).score > base.score
