"""rank(): the one ranking path every caller uses (CLI, match page, nightly re-matching,
allocation, evaluation and training).

How a call flows (to add a feature, see features.py; what is cached, cache.py):

- ``_Engine`` (one per call: an index and a scorer's weights) groups the needs by region and
  gets each region's ``RegionTables`` (candidate offers, rule and score tables) from the
  index's cache.
- A batch: ``_split`` cuts a region's needs into ``Block``s; ``_score_block`` computes the
  hard-rule mask and the cheap pre-selection score of the whole block as dense arrays, keeps
  each need's best ``top + _EXTRA`` candidates, and ``_features`` computes every feature of
  ``features.PAIR_FEATURES`` for those ``Pairs`` and their scores: a ``Scored`` block.
  ``top_pairs`` keeps each need's best ``top`` as ``TopPairs`` with their reason keys.
- One need: ``rank_one``, the same steps on the need's own n-grams without sparse matrices.
- ``_Run`` is one call's shared state; large batches run its region tasks in forked workers.
  Results become ``NeedRanking``s (``rank``) or the spec's JSON lines (``rank_lines``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from .features import (
    COL,
    FEATURES,
    PAIR_FEATURES,
    Pairs,
    candidate_records,
    illness_fund,
    narrowest_of,
    offer_category_shares,
    offer_sides,
    row_bits,
    stage_aid,
    status_tables,
    title_names_illness,
)
from .index import NeedSide, OfferIndex
from .places import outside
from .reasons import ReasonMaker, offer_key_parts
from .schema import Need, NeedRanking, Offer, RankedOffer
from .scorer import MatchScorer
from .text import ONE_F32

_BLOCK = 512        # needs per block (memory: block x candidates float32 arrays)
_PARALLEL_MIN = 20000  # needs; below this one process is faster than forking
_EXTRA = 4          # candidates re-scored beyond top (the amount feature is not in the cheap score)
_SAMPLE = 4         # best_columns reads every 4th candidate for its threshold


def rank(needs: Iterable[Need], offers: Iterable[Offer] | OfferIndex, *,
         as_of: dt.date | None = None, top: int = 10, scorer: MatchScorer | None = None,
         provider_stats: Mapping[str, tuple[int, int, int]] | None = None,
         n_jobs: int | None = None) -> list[NeedRanking]:
    """Rank, for each need, its admissible offers best first.

    Parameters
    ----------
    needs : iterable of Need
    offers : iterable of Offer, or an OfferIndex built once and reused
    as_of : datetime.date, optional
        Validity windows are judged on this day (default: today).
    top : int
        At most this many offers per need.
    scorer : MatchScorer, optional
        Default: the packaged hand-set/learned weights.
    provider_stats : mapping, optional
        ``provider_name -> (accepted, completed, declined)``; when ``offers`` is an index
        this replaces the index's history.
    n_jobs : int, optional
        Worker processes for large batches (forked; default: 2 for 20,000 needs or more,
        else 1). Pass 1 inside a multi-threaded server.

    Returns
    -------
    list of NeedRanking
        In input order; ``ranked`` holds only offers breaking no hard rule, each with a score
        in [0, 1] and Chinese reasons.

    Examples
    --------
    >>> out = rank(needs, offers, as_of=date(2018, 3, 1), top=5)   # doctest: +SKIP
    >>> out[0].ranked[0]                                           # doctest: +SKIP
    RankedOffer(offer_id='DO28', score=0.83, reasons=['类别匹配: 照料关爱', ...])
    """
    needs = list(needs)
    engine = _engine(offers, scorer, provider_stats)
    return engine.rank(needs, as_of or dt.date.today(), top, n_jobs)


def rank_lines(needs: Iterable[Need], offers: Iterable[Offer] | OfferIndex, *,
               as_of: dt.date | None = None, top: int = 10, scorer: MatchScorer | None = None,
               provider_stats: Mapping[str, tuple[int, int, int]] | None = None,
               n_jobs: int | None = None) -> list[str]:
    """``rank`` rendered as the spec's output lines (JSON, one per need, input order).

    Same engine, same scores, order and reasons as ``rank(...)[i].to_json()``; used by the
    command, where building a million result objects only to serialise them would dominate.
    """
    needs = list(needs)
    engine = _engine(offers, scorer, provider_stats)
    return engine.rank_lines(needs, as_of or dt.date.today(), top, n_jobs)


def _engine(offers, scorer, provider_stats) -> _Engine:
    if isinstance(offers, OfferIndex):
        index = offers
        if provider_stats is not None:
            index.set_provider_stats(provider_stats)
    else:
        index = OfferIndex(offers, provider_stats=provider_stats)
    return _Engine(index, scorer or _default_scorer())


@functools.lru_cache(maxsize=1)
def _default_scorer() -> MatchScorer:
    return MatchScorer.default()


# the last scorer's engine weights: (scorer, its coef_ as bytes, intercept_, concept scales,
# category table, (w, b, key)); kept as long as they are the same
_WEIGHTS: list[tuple | None] = [None]


def _weights(scorer: MatchScorer, cscale: np.ndarray, cfit: np.ndarray | None
             ) -> tuple[np.ndarray, np.float32, bytes]:
    """The engine's float32 weights and bias, and the key of its region tables (the weights,
    concept scales and category table as bytes), reused while the scorer's coefficients
    are the same bytes and its scales and table the same arrays (``concept_scales`` and
    ``category_table`` keep theirs): every ranking call builds an engine, and building the
    key anew cost more than comparing (and made each call hash 2 KB for its table)."""
    raw = scorer.coef_.tobytes()
    kept = _WEIGHTS[0]
    if (kept is not None and kept[0] is scorer and kept[1] == raw
            and kept[2] == scorer.intercept_ and kept[3] is cscale and kept[4] is cfit):
        return kept[5]
    w = scorer.coef_.astype(np.float32)
    w.flags.writeable = False                  # shared by the engines that reuse it
    out = (w, np.float32(scorer.intercept_),
           w.tobytes() + cscale.tobytes() + (b"" if cfit is None else cfit.tobytes()))
    _WEIGHTS[0] = (scorer, raw, scorer.intercept_, cscale, cfit, out)
    return out


def pair_features(needs: list[Need], index: OfferIndex, *, as_of: dt.date):
    """Features of every admissible (need, offer) pair, for training and inspection.

    Returns ``(need_idx, offer_ids, X)`` with X of shape (n_pairs, len(FEATURES)), its columns
    named by ``features.COL``.
    """
    engine = _Engine(index, MatchScorer.default())
    parts = list(engine.blocks(needs, as_of, top=None))
    if not parts:
        return np.zeros(0, int), [], np.zeros((0, len(FEATURES)), np.float32)
    ids = index.ids
    return (np.concatenate([x.need for x in parts]),
            [ids[p] for x in parts for p in x.offer.tolist()], np.vstack([x.X for x in parts]))


class Block(NamedTuple):
    """Needs of one region scored together (at most ``_BLOCK``)."""

    rows: np.ndarray            # their rows in the batch (increasing)
    tfidf: sp.csr_matrix        # their TF-IDF rows
    span: slice | None = None   # ``rows`` as a slice when they are contiguous

    def of(self, a: np.ndarray) -> np.ndarray:
        """The block's rows of a need-side array: a view when they are contiguous (a region's
        needs ranked together are), so only the columns taken next are copied."""
        return a[self.span] if self.span is not None else a[self.rows]


class Scored(NamedTuple):
    """The selected (need, offer) pairs of a block, one entry per pair."""

    need: np.ndarray            # the need's row in the batch
    offer: np.ndarray           # the offer's slot in the index
    X: np.ndarray               # features (pairs x FEATURES), columns named by COL
    score: np.ndarray           # scorer output in [0, 1]
    depth: np.ndarray           # depth of the covering path (1 city, 2 county, 3 township)
    column: np.ndarray          # the offer's candidate column in the region's tables


class TopPairs(NamedTuple):
    """Each need's best pairs as flat arrays (best first per need), with the reason keys."""

    need: np.ndarray
    offer: np.ndarray
    score: np.ndarray
    profile: np.ndarray         # ReasonMaker.keys: reason cache keys and extras
    content: np.ndarray
    coverage: np.ndarray
    extra: np.ndarray


