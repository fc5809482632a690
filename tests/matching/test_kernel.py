"""The engine's kernel: the public surface, the bounded caches, and the pre-selection score
staying in step with the named features."""

import datetime as dt
import types

import numpy as np
import pytest

import matching
from matching import MatchScorer, OfferIndex, rank
from matching.cache import LRU
from matching.features import COL, FEATURES, PAIR_FEATURES, need_text
from matching.rank import RegionTables, _Engine, best_columns, best_one

from .conftest import AS_OF
from .factories import make_need, make_offer

_PRESELECTION = ("text", "concept", "category", "urgency", "locality", "targeted", "provider",
                 "government", "named", "category_fit")


def _unscored(flat):
    return [(n, [(o, reasons) for o, _s, reasons in r]) for n, r in flat]


def _flat(rankings):
    return [(r.need_id, [(x.offer_id, x.score, x.reasons) for x in r.ranked]) for r in rankings]


def test_the_public_names_are_the_documented_ones():
    public = {n for n, v in vars(matching).items()
              if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public == set(matching.__all__)
    for name in matching.__all__:
        assert f"``{name}" in matching.__doc__, name


def test_feature_columns_follow_the_one_list():
    assert FEATURES == tuple(f.name for f in PAIR_FEATURES)
    assert [getattr(COL, f) for f in FEATURES] == list(range(len(FEATURES)))
    assert MatchScorer.default().feature_names_in_ == FEATURES


def test_lru_drops_the_least_recently_used():
    c = LRU(2)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("a") == 1          # "b" is now the least recently used
    c.put("c", 3)
    assert (c.get("a"), c.get("b"), c.get("c"), len(c)) == (1, None, 3, 2)


def test_region_tables_stay_within_their_bound_and_eviction_changes_nothing(dev):
    needs, offers = dev
    days = [AS_OF + dt.timedelta(days=k) for k in range(4)]
    fresh = [_flat(rank(needs, OfferIndex(offers), as_of=d, top=5)) for d in days]
    index = OfferIndex(offers)
    index.cache.regions.maxsize = 3
    for _ in range(2):
        got = [_flat(rank(needs, index, as_of=d, top=5)) for d in days]
        assert got == fresh
        assert len(index.cache.regions) == 3
    alone = [_flat(rank([n], index, as_of=days[1], top=5))[0] for n in needs]
    # one need alone sums its float32 scores in another order than the batch: the same
    # offers and reasons, scores equal to a few ulps
    assert _unscored(alone) == _unscored(fresh[1])
    assert [x[1] for _n, r in alone for x in r] == pytest.approx(
        [x[1] for _n, r in fresh[1] for x in r], abs=2e-6)


def test_reason_strings_are_dropped_past_their_bound(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    first = _flat(rank(needs, index, as_of=AS_OF, top=10))
    kept = len(index.cache.reasons)
    assert kept > 0
    index.cache.REASONS = kept - 1
    assert _flat(rank(needs, index, as_of=AS_OF, top=10)) == first
    assert len(index.cache.reasons) == 0
    index.update(offers[0])                        # any change clears every cache
    assert len(index.cache.regions) == 0


def test_preselection_score_is_the_named_features_it_restates(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    scorer = MatchScorer.default()
    scorer.coef_ = np.linspace(0.5, 3.0, len(FEATURES))   # every weight non-zero
    engine = _Engine(index, scorer)
    w = engine.w
    cols = [getattr(COL, f) for f in _PRESELECTION]
    side = index.need_side(needs)
    n_pairs = 0
    for region, members in engine.region_tasks(needs):
        t = engine.tables(region, AS_OF.toordinal())
        for x in engine.region_blocks(region, members, side, AS_OF, top=None):
            c = np.searchsorted(t.cand, x.offer)
            assert (t.cand[c] == x.offer).all()
            pre = (w[COL.text] * x.X[:, COL.text]
                   + np.einsum("ij,ji->i", side.concepts[x.need][:, t.active],
                               t.concepts_t[:, c])
                   + t.table[t.table_row(side.category[x.need], side.urgency[x.need]), c])
            np.testing.assert_allclose(pre, x.X[:, cols] @ w[cols], rtol=1e-4, atol=1e-4)
            n_pairs += len(c)
    assert n_pairs > 400          # every admissible pair of the dev set


def test_the_few_pairs_reason_keys_equal_the_array_reason_keys(dev, monkeypatch):
    """The match page's one need takes the plain-Python look-up of "X 属于 Y"; a batch takes
    the array one. On every admissible pair of the dev set both give the same keys, and some
    of those keys name a narrower concept (so the comparison is not between two blanks)."""
    from matching import reasons
    from matching.reasons import _NONE, ReasonMaker

    needs, offers = dev
    index = OfferIndex(offers)
    engine = _Engine(index, MatchScorer.default())
    side = index.need_side(needs)
    rm = ReasonMaker(index, needs)
    named_child = 0
    for region, members in engine.region_tasks(needs):
        t = engine.tables(region, AS_OF.toordinal())
        for x in engine.region_blocks(region, members, side, AS_OF, top=None):
            for start in range(0, len(x.need), 50):
                part = slice(start, start + 50)
                args = (x.need[part], x.offer[part], x.X[part], x.depth[part],
                        side.concepts[x.need[part]], t)
                monkeypatch.setattr(reasons, "_FEW_PAIRS", 0)
                arrays = rm.keys(*args)
                # the batch's call: offers by region column, needs by row of the whole side
                need = x.need[part]
                batch = rm.keys(*args[:4], side.concepts, t, x.column[part],
                                side.concepts[need].take(t.order_cols, axis=1) > 0, need)
                for a, b in zip(arrays, batch, strict=True):
                    np.testing.assert_array_equal(a, b)
                monkeypatch.setattr(reasons, "_FEW_PAIRS", 10**6)
                few = rm.keys(*args)
                for a, b in zip(arrays, few, strict=True):
                    np.testing.assert_array_equal(a, b)
                # one need's pairs with its concept row given once (as rank_one passes it)
                mine = x.need[part] == x.need[start]
                one = rm.keys_few(*(y[mine] for y in args[:4]),
                                  side.concepts[x.need[start]][None, :], t)
                for a, b in zip(arrays, one, strict=True):
                    np.testing.assert_array_equal(a[mine], b)
                named_child += int(((arrays.content >= 0)
                                    & ((arrays.content & _NONE) != _NONE)).sum())
    assert named_child > 20


def test_region_tables_keep_only_the_concepts_their_offers_fire(dev):
    needs, offers = dev
    index = OfferIndex(offers)
    engine = _Engine(index, MatchScorer.default())
    region = needs[0].region
    t = engine.tables(region, AS_OF.toordinal())
    fired = np.flatnonzero(index.concepts[t.cand].any(axis=0))
    np.testing.assert_array_equal(t.active, fired)
    assert 0 < len(t.active) < index.concepts.shape[1]
    # in reason order, most specific first
    assert (np.diff(index.concept_position[t.order_cols]) > 0).all()


def test_a_large_batch_is_encoded_in_chunks_exactly_as_in_one_piece(dev):
    # the index encodes offer titles concepts-only (tfidf_rows=0) and need batches with TF-IDF
    # for the texts but not the titles: past a chunk's size both must stay offer/need encodings
    # and keep every row (a catalogue of more than 8,192 offers failed to build)
    needs, offers = dev
    enc = OfferIndex(offers).encoder
    texts = [o.title for o in offers] + [n.description for n in needs[:7]]
    for offer in (True, False):
        for rows in (0, 4, 9, None):
            whole = enc.transform(texts, tfidf_rows=rows, offer=offer)
            parts = enc.transform(texts, chunk=3, tfidf_rows=rows, offer=offer)
            assert whole[0].shape == parts[0].shape
            assert (whole[0] != parts[0]).nnz == 0
            assert np.array_equal(whole[1], parts[1]) and np.array_equal(whole[2], parts[2])


# a text for each detector that takes back (or lights) what the words fired (index.py
# ``_take_back``), and one for none
_TAKEN_BACK = (
    "入学时已办理生源地助学贷款，生活费仍然困难。",                     # received.py
    "老两口七十多岁，孩子都在外地打工，老伴中风瘫痪在床无人照顾。",       # grown.py
    "丈夫去年患胃癌去世，治病欠了十几万，孩子读初二。",                  # deceased.py
    "身体健康，看到邻居得癌症花光积蓄，担心以后生大病拖累家里。",         # others.py
    "父亲车祸去世，肇事方已赔偿，母亲打零工供我读书。",                  # settled.py
    "2010年在工地从架子上摔下，腰椎受伤，现在想申请轮椅。",               # past.py
    "去年12月在建筑工地搭脚手架时摔下来，左腿胫骨骨折，老板不管。",       # at_work.py
    "初二住校生，家里困难，孩子想读高中，以后的钱心里没底。",             # planned.py
    "家里人均略高于低保线了，听说低保马上就要停，老伴还要吃药。",         # dibao_exit.py
    "老人腿脚不便，生活困难。")


def test_one_need_is_taken_back_as_in_a_batch(dev):
    # the match page's one need takes the detectors' one-need paths (and skips those whose
    # flags it lacks): the same vectors, flags and spans as the same needs in a batch
    _, offers = dev
    index = OfferIndex(offers)
    needs = [make_need(id=f"N{i}", title="困难求助", description=d, category="basic_living")
             for i, d in enumerate(_TAKEN_BACK)]
    batch = index.need_side(needs)
    for i, need in enumerate(needs):
        one = index.need_one(need)
        assert np.array_equal(one.concepts, batch.concepts[i:i + 1])
        assert np.array_equal(one.title_concepts, batch.title_concepts[i:i + 1])
        assert np.array_equal(one.flags, batch.flags[i:i + 1])
        assert (one.received is None) == (not batch.received[i].any())
        if one.received is not None:
            assert np.array_equal(one.received, batch.received[i:i + 1])
        # every detector's text is changed by it (the plain one, last, by none)
        _, _, _, con, flags = index.encoder.weights([need_text(need), "困难求助"], 1)
        taken = not (np.array_equal(one.concepts[0], con[0])
                     and np.array_equal(one.flags[0], flags[0]))
        assert taken == (i < len(needs) - 1), _TAKEN_BACK[i]


@pytest.mark.parametrize("extra", ["", "aaaa", "癌癌癌癌", "😀 Ω x",
                                   "高血压高血压高血压，高血压。"])
def test_one_need_s_own_encoding_is_the_batch_encoding(dev, extra):
    # the match page encodes one need's text and title by their own short path
    # (TextEncoder.need_weights): the same TF-IDF features and values, concept vectors and
    # flags as the general encoding of the same two texts, to the bit; with text the offers
    # never had, repeated characters and an empty title among them
    needs, offers = dev
    enc = OfferIndex(offers).encoder
    for need in needs:
        for texts in ([need.description + extra, need.title], [extra, ""], [need.title, extra]):
            f, v, con, flags = enc.need_weights(texts)
            td, tf_, tv, tcon, tflags = enc.weights(texts, 1)
            assert (td == 0).all()
            assert np.array_equal(f, tf_) and np.array_equal(v, tv), texts
            assert np.array_equal(con, tcon) and np.array_equal(flags, tflags), texts


def _best_by_sorting(S, m):
    """Each row's m highest finite values, ties to the lower column, by plain sorting."""
    rows, cols = [], []
    for i, row in enumerate(S):
        fin = np.flatnonzero(np.isfinite(row))
        pick = fin[np.lexsort((fin, -row[fin]))][:m]
        rows += [i] * len(pick)
        cols += pick.tolist()
    return rows, cols


@pytest.mark.parametrize("seed", range(20))
def test_the_preselection_takes_each_rows_best_ties_to_the_lower_column(seed):
    rng = np.random.default_rng(seed)
    n, C, m = int(rng.integers(1, 40)), int(rng.integers(1, 400)), int(rng.integers(1, 20))
    # few distinct values (many ties), some rows mostly or wholly inadmissible
    S = rng.integers(0, int(rng.integers(1, 12)), (n, C)).astype(np.float32)
    S[rng.random((n, C)) < rng.random((n, 1))] = -np.inf
    r, c = best_columns(S, m)
    assert (r.tolist(), c.tolist()) == _best_by_sorting(S, m)
    for i in range(n):
        assert best_one(S[i].copy(), m).tolist() == c[r == i].tolist()


@pytest.mark.parametrize("seed", range(20))
def test_one_rows_preselection_with_its_mask_is_the_masked_rows(seed):
    # rank_one hands best_one the rule mask instead of a row with -inf where it fails
    rng = np.random.default_rng(seed)
    C, m = int(rng.integers(1, 400)), int(rng.integers(1, 20))
    S = rng.integers(0, int(rng.integers(1, 12)), C).astype(np.float32)
    ok = rng.random(C) >= rng.random()
    assert best_one(S, m, ok).tolist() == best_one(np.where(ok, S, -np.inf), m).tolist()


def test_tied_programmes_come_in_the_order_posted_alone_and_in_a_batch():
    # twenty copies of one programme tie on every feature: the first posted are shown, the
    # same alone as beside other needs (the pre-selection once kept an arbitrary few)
    offers = [make_offer(id=f"O{i:02d}") for i in range(20)]
    other = make_offer(id="EDU", title="中职学生国家助学金", categories=["education"],
                       description="资助中等职业学校家庭经济困难学生。")
    index = OfferIndex([other] + offers)
    need = make_need()
    [alone] = rank([need], index, as_of=AS_OF, top=3)
    batch = rank([make_need(id="N0", description="孩子读中职，学费困难。",
                            category="education")] * 5 + [need], index, as_of=AS_OF, top=3)
    assert [x.offer_id for x in alone.ranked] == ["O00", "O01", "O02"]
    assert [(x.offer_id, x.score) for x in batch[-1].ranked] == \
        [(x.offer_id, x.score) for x in alone.ranked]


def test_a_change_while_a_region_is_built_is_seen_by_the_next_call(dev, monkeypatch):
    # another thread records a change (an offer's places run out) while this one builds a
    # region's tables from the offers as they were: those tables must not be served after
    # the change, or the full programme keeps ranking until the next change clears the cache
    needs, offers = dev
    index = OfferIndex(offers)
    need = needs[0]
    [before] = rank([need], index, as_of=AS_OF, top=5)
    first = before.ranked[0].offer_id
    index.cache.clear()
    built = RegionTables.__init__

    def build_then_change(self, *args, **kwargs):
        built(self, *args, **kwargs)
        monkeypatch.setattr(RegionTables, "__init__", built)      # only the first build
        index.set_capacity(first, 0)

    monkeypatch.setattr(RegionTables, "__init__", build_then_change)
    rank([need], index, as_of=AS_OF, top=5)                 # built before the change
    [after] = rank([need], index, as_of=AS_OF, top=5)
    assert first not in [r.offer_id for r in after.ranked]
