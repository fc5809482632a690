"""rank(): the one ranking path every caller uses (CLI, match page, nightly re-matching,
allocation, evaluation and training)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import multiprocessing as mp
import os
from collections.abc import Iterable, Mapping

import numpy as np

from .features import FEATURES, amount_fit
from .index import OfferIndex
from .reasons import ReasonMaker
from .schema import Need, NeedRanking, Offer, RankedOffer
from .scorer import MatchScorer

_BLOCK = 512        # needs per block (memory: block x candidates float32 arrays)
_PARALLEL_MIN = 20000  # needs; below this one process is faster than forking
_EXTRA = 4          # candidates re-scored beyond top (the amount feature is not in the cheap score)


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


def pair_features(needs: list[Need], index: OfferIndex, *, as_of: dt.date):
    """Features of every admissible (need, offer) pair, for training and inspection.

    Returns ``(need_idx, offer_ids, X)`` with X of shape (n_pairs, len(FEATURES)).
    """
    engine = _Engine(index, MatchScorer.default())
    ni, pos, X = [], [], []
    for rows, sel_r, sel_p, x, _, _ in engine.blocks(needs, as_of, top=None):
        ni.append(rows[sel_r])
        pos.append(sel_p)
        X.append(x)
    if not X:
        return np.zeros(0, int), [], np.zeros((0, len(FEATURES)), np.float32)
    pos_all = np.concatenate(pos)
    return np.concatenate(ni), [index.offers[p].id for p in pos_all], np.vstack(X)


class _Engine:
    """Scores needs against an index. Work is split by region (the coverage, validity and
    capacity masks are shared by every need of a region); each region's needs are scored in
    blocks of dense (block x candidates) arrays, never a Python loop over pairs."""

    def __init__(self, index: OfferIndex, scorer: MatchScorer) -> None:
        self.ix = index
        self.w = scorer.coef_.astype(np.float32)
        self.b = np.float32(scorer.intercept_)
        self._spec = index.specificity
        self._f_exist, self._f_prev = index.flag("_existing"), index.flag("_preventive")

    @staticmethod
    def region_tasks(needs: list[Need]) -> list[tuple[str, np.ndarray]]:
        return [(r, np.asarray(m, np.int64)) for r, m in region_groups(needs).items()]

    def blocks(self, needs: list[Need], as_of: dt.date, top: int | None):
        """Yield per block: need rows, selected (row, offer slot) pairs, features, scores, depth."""
        if not needs:
            return
        na, ntf, ncon = self.ix.need_arrays(needs)
        self._ncon = ncon
        for region, members in self.region_tasks(needs):
            yield from self.region_blocks(region, members, na, ntf, ncon, as_of, top)

    def tables(self, region: str, day: int):
        """Candidate slots, their covering depth and the region's cached lookup tables
        (None when nothing covers the region on ``day``)."""
        ix = self.ix
        cand, depth = ix.candidates(region, day)
        if not len(cand):
            return None
        key = (region, day, self.w.tobytes())
        hit = ix._region_cache.get(key)
        if hit is None:
            hit = (_RegionTables(ix, cand, depth, ix.cat_affinity, self.w),
                   ix.tfidf[cand].T.tocsr(),          # features x candidates
                   np.ascontiguousarray(ix.concepts[cand].T) * self.w[1])
            if len(ix._region_cache) > 512:
                ix._region_cache.clear()
            ix._region_cache[key] = hit
        return cand, depth, hit

    def region_blocks(self, region, members, na, ntf, ncon, as_of, top):
        got = self.tables(region, as_of.toordinal())
        if got is None:
            return
        cand, depth, (t, otf_t, ocon_t) = got
        ukey = na.cat * 3 + np.clip(na.urgency.astype(np.int64) - 1, 0, 2)
        age_key = np.where(np.isnan(na.age), -1, na.age).astype(np.int64)
        contiguous = len(members) and members[-1] - members[0] == len(members) - 1
        for s in range(0, len(members), _BLOCK):
            rows = members[s:s + _BLOCK]
            # a contiguous block slices the sparse matrix instead of fancy-indexing it
            if contiguous:
                whole = rows[0] == 0 and rows[-1] + 1 == ntf.shape[0]
                ntf_rows = ntf if whole else ntf[rows[0]:rows[-1] + 1]
            else:
                ntf_rows = ntf[rows]
            yield self._block(rows, cand, depth, na, ntf_rows, ncon, otf_t, ocon_t, t, top,
                              ukey[rows], age_key[rows])

    def _block(self, rows, cand, depth, na, ntf_rows, ncon, otf_t, ocon_t, t, top, ukey,
               age_key):
        w = self.w
        ok = t.group_ok(na.bits[rows])
        ok &= t.age_ok(age_key)
        ok &= t.income_ok(na.income[rows])
        T = (ntf_rows @ otf_t).toarray()
        S = T * w[0]
        S += ncon[rows] @ ocon_t
        S += t.table[ukey]
        np.putmask(S, ~ok, -np.inf)
        C = len(cand)
        if top is None or top + _EXTRA >= C:
            r, c = np.nonzero(ok)
        else:
            m = top + _EXTRA
            idx = np.argpartition(S, C - m, axis=1)[:, C - m:]
            keep = np.isfinite(np.take_along_axis(S, idx, axis=1))
            r, j = np.nonzero(keep)
            c = idx[r, j]
        nr = rows[r]
        p = cand[c]
        X, score = self._features(t, c, p, T[r, c], na.cat[nr], na.urgency[nr], na.amount[nr],
                                  ncon[nr], na.title_con[nr], na.flags[nr, self._f_exist])
        return rows, r, p, X, score, depth[c]

    def _features(self, t, c, p, text, cat, urgency, amount, con, title_con, existing):
        """Features and scores of the selected pairs (candidate columns ``c``, offer slots
        ``p``); the need-side arguments are per pair or one need's values, broadcast."""
        ix = self.ix
        X = np.empty((len(p), len(FEATURES)), np.float32)
        ob = ix.concepts[p]
        X[:, 0] = text
        X[:, 1] = np.einsum("ij,ij->i", con, ob)
        X[:, 2] = t.cataff[cat, c]
        X[:, 3] = ((urgency - 1.0) / 2.0) * ix.fast[p]
        X[:, 4] = t.local[c]
        X[:, 5] = amount_fit(amount, ix.amount[p])
        X[:, 6] = ix.targeted[p]
        X[:, 7] = ix.prov[p]
        X[:, 8] = np.einsum("ij,ij->i", title_con, ob)
        X[:, 9] = (((con > 0) & (ob > 0)) * self._spec).max(axis=1, initial=0.0)
        X[:, 10] = existing & ix.flags[p, self._f_prev]
        z = X @ self.w + self.b
        return X, 1.0 / (1.0 + np.exp(-z))

    def rank_one(self, need: Need, as_of: dt.date, top: int) -> NeedRanking:
        """One need (the match page, a referral's alternatives): the same rules, features
        and reasons as a batch, with the cheap score computed from the need's own n-grams
        and concepts instead of sparse matrix products (per-call overhead dominates here)."""
        out = NeedRanking(need.id, [])
        got = self.tables(need.region, as_of.toordinal())
        if got is None:            # rank() has already answered top <= 0
            return out
        cand, depth, (t, otf_t, ocon_t) = got
        na, f, v, ncon = self.ix.need_vectors(need)
        con = ncon[0]
        ok = t.one_ok(int(na.bits[0]), need.beneficiary_age, need.income_per_capita)
        T = _row_dot(f, v, otf_t, len(cand))
        nz = np.flatnonzero(con)
        S = T * self.w[0]
        S += con[nz] @ ocon_t[nz]
        S += t.table[int(na.cat[0]) * 3 + min(max(int(na.urgency[0]) - 1, 0), 2)]
        S[~ok] = -np.inf
        C, m = len(cand), top + _EXTRA
        c = np.argpartition(S, C - m)[C - m:] if m < C else np.arange(C)
        c = c[np.isfinite(S[c])]
        if not len(c):
            return out
        p = cand[c]
        X, score = self._features(t, c, p, T[c], na.cat[0], na.urgency[0], na.amount[0],
                                  ncon, na.title_con, na.flags[0, self._f_exist])
        best = np.lexsort((p, -score))[:top]
        c, p, X, score = c[best], p[best], X[best], score[best]
        rm = ReasonMaker(self.ix, [need])
        ni = np.zeros(len(p), np.int64)
        res = (ni, p, score, *rm.keys(ni, p, X, depth[c], ncon[ni]))
        ids = self.ix.ids
        out.ranked = [RankedOffer(ids[pos], sc, reasons)
                      for _, pos, sc, reasons in _pairs_with_reasons(res, rm)]
        return out

    def top_pairs(self, needs: list[Need], members: np.ndarray, region: str,
                  as_of: dt.date, top: int, rm: ReasonMaker):
        """Best ``top`` admissible offers of the needs ``members`` (all in ``region``) as flat
        arrays: need index, offer slot, score and the reason cache keys."""
        sub = [needs[i] for i in members]
        na, ntf, ncon = self.ix.need_arrays(sub)
        parts = []
        local = np.arange(len(sub))
        for rows, r, p, X, score, dep in self.region_blocks(region, local, na, ntf, ncon,
                                                            as_of, top):
            if not len(r):
                continue
            order = np.lexsort((p, -score, r))
            r, p, X, score, dep = r[order], p[order], X[order], score[order], dep[order]
            start = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
            rank_in = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
            keep = rank_in < top
            r, p, X, score, dep = r[keep], p[keep], X[keep], score[keep], dep[keep]
            li = rows[r]
            gi = members[li]
            keys = rm.keys(gi, p, X, dep, ncon[li])
            parts.append((gi, p, score, *keys))
        if not parts:
            return None
        return tuple(np.concatenate(x) for x in zip(*parts, strict=True))

    def _results(self, needs, as_of, top, n_jobs, sink):
        """Run every region task, in forked workers for large batches; ``sink(res)`` turns a
        task's arrays into results (objects here, JSON lines in the workers)."""
        rm = ReasonMaker(self.ix, needs)
        tasks = self.region_tasks(needs)
        jobs = n_jobs if n_jobs is not None else (
            min(2, os.cpu_count() or 1) if len(needs) >= _PARALLEL_MIN else 1)
        if jobs > 1 and "fork" in mp.get_all_start_methods():
            return rm, _forked(self, needs, tasks, as_of, top, rm, jobs, sink)
        return rm, (sink(self.top_pairs(needs, m, reg, as_of, top, rm), rm, needs)
                    for reg, m in tasks)

    def rank(self, needs: list[Need], as_of: dt.date, top: int,
             n_jobs: int | None = None) -> list[NeedRanking]:
        out = [NeedRanking(n.id, []) for n in needs]
        if top <= 0 or not needs:
            return out
        if len(needs) == 1:
            return [self.rank_one(needs[0], as_of, top)]
        rm, results = self._results(needs, as_of, top, n_jobs, _identity)
        ids = self.ix.ids
        for res in results:
            if res is None:
                continue
            for n_i, pos, sc, reasons in _pairs_with_reasons(res, rm):
                out[n_i].ranked.append(RankedOffer(ids[pos], sc, reasons))
        return out

    def rank_lines(self, needs: list[Need], as_of: dt.date, top: int,
                   n_jobs: int | None = None) -> list[str]:
        """The same ranking as ``rank`` rendered as the spec's JSON lines (in input order).
        Large batches render in the workers, so no per-pair Python object crosses processes."""
        lines = [None] * len(needs)
        if top > 0 and needs:
            _, results = self._results(needs, as_of, top, n_jobs, _render)
            for part in results:
                for n_i, line in part:
                    lines[n_i] = line
        enc = _json_str
        return [x if x is not None else f'{{"need_id": {enc(n.id)}, "ranked": []}}\n'
                for x, n in zip(lines, needs, strict=True)]


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