class _Engine:
    """Scores needs against an index. Work is split by region (the coverage, validity and
    capacity masks are shared by every need of a region); each region's needs are scored in
    blocks of dense (block x candidates) arrays, never a Python loop over pairs.

    Per pair, a cheap pre-selection score (the nine features a region table can hold) picks
    each need's best ``top + _EXTRA`` candidates; only those get every feature of
    ``PAIR_FEATURES`` and the scorer's score."""

    def __init__(self, index: OfferIndex, scorer: MatchScorer) -> None:
        self.ix = index
        self.cscale = scorer.concept_scales(index.lexicon.ids)   # per concept column
        self.cfit = scorer.category_table()        # need x offer category, or None
        self.w, self.b, self._wkey = _weights(scorer, self.cscale, self.cfit)

    @staticmethod
    def region_tasks(needs: list[Need]) -> list[tuple[str, np.ndarray]]:
        return [(r, np.asarray(m, np.int64)) for r, m in region_groups(needs).items()]

    def blocks(self, needs: list[Need], as_of: dt.date, top: int | None) -> Iterator[Scored]:
        """The selected pairs of every block (``top=None``: every admissible pair)."""
        if not needs:
            return
        side = self.ix.need_side(needs)
        for region, members in self.region_tasks(needs):
            yield from self.region_blocks(region, members, side, as_of, top)

    def tables(self, region: str, day: int) -> RegionTables | None:
        """The region's candidate offers and lookup tables on ordinal ``day`` (None when
        nothing covers the region that day), from the index's cache."""
        # keyed by the index's version read before building: tables another thread built from
        # the offers as they were before a change (put after the change cleared the cache)
        # land under the old version and are never read again
        key = (region, day, self._wkey, self.ix.version)
        cache = self.ix.cache.regions
        hit = cache.get(key)
        if hit is None:
            cand, depth = self.ix.candidates(region, day)
            hit = (RegionTables(self.ix, cand, depth, self.w, self.cscale, self.cfit, region)
                   if len(cand) else _NOTHING)
            cache.put(key, hit)
        return None if hit is _NOTHING else hit

    def region_blocks(self, region: str, members: np.ndarray, side: NeedSide, as_of: dt.date,
                      top: int | None) -> Iterator[Scored]:
        t = self.tables(region, as_of.toordinal())
        if t is None:
            return
        for block in _split(members, side.tfidf):
            yield self._score_block(t, side, block, top)

    def _score_block(self, t: RegionTables, side: NeedSide, block: Block,
                     top: int | None) -> Scored:
        rows, w = block.rows, self.w
        ok = t.group_ok(side.bits[rows])
        ok &= t.age_ok(side.age[rows])
        ok &= t.income_ok(side.income[rows])
        T = (block.tfidf @ t.tfidf_t).toarray()
        S = T * w[COL.text]
        # the block's rows of the region's active concept columns: a row gather, then a
        # column gather (np.ix_ fancy indexing walks every element and was the batch's
        # largest single cost once the taxonomy made the concept matrix 4x wider)
        con = block.of(side.concepts).take(t.active, axis=1)
        S += (con @ t.float64_rows()).astype(np.float32)     # float64: see RegionTables
        S += t.table[t.table_row(side.category[rows], side.urgency[rows])]
        np.putmask(S, ~ok, -np.inf)
        if top is None:
            r, c = np.nonzero(ok)
        else:
            r, c = best_columns(S, top + _EXTRA)
        need = rows[r]
        p = t.cand[c]
        X, score = self._features(Pairs(
            index=self.ix, region=t, column=c, offer=p,
            offer_concepts=t.concepts[c], text=T[r, c],
            category=side.category[need], urgency=side.urgency[need],
            amount=side.amount[need], bill=side.bill[need], concepts=con.take(r, axis=0),
            title_concepts=block.of(side.title_concepts).take(t.active, axis=1).take(r, axis=0),
            flags=side.flags[need], received=None if side.received is None
            else block.of(side.received).take(t.active, axis=1).take(r, axis=0),
            ill=side.ill[need], sex=side.sex[need],
            ill_down=None if side.ill_narrow is None
            else (side.ill_narrow[rows].astype(np.float32) @ t.ill_down).take(r, axis=0) > 0,
            stage=None if side.stage is None else side.stage[need],
            status=None if side.status is None else side.status[need],
            bits=side.bits[need], age=side.age[need],
            troubled=None if side.troubled is None else side.troubled[need],
            bedridden=None if side.bedridden is None else side.bedridden[need]))
        return Scored(need, p, X, score, t.depth[c], c)

    def _features(self, pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
        """Every feature of ``PAIR_FEATURES`` for the pairs, and their scores."""
        # the offer-only features are the region's (RegionTables.static), the rest computed
        X = pairs.region.static.take(pairs.column, axis=0)
        for j, compute in _COMPUTE:
            v = compute(pairs)
            # most warnings are a plain 0.0 for one need (no work): the column is zero already
            if type(v) is not float or v:
                X[:, j] = v
        # a row-wise dot (features._dot), not X @ w: BLAS sums a row in an order that depends
        # on how many rows there are (a 15-feature row scored alone and among others differed
        # in the last bit), and one need must score the same in any batch and any index
        z = np.vecdot(X, self.w) + self.b
        return X, ONE_F32 / (ONE_F32 + np.exp(-z))

    def rank_one(self, need: Need, as_of: dt.date, top: int) -> NeedRanking:
        """One need (the match page, a referral's alternatives): the same rules, features
        and reasons as a batch, with the cheap score computed from the need's own n-grams
        and concepts instead of sparse matrix products (per-call overhead dominates here)."""
        out = NeedRanking(need.id, [])
        t = self.tables(need.region, as_of.toordinal())
        if t is None:            # rank() has already answered top <= 0
            return out
        side = self.ix.need_one(need)
        con = side.concepts[0].take(t.active)
        ok = t.one_ok(int(side.bits[0]), need.beneficiary_age, need.income_per_capita)
        T = _row_dot(*side.terms, t, len(t.cand))
        nz = con.nonzero()[0]               # (methods: no numpy Python wrapper)
        S = T * self.w[COL.text]
        S += (con[nz] @ t.float64_rows(nz)).astype(np.float32)
        S += t.table[int(side.category[0]) * 3 + min(max(int(side.urgency[0]) - 1, 0), 2)]
        c = best_one(S, top + _EXTRA, ok)   # (masks its sample, not the whole row)
        if not len(c):
            return out
        # (take, not fancy indexing: the same arrays by a shorter path, a few each call)
        rec = t.records.take(c)          # the candidates' records: one gather (features.py)
        p = rec["cand"]
        # positional, in field order (keywords cost a NamedTuple of 22 fields 0.6 µs more)
        X, score = self._features(Pairs(
            self.ix, t, c, p,                                  # index, region, column, offer
            t.concepts.take(c, axis=0), T.take(c),             # offer_concepts, text
            side.category[0], side.urgency[0], side.amount[0], side.bill[0],
            con[None, :], side.title_concepts.take(t.active, axis=1), side.flags,  # concepts …
            None if side.received is None else side.received.take(t.active, axis=1),  # received
            side.ill[0],
            None if side.ill_narrow is None     # ill_down (a take: a bool index costs twice)
            else np.logical_or.reduce(t.ill_down.take(side.ill_narrow[0].nonzero()[0], axis=0)),
            side.sex[0], side.stage, side.status, int(side.bits[0]),    # sex … bits
            None if side.status is None else row_bits(side.status[0]), rec,  # status_bits, rec
            side.age, side.troubled, side.bedridden))       # age, troubled, bedridden
        best = np.lexsort((p, -score))[:top]
        c, p, X, score = c.take(best), p.take(best), X.take(best, axis=0), score.take(best)
        dep = rec["depth"].take(best)
        rm = ReasonMaker(self.ix, [need], side.found)
        ni = np.zeros(len(p), np.int64)
        keys = rm.keys_few(ni, p, X, dep, side.concepts, t, c)
        ids = self.ix.ids
        out.ranked = [RankedOffer(ids[pos], sc, reasons) for _, pos, sc, reasons in
                      _with_reasons(rm, ni.tolist(), p.tolist(), score.tolist(), *keys)]
        return out

    def top_pairs(self, needs: list[Need], members: np.ndarray, region: str,
                  as_of: dt.date, top: int, rm: ReasonMaker) -> TopPairs | None:
        """Best ``top`` admissible offers of the needs ``members`` (all in ``region``)."""
        sub = [needs[i] for i in members]
        side = self.ix.need_side(sub)
        if side.found:      # what the needs already receive, for their reasons
            rm.learn({int(members[i]): got for i, got in side.found.items()})
        parts = []
        local = np.arange(len(sub))
        t = self.tables(region, as_of.toordinal())
        # the needs' side of the reasons' shared concepts, once for the region's needs
        has = side.concepts.take(t.order_cols, axis=1) > 0 if t is not None else None
        for x in self.region_blocks(region, local, side, as_of, top):
            if not len(x.need):
                continue
            order = np.lexsort((x.offer, -x.score, x.need))
            li, p, X, score, dep, col = (x.need[order], x.offer[order], x.X[order],
                                         x.score[order], x.depth[order], x.column[order])
            start = np.r_[0, np.flatnonzero(li[1:] != li[:-1]) + 1]
            rank_in = np.arange(len(li)) - np.repeat(start, np.diff(np.r_[start, len(li)]))
            keep = rank_in < top
            li, p, X, score, dep, col = (li[keep], p[keep], X[keep], score[keep], dep[keep],
                                         col[keep])
            gi = members[li]
            parts.append(TopPairs(gi, p, score,
                                  *rm.keys(gi, p, X, dep, side.concepts, t, col, has[li], li)))
        if not parts:
            return None
        return TopPairs(*(np.concatenate(x) for x in zip(*parts, strict=True)))

    def _results(self, needs: list[Need], as_of: dt.date, top: int, n_jobs: int | None,
                 sink) -> tuple[_Run, Iterable]:
        """Run every region task, in forked workers for large batches; ``sink(res, run)``
        turns a task's pairs into results (themselves here, JSON lines in the workers).
        Each task reads its needs' texts (the encoding, and what they already receive for
        the reasons: ``ReasonMaker.learn``), so no pass over every text precedes the fork."""
        run = _Run(self, needs, as_of, top, ReasonMaker(self.ix, needs, found={}), sink)
        tasks = self.region_tasks(needs)
        jobs = n_jobs if n_jobs is not None else (
            min(2, os.cpu_count() or 1) if len(needs) >= _PARALLEL_MIN else 1)
        if jobs > 1 and "fork" in mp.get_all_start_methods():
            return run, _forked(run, tasks, jobs)
        return run, (run.task(region, members) for region, members in tasks)

    def rank(self, needs: list[Need], as_of: dt.date, top: int,
             n_jobs: int | None = None) -> list[NeedRanking]:
        if top <= 0 or not needs:
            return [NeedRanking(n.id, []) for n in needs]
        self.ix.cache.trim()
        if len(needs) == 1:
            return [self.rank_one(needs[0], as_of, top)]
        with _collector_paused():
            out = [NeedRanking(n.id, []) for n in needs]
            run, results = self._results(needs, as_of, top, n_jobs, _identity)
            ids = self.ix.ids
            for got in results:
                if got is None:
                    continue
                res, found = got
                run.reasons.learn(found)     # a worker's findings, for the reasons made here
                for n_i, pos, sc, reasons in _pairs_with_reasons(res, run.reasons):
                    out[n_i].ranked.append(RankedOffer(ids[pos], sc, reasons))
        self.ix.cache.trim()
        return out

    def rank_lines(self, needs: list[Need], as_of: dt.date, top: int,
                   n_jobs: int | None = None) -> list[str]:
        """The same ranking as ``rank`` rendered as the spec's JSON lines (in input order).
        Large batches render in the workers, so no per-pair Python object crosses processes."""
        lines = [None] * len(needs)
        if top > 0 and needs:
            self.ix.cache.trim()
            _, results = self._results(needs, as_of, top, n_jobs, _render)
            for part in results:
                for n_i, line in part:
                    lines[n_i] = line
            self.ix.cache.trim()
        return [x if x is not None else
                f'{{"need_id": {json.dumps(n.id, ensure_ascii=False)}, "ranked": []}}\n'
                for x, n in zip(lines, needs, strict=True)]


@dataclass(frozen=True)
class _Run:
    """One ranking call: what each region task reads (forked workers inherit it)."""

    engine: _Engine
    needs: list[Need]
    as_of: dt.date
    top: int
    reasons: ReasonMaker
    sink: Callable          # (TopPairs | None, _Run) -> a task's results
    json: dict[str, str] = field(default_factory=dict)   # JSON-encoded strings, this call only

    def task(self, region: str, members: np.ndarray):
        return self.sink(self.engine.top_pairs(self.needs, members, region, self.as_of,
                                               self.top, self.reasons), self)

    def enc(self, s: str) -> str:
        hit = self.json.get(s)
        if hit is None:
            hit = self.json[s] = json.dumps(s, ensure_ascii=False)
        return hit


_NOTHING = object()     # cached: nothing covers the region that day
_NEG_INF = np.float32(-np.inf)
# features that read only the offer (its slot, its column in the region's tables): each
# region computes them once for every candidate (RegionTables.static); the rest per call
_STATIC = ("locality", "targeted", "provider", "government", "elsewhere")
_STATIC_COLS = tuple(FEATURES.index(name) for name in _STATIC)
_COMPUTE = tuple((j, f.compute) for j, f in enumerate(PAIR_FEATURES)    # in column order
                 if j not in _STATIC_COLS)


def _split(members: np.ndarray, tfidf: sp.csr_matrix) -> Iterator[Block]:
    """``members`` (a region's need rows) in blocks of ``_BLOCK``."""
    contiguous = len(members) and members[-1] - members[0] == len(members) - 1
    for s in range(0, len(members), _BLOCK):
        rows = members[s:s + _BLOCK]
        # a contiguous block slices the sparse matrix instead of fancy-indexing it
        if contiguous:
            span = slice(int(rows[0]), int(rows[-1]) + 1)
            whole = rows[0] == 0 and rows[-1] + 1 == tfidf.shape[0]
            yield Block(rows, tfidf if whole else tfidf[span], span)
        else:
            yield Block(rows, tfidf[rows])


def region_groups(needs: list[Need]) -> dict[str, list[int]]:
    """Need indices by region, regions sorted."""
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(needs):
        g = groups.get(n.region)
        if g is None:
            groups[n.region] = [i]
        else:
            g.append(i)
    return dict(sorted(groups.items()))


def best_columns(S: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``m`` highest finite values of ``S`` (rows x candidates; -inf: not
    admissible), ties to the lower column: (row, column) arrays, by row, then value.

    A threshold first: the m-th highest of every ``_SAMPLE``-th column is at most the row's
    m-th highest (the sample's m best are in the row), so only the columns at or above it
    (about m x _SAMPLE) are sorted. A partition of the whole row cost more than the rest of
    the cheap score, as many candidates tie (offers of one template, a need matching none of
    their words) and half are -inf; and its choice among ties was arbitrary, so one need
    alone could keep another tied offer than the batch did."""
    C = S.shape[1]
    sample = S[:, ::_SAMPLE]
    k = sample.shape[1] - m
    keep = S > -np.inf
    if k > 0:
        keep &= S >= np.partition(sample, k, axis=1)[:, k:k + 1]
    r, c = keep.nonzero()                        # by row, then column
    order = np.lexsort((-S[r, c], r))            # stable: ties stay by column
    r, c = r.take(order), c.take(order)
    if C <= m:
        return r, c
    first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    rank_in = np.arange(len(r)) - np.repeat(first, np.diff(np.r_[first, len(r)]))
    return r[rank_in < m], c[rank_in < m]


def best_one(S: np.ndarray, m: int, ok: np.ndarray | None = None) -> np.ndarray:
    """``best_columns`` of one row (the match page): its columns alone, in fewer calls.
    ``ok``: the admissible columns of a row whose other columns are not -inf yet (the same
    columns as ``best_one(np.where(ok, S, -inf), m)``): only the sample is masked, a quarter
    of the row, and the kept columns read ``ok`` (the match page's call)."""
    sample = S[::_SAMPLE]
    if ok is not None:              # a copy, as the partition below needs
        sample = np.where(ok[::_SAMPLE], sample, _NEG_INF)
    k = len(sample) - m
    threshold = -np.inf
    if k > 0:        # np.partition's copy and partition without its Python layers
        if ok is None:
            sample = sample.copy()
        sample.partition(k)
        threshold = sample[k]
    keep = (S >= threshold) if threshold > -np.inf else (S > -np.inf)
    if ok is not None:
        keep &= ok
    c = keep.nonzero()[0]
    return c.take((-S.take(c)).argsort(kind="stable")[:m])


def _row_dot(f: np.ndarray, v: np.ndarray, t: RegionTables, n: int) -> np.ndarray:
    """Dense ``v @ M`` for one sparse row (features ``f``, values ``v``) and M = the region's
    ``tfidf_t`` (features x candidates, CSR): only the rows of M the need has are read."""
    m_t = t.tfidf_t
    # (take: the same gathers as fancy indexing by a shorter path)
    start, lens = t.tf_start.take(f), t.tf_lens.take(f)
    # (the ufunc's accumulate and the array's repeat: np.cumsum / np.repeat add a Python call,
    # and ndarray.cumsum costs twice the ufunc's own)
    ends = np.add.accumulate(lens)
    pos = (start - ends + lens).repeat(lens) + np.arange(int(ends[-1]) if len(ends) else 0)
    return np.bincount(m_t.indices.take(pos), weights=v.repeat(lens) * m_t.data.take(pos),
                       minlength=n).astype(np.float32)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch's results are built. They are
    millions of small acyclic objects (a RankedOffer and its reason list per pair), and the
    collector's passes over the growing heap took about a third of the parent process's time
    in a 100,000-need run. The pause is process-wide: another thread allocating meanwhile
    defers its own collections until the batch is done (nothing is freed late but cycles).

    On the way out the objects made meanwhile go straight to the oldest generation (freeze,
    then unfreeze): left in the youngest, the first collection after the pause walked all of
    them, 0.43 s of a 100,000-need run on one core, where a running collector would have
    promoted them there anyway."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():   # a caller's own frozen heap stays frozen
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _identity(res: TopPairs | None, run: _Run) -> tuple[TopPairs, dict] | None:
    """A task's pairs and what its needs already receive (the reasons read it: a forked
    worker learnt it, the parent has not)."""
    return None if res is None else (res, run.reasons.found_among(res.need))


def _pairs_with_reasons(res: TopPairs, rm: ReasonMaker):
    """(need index, offer slot, score, reasons) per selected pair, best first per need."""
    return _with_reasons(rm, *(x.tolist() for x in res))


def _with_reasons(rm: ReasonMaker, need: list[int], offer: list[int], score: list[float],
                  *keys: list[int]):
    """``_pairs_with_reasons`` of ``TopPairs`` fields as lists."""
    prof, con, cov = rm.profile, rm.content, rm.coverage
    # the reason makers' caches read directly, their methods called only on a miss: three
    # method calls per pair were a tenth of a city-wide run's Python work
    prof_hit, con_hit, cov_hit = rm.cached
    for n_i, pos, sc, kp, kc, kv, a in zip(need, offer, score, *keys, strict=True):
        reasons = (prof_hit.get(kp) or prof(kp, n_i, pos))[:]
        if kc >= 0:
            reasons.append(con_hit.get(kc) or con(kc))
        elif kc == -2:
            reasons.append(rm.TEXT_NEAR)
        reasons.append(cov_hit.get(kv) or cov(kv))
        if a:
            reasons += rm.extras(a, n_i, pos)
        yield n_i, pos, sc, reasons


def _render(res: TopPairs | None, run: _Run) -> list[tuple[int, str]]:
    """JSON lines (``NeedRanking.to_json`` format) for the needs of one task. Reason parts
    are cached as JSON fragments under the same integer keys the reason maker uses."""
    if res is None:
        return []
    rm, needs = run.reasons, run.needs
    ids = rm.index.ids
    enc = run.enc
    fp, fc, fv = rm.json_frags
    scores = np.round(res.score.astype(np.float64), 4).tolist()
    by_need: dict[int, list[str]] = {}
    for n_i, p, s, a, b, c, m in zip(
            res.need.tolist(), res.offer.tolist(), scores, res.profile.tolist(),
            res.content.tolist(), res.coverage.tolist(), res.extra.tolist(), strict=True):
        x = fp.get(a)
        if x is None:
            x = fp[a] = "".join(enc(r) + ", " for r in rm.profile(a, n_i, p))
        y = fc.get(b)
        if y is None:
            con = rm.content(b)
            y = fc[b] = enc(con) + ", " if con else ""
        z = fv.get(c)
        if z is None:
            z = fv[c] = enc(rm.coverage(c))
        if m:
            z = z + "".join(", " + enc(r) for r in rm.extras(m, n_i, p))
        item = f'{{"offer_id": {enc(ids[p])}, "score": {s!r}, "reasons": [{x}{y}{z}]}}'
        lst = by_need.get(n_i)
        if lst is None:
            by_need[n_i] = [item]
        else:
            lst.append(item)
    return [(n_i, f'{{"need_id": {enc(needs[n_i].id)}, "ranked": [{", ".join(items)}]}}\n')
            for n_i, items in by_need.items()]


_FORK_STATE: tuple[_Run, list[tuple[str, np.ndarray]]] | None = None


def _worker_init() -> None:
    try:   # one BLAS thread per worker: the workers already use every core
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        pass


def _forked_task(i: int):
    run, tasks = _FORK_STATE
    return run.task(*tasks[i])


def _forked(run: _Run, tasks: list[tuple[str, np.ndarray]], jobs: int):
    """Score regions in forked worker processes (they inherit the index copy-on-write) and
    yield their compact results as they arrive; the parent only builds the result objects."""
    global _FORK_STATE
    _FORK_STATE = (run, tasks)
    order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i][1]))
    try:
        with mp.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
            yield from pool.imap_unordered(_forked_task, order, chunksize=1)
    finally:
        _FORK_STATE = None


class RegionTables:
    """A region's candidate offers on one day and lookup tables over them, so that rule masks
    and the need-independent parts of the pre-selection score are row gathers, not per-pair
    arithmetic. Built once per (region, day, weights, index version) and kept in
    ``index.cache.regions``.

    The pre-selection score of a pair is
    ``w.text * text + need concepts . concepts_t + table[table_row(category, urgency)]``,
    i.e. the text, concept, named, category, urgency, locality, targeted, provider,
    government and category_fit terms of ``X @ w`` (features.py states each feature; keep the
    two in step)."""

    def __init__(self, ix: OfferIndex, cand: np.ndarray, depth: np.ndarray,
                 w: np.ndarray, cscale: np.ndarray, cfit: np.ndarray | None = None,
                 region: str = "") -> None:
        self.ix, self.cand, self.depth = ix, cand, depth
        self.tfidf_t = ix.tfidf[cand].T.tocsr()                          # features x C
        self.tf_start = self.tfidf_t.indptr[:-1]          # each feature's row: start, length
        self.tf_lens = np.diff(self.tfidf_t.indptr)
        # Only the concepts some candidate fires can score or be shared: every concept
        # product and feature works on these columns (a few dozen of the taxonomy's hundreds).
        concepts = ix.concepts[cand]
        # != 0 then any: the same columns as concepts.any(axis=0), which casts every float
        self.active = np.flatnonzero((concepts != 0).any(axis=0))
        self.concepts = np.ascontiguousarray(concepts[:, self.active])     # C x active
        # of the titles alone (feature ``named``): a second product with the need's concepts,
        # so one matrix of both serves the pre-selection
        self.title_concepts = np.ascontiguousarray(ix.title_concepts[cand][:, self.active])
        # each concept's factor on the concept feature (the model's ``concept_scale``)
        self.cscale = np.ascontiguousarray(cscale[self.active])
        # kept in float32, which holds each entry exactly (every operand above is float32),
        # and multiplied in float64 (``float64_rows``), each product rounded to float32 after:
        # BLAS sums a column by a path that depends on its position (the first few columns
        # one way, the rest another), so two identical programmes could differ in the last
        # bit and the pre-selection keep the later posted; products of float32 are exact in
        # float64 and the sums agree far below float32's last bit. (Stored in float64, one
        # need's few rows of it were a sixth of its cache misses.)
        self.concepts_t = np.ascontiguousarray(
            self.concepts.T * (w[COL.concept] * self.cscale)[:, None]
            + self.title_concepts.T * w[COL.named])
        self.specificity = ix.specificity[self.active]
        # per candidate, each active concept's specificity where it fires it (feature
        # ``specific``: the need's concepts pick their columns)
        self.fires_specific = (self.concepts > 0) * self.specificity
        # the illness concepts among the active columns (feature ``illness``), as indices
        self.ill_cols = np.flatnonzero(ix.illness[self.active])
        # 重大疾病 among the active columns (feature ``minor``), -1 when no candidate names it
        self.serious = self._active_col(ix.serious_col)
        # per candidate: its title names it (重特大疾病医疗救助; feature ``minor``)
        self.serious_title = (self.title_concepts[:, self.serious] > 0) if self.serious >= 0 \
            else None
        # per candidate: its narrowest illnesses among those columns when it is a fund for
        # named illnesses (``illness_fund``; none for another programme), and whether it is a
        # fund for any; per illness of the index (``illness_cols``): the columns at or below
        # it (float32, for a product)
        fund = illness_fund(ix, cand)
        pos = np.searchsorted(ix.illness_cols, self.active[self.ill_cols])
        implied = ix.illness_implied.matrix
        # an offer is for its narrowest illnesses and those its title names: a leukaemia
        # fund whose text says 化疗 (癌症肿瘤) is for leukaemia; a 癌症 screening whose text
        # lists 肺癌 is for every cancer
        named = narrowest_of(self.concepts[:, self.ill_cols] > 0, implied[np.ix_(pos, pos)])
        self.ill_offer = (named | ix.title_ill[np.ix_(cand, pos)]) & fund[:, None]
        self.ill_any = self.ill_offer.any(axis=1)
        # … and whether its title names them (feature ``healthy``)
        self.ill_titled = title_names_illness(ix, cand) & fund
        self.ill_down = np.ascontiguousarray(implied[pos].T)    # (broader, narrower)
        self.ill_down[pos, np.arange(len(pos))] = 1.0
        self.stage_aid = stage_aid(ix, cand)     # per candidate: student aid (``stage``)
        self.sides = offer_sides(ix, cand)       # the warnings' offer side (features.py)
        # per candidate: the illnesses its title names when the title is a screening or a
        # cover to buy (两癌筛查, 防癌险), among the illness columns (feature ``prevention``)
        self.prevents = ix.title_ill[np.ix_(cand, pos)] & (
            self.sides.preventive & ix.title_preventive[cand])[:, None]
        if not self.prevents.any():
            self.prevents = None
        # the warning signs of cancer and the wish to be screened (癌症筛查) among the active
        # columns, -1 when no candidate names it
        self.screening = self._active_col(ix.screening_col)
        # 体检筛查 among the active columns (-1: none), and per candidate whether its title is
        # a check-up or a screening (feature ``prevention``)
        self.check_up = self._active_col(ix.check_up_col)
        self.screening_title = ((ix.title_concepts[cand, ix.check_up_col] > 0)
                                | ix.title_screening[cand])
        # per candidate: the statuses, kinds, accidents, insured things and answered troubles
        # its title names (int64 bits per feature)
        self.status_of = status_tables(ix, cand)
        self.records = candidate_records(self)   # one need's pairs gather theirs (features.py)
        # the active concepts in reason order (most specific first): their positions in
        # ``concept_order``, their columns, and where each sits among ``active``
        by_order = np.argsort(ix.concept_position[self.active], kind="stable")
        self.order_active = ix.concept_position[self.active][by_order]
        self.order_active_list = self.order_active.tolist()      # for ReasonMaker.keys_few
        # per position in ``concept_order``: the concept's column among ``active``, -1 when
        # no candidate fires it (ReasonMaker._child_few)
        at = np.full(len(ix.concept_position), -1, np.int64)
        at[ix.concept_position[self.active]] = np.arange(len(self.active))
        self.active_at = at.tolist()
        self.order_cols = self.active[by_order]
        self.order_in_active = by_order
        # C x active (bool), columns in reason order: rows of the transposed table gathered
        # and transposed back (a column take copies element by element)
        self.fires_in_order = np.ascontiguousarray((self.concepts.T[by_order] > 0).T)
        self.cataff = ix.cat_affinity[:, cand]                           # (11, C)
        # the model's learned table (feature ``category_fit``), (11, C); None: it has none
        self.catfit = None if cfit is None else (
            cfit @ offer_category_shares(ix.catmask[cand]).T).astype(np.float32)
        self.local = np.clip((depth - 1) / 2.0, 0, 1).astype(np.float32)
        # per candidate: its text confines it to towns or counties the region's are not among
        # (feature ``elsewhere``)
        places = ix.places
        self.elsewhere = np.zeros(len(cand), np.float32)
        if places:      # the few such offers found among the candidates (sorted slots)
            slots = np.fromiter(places, np.int64, len(places))
            at = np.minimum(np.searchsorted(cand, slots), len(cand) - 1)
            for slot, j in zip(slots.tolist(), at.tolist(), strict=True):
                if cand[j] == slot and outside(places[slot], region, int(depth[j])):
                    self.elsewhere[j] = 1.0
        # the features that read the offer alone (``_STATIC``), by their own ``compute`` over
        # every candidate, in their columns of a (candidates x FEATURES) table: a block's or a
        # need's pairs start from their rows (``_Engine._features``), and the pre-selection's
        # table adds their weighted sum
        every = Pairs(index=ix, region=self, column=np.arange(len(cand)), offer=cand,
                      offer_concepts=None, text=None, category=None, urgency=None,
                      amount=None, bill=None, concepts=None, title_concepts=None, flags=None)
        self.static = np.zeros((len(cand), len(FEATURES)), np.float32)
        for j in _STATIC_COLS:
            self.static[:, j] = PAIR_FEATURES[j].compute(every)
        static = sum(w[j] * self.static[:, j] for j in _STATIC_COLS)
        urg = np.array([0.0, 0.5, 1.0], np.float32)
        fast = ix.fast[cand]
        # table[cat * 3 + urgency - 1] = w_cat * affinity + w_urg * u * fast + static
        # (+ w_category_fit * the learned table)
        table = (w[COL.category] * self.cataff[:, None, :]
                 + w[COL.urgency] * urg[None, :, None] * fast + static)
        if self.catfit is not None:
            table = table + w[COL.category_fit] * self.catfit[:, None, :]
        self.table = table.reshape(-1, len(cand)).astype(np.float32)
        self.gbits = ix.gbits[cand]
        self.key_parts = offer_key_parts(ix, cand)      # for ReasonMaker.keys_few
        amin, amax = ix.amin[cand], ix.amax[cand]
        ages = np.arange(151, dtype=np.float32)[:, None]
        self._age = np.vstack([(ages >= amin) & (ages <= amax), np.ones((1, len(cand)), bool)])
        ceil = ix.ceiling[cand]
        self._ceil_vals = np.unique(ceil[np.isfinite(ceil)])
        # row k: incomes in (vals[k-1], vals[k]]; last row: above every ceiling; extra: unknown
        lim = np.r_[self._ceil_vals, np.inf]
        self._inc = np.vstack([ceil >= v for v in lim] + [np.ones(len(cand), bool)])
        self._group_rows: dict[int, np.ndarray] = {}    # at most one per set of groups

    def float64_rows(self, rows: np.ndarray | None = None) -> np.ndarray:
        """``concepts_t`` (its ``rows``: one need's concepts) in float64 for the pre-selection's
        product (see ``__init__``): the float32 rows gathered, then widened, which reads half
        the memory of a float64 table."""
        m = self.concepts_t if rows is None else self.concepts_t.take(rows, axis=0)
        return m.astype(np.float64)

    def _active_col(self, col: int) -> int:
        """Where concept column ``col`` sits among ``active``, -1 when no candidate fires it."""
        hit = np.flatnonzero(self.active == col)
        return int(hit[0]) if len(hit) else -1

    @staticmethod
    def table_row(category: np.ndarray, urgency: np.ndarray) -> np.ndarray:
        """Row of ``table`` for each need (category index, urgency 1..3)."""
        return category * 3 + np.clip(urgency.astype(np.int64) - 1, 0, 2)

    def group_ok(self, bits: np.ndarray) -> np.ndarray:
        u, inv = np.unique(bits, return_inverse=True)
        tab = (self.gbits == 0) | ((u[:, None] & self.gbits) != 0)
        return tab[inv]

    def age_ok(self, age: np.ndarray) -> np.ndarray:
        key = np.where(np.isnan(age), -1, age).astype(np.int64)
        return self._age[np.where((key < 0) | (key > 150), 151, key)]

    def one_ok(self, bits: int, age: float | None, income: float | None) -> np.ndarray:
        """The rule mask of one need over the candidates (a fresh array)."""
        g = self._group_rows.get(bits)
        if g is None:
            g = self._group_rows[bits] = (self.gbits == 0) | ((bits & self.gbits) != 0)
        a = -1 if age is None else int(np.float32(age))      # as ``age_ok`` keys it
        ok = g & self._age[a if 0 <= a <= 150 else 151]
        if income is not None:
            ok &= self._inc[int(self._ceil_vals.searchsorted(np.float32(income)))]
        return ok

    def income_ok(self, income: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self._ceil_vals, income, side="left")
        k = np.where(np.isnan(income), len(self._inc) - 1, k)
        return self._inc[k]