def _row_dot(f: np.ndarray, v: np.ndarray, m_t, n: int) -> np.ndarray:
    """Dense ``v @ M`` for one sparse row (features ``f``, values ``v``) and ``m_t`` = M in
    CSR (features x columns): only the rows of M the need has are read."""
    start, stop = m_t.indptr[f], m_t.indptr[f + 1]
    lens = stop - start
    pos = np.repeat(start - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
    return np.bincount(m_t.indices[pos], weights=np.repeat(v, lens) * m_t.data[pos],
                       minlength=n).astype(np.float32)


def _identity(res, rm, needs):
    return res


def _pairs_with_reasons(res, rm):
    """(need index, offer slot, score, reasons) per selected pair, best first per need."""
    prof, con, cov, amount = rm.profile, rm.content, rm.coverage, rm.amount
    for n_i, pos, sc, kp, kc, kv, a in zip(*(x.tolist() for x in res), strict=True):
        reasons = prof(kp, n_i, pos)[:]
        c = con(kc)
        if c:
            reasons.append(c)
        reasons.append(cov(kv))
        if a:
            if a & 1:
                reasons.append(amount(n_i, pos))
            if a & 2:
                reasons.append(rm.PREVENTIVE)
        yield n_i, pos, sc, reasons


_ENC: dict[str, str] = {}


def _json_str(s: str) -> str:
    hit = _ENC.get(s)
    if hit is None:
        hit = _ENC[s] = json.dumps(s, ensure_ascii=False)
    return hit


def _render(res, rm, needs) -> list[tuple[int, str]]:
    """JSON lines (``NeedRanking.to_json`` format) for the needs of one task. Reason parts
    are cached as JSON fragments under the same integer keys the reason maker uses."""
    if res is None:
        return []
    ids = rm.index.ids
    enc = _json_str
    fp, fc, fv = rm.json_frags
    ni, pos, sc, kp, kc, kv, amt = res
    scores = np.round(sc.astype(np.float64), 4).tolist()
    by_need: dict[int, list[str]] = {}
    for n_i, p, s, a, b, c, m in zip(ni.tolist(), pos.tolist(), scores, kp.tolist(),
                                     kc.tolist(), kv.tolist(), amt.tolist(), strict=True):
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
            if m & 1:
                z = z + ", " + enc(rm.amount(n_i, p))
            if m & 2:
                z = z + ", " + enc(rm.PREVENTIVE)
        item = f'{{"offer_id": {enc(ids[p])}, "score": {s!r}, "reasons": [{x}{y}{z}]}}'
        lst = by_need.get(n_i)
        if lst is None:
            by_need[n_i] = [item]
        else:
            lst.append(item)
    return [(n_i, f'{{"need_id": {enc(needs[n_i].id)}, "ranked": [{", ".join(items)}]}}\n')
            for n_i, items in by_need.items()]


_FORK_STATE: tuple | None = None


def _worker_init() -> None:
    try:   # one BLAS thread per worker: the workers already use every core
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl ships with scikit-learn
        pass


def _forked_task(i: int):
    engine, needs, tasks, as_of, top, rm, sink = _FORK_STATE
    region, members = tasks[i]
    return sink(engine.top_pairs(needs, members, region, as_of, top, rm), rm, needs)


def _forked(engine, needs, tasks, as_of, top, rm, jobs, sink):
    """Score regions in forked worker processes (they inherit the index copy-on-write) and
    yield their compact results as they arrive; the parent only builds the result objects."""
    global _FORK_STATE
    _FORK_STATE = (engine, needs, tasks, as_of, top, rm, sink)
    order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i][1]))
    try:
        with mp.get_context("fork").Pool(jobs, initializer=_worker_init) as pool:
            yield from pool.imap_unordered(_forked_task, order, chunksize=1)
    finally:
        _FORK_STATE = None


class _RegionTables:
    """Per-region lookup tables over the candidate offers, so that rule masks and the
    need-independent parts of the score are row gathers, not per-pair arithmetic."""

    def __init__(self, ix: OfferIndex, cand: np.ndarray, depth: np.ndarray,
                 cataff: np.ndarray, w: np.ndarray) -> None:
        self.ix, self.cand = ix, cand
        self.cataff = cataff[:, cand]                                    # (11, C)
        self.local = np.clip((depth - 1) / 2.0, 0, 1).astype(np.float32)
        static = w[4] * self.local + w[6] * ix.targeted[cand] + w[7] * ix.prov[cand]
        urg = np.array([0.0, 0.5, 1.0], np.float32)
        fast = ix.fast[cand]
        # table[cat * 3 + urgency - 1] = w_cat * affinity + w_urg * u * fast + static
        self.table = (w[2] * self.cataff[:, None, :] + w[3] * urg[None, :, None] * fast
                      + static).reshape(-1, len(cand)).astype(np.float32)
        self.gbits = ix.gbits[cand]
        amin, amax = ix.amin[cand], ix.amax[cand]
        ages = np.arange(151, dtype=np.float32)[:, None]
        self._age = np.vstack([(ages >= amin) & (ages <= amax), np.ones((1, len(cand)), bool)])
        ceil = ix.ceiling[cand]
        self._ceil_vals = np.unique(ceil[np.isfinite(ceil)])
        # row k: incomes in (vals[k-1], vals[k]]; last row: above every ceiling; extra: unknown
        lim = np.r_[self._ceil_vals, np.inf]
        self._inc = np.vstack([ceil >= v for v in lim] + [np.ones(len(cand), bool)])
        self._group_rows: dict[int, np.ndarray] = {}

    def group_ok(self, bits: np.ndarray) -> np.ndarray:
        u, inv = np.unique(bits, return_inverse=True)
        tab = (self.gbits == 0) | ((u[:, None] & self.gbits) != 0)
        return tab[inv]

    def age_ok(self, age_key: np.ndarray) -> np.ndarray:
        return self._age[np.where((age_key < 0) | (age_key > 150), 151, age_key)]

    def one_ok(self, bits: int, age: float | None, income: float | None) -> np.ndarray:
        """The rule mask of one need over the candidates (a fresh array)."""
        g = self._group_rows.get(bits)
        if g is None:
            g = self._group_rows[bits] = (self.gbits == 0) | ((bits & self.gbits) != 0)
        a = -1 if age is None else int(np.float32(age))      # as ``age_ok`` keys it
        ok = g & self._age[a if 0 <= a <= 150 else 151]
        if income is not None:
            ok &= self._inc[int(np.searchsorted(self._ceil_vals, np.float32(income)))]
        return ok

    def income_ok(self, income: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self._ceil_vals, income, side="left")
        k = np.where(np.isnan(income), len(self._inc) - 1, k)
        return self._inc[k]
