"""rank(): the one ranking path every caller uses (CLI, match page, nightly re-matching,
allocation, evaluation and training)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import numpy as np

from .features import FEATURES, amount_fit
from .index import OfferIndex
from .reasons import ReasonMaker
from .schema import Need, NeedRanking, Offer, RankedOffer
from .scorer import MatchScorer

_BLOCK = 768        # needs per block (memory: block x candidates float32 arrays)
_EXTRA = 8          # candidates re-scored beyond top (the amount feature is not in the cheap score)


def rank(needs: Iterable[Need], offers: Iterable[Offer] | OfferIndex, *,
         as_of: dt.date | None = None, top: int = 10, scorer: MatchScorer | None = None,
         provider_stats: Mapping[str, tuple[int, int, int]] | None = None,
         ) -> list[NeedRanking]:
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
    if isinstance(offers, OfferIndex):
        index = offers
        if provider_stats is not None:
            index.set_provider_stats(provider_stats)
    else:
        index = OfferIndex(offers, provider_stats=provider_stats)
    engine = _Engine(index, scorer or MatchScorer.default())
    return engine.rank(needs, as_of or dt.date.today(), top)


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
    def __init__(self, index: OfferIndex, scorer: MatchScorer) -> None:
        self.ix = index
        self.w = scorer.coef_.astype(np.float32)
        self.b = np.float32(scorer.intercept_)

    def blocks(self, needs: list[Need], as_of: dt.date, top: int | None):
        """Yield per block: need rows, selected (row, offer slot) pairs, features, scores, depth."""
        ix = self.ix
        day = as_of.toordinal()
        na, ntf, ncon = ix.need_arrays(needs)
        self._ncon = ncon
        regions = np.array([n.region for n in needs], dtype=object)
        if not len(needs):
            return
        uniq, inv = np.unique(regions, return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(len(uniq) + 1))
        tf_all = ix.tfidf
        cataff = ix.cat_affinity
        for g, region in enumerate(uniq):
            members = order[bounds[g]:bounds[g + 1]]
            cand, depth = ix.candidates(region, day)
            if not len(cand):
                continue
            otf_t = tf_all[cand].T.tocsr()
            ocon_t = np.ascontiguousarray(ix.concepts[cand].T)
            ca = cataff[:, cand]
            static = (self.w[4] * np.clip((depth - 1) / 2.0, 0, 1)
                      + self.w[6] * ix.targeted[cand] + self.w[7] * ix.prov[cand]).astype(np.float32)
            for s in range(0, len(members), _BLOCK):
                rows = members[s:s + _BLOCK]
                yield self._block(rows, cand, depth, na, ntf, ncon, otf_t, ocon_t, ca, static, top)

    def _block(self, rows, cand, depth, na, ntf, ncon, otf_t, ocon_t, ca, static, top):
        ix, w = self.ix, self.w
        ob = ix.gbits[cand]
        ok = (ob == 0) | ((na.bits[rows][:, None] & ob) != 0)
        age = na.age[rows][:, None]
        ok &= ~((age < ix.amin[cand]) | (age > ix.amax[cand]))
        ok &= ~(na.income[rows][:, None] > ix.ceiling[cand])
        T = (ntf[rows] @ otf_t).toarray()
        K = ncon[rows] @ ocon_t
        CA = ca[na.cat[rows]]
        u = ((na.urgency[rows] - 1.0) / 2.0).astype(np.float32)
        S = w[0] * T
        S += w[1] * K
        S += w[2] * CA
        S += (w[3] * u)[:, None] * ix.fast[cand]
        S += static
        S[~ok] = -np.inf
        C = len(cand)
        if top is None or top + _EXTRA >= C:
            r, c = np.nonzero(ok)
        else:
            m = top + _EXTRA
            idx = np.argpartition(-S, m - 1, axis=1)[:, :m]
            keep = np.isfinite(np.take_along_axis(S, idx, axis=1))
            r, j = np.nonzero(keep)
            c = idx[r, j]
        p = cand[c]
        X = np.empty((len(r), len(FEATURES)), np.float32)
        X[:, 0] = T[r, c]
        X[:, 1] = K[r, c]
        X[:, 2] = CA[r, c]
        X[:, 3] = u[r] * ix.fast[p]
        X[:, 4] = np.clip((depth[c] - 1) / 2.0, 0, 1)
        X[:, 5] = amount_fit(na.amount[rows[r]], ix.amount[p])
        X[:, 6] = ix.targeted[p]
        X[:, 7] = ix.prov[p]
        z = X @ w + self.b
        score = 1.0 / (1.0 + np.exp(-z))
        return rows, r, p, X, score, depth[c]

    def rank(self, needs: list[Need], as_of: dt.date, top: int) -> list[NeedRanking]:
        out = [NeedRanking(n.id, []) for n in needs]
        if top <= 0 or not needs:
            return out
        rm = ReasonMaker(self.ix)
        need_con = None
        offers = self.ix.offers
        for rows, r, p, X, score, dep in self.blocks(needs, as_of, top):
            if not len(r):
                continue
            order = np.lexsort((p, -score, r))
            r, p, X, score, dep = r[order], p[order], X[order], score[order], dep[order]
            start = np.r_[0, np.flatnonzero(r[1:] != r[:-1]) + 1]
            rank_in = np.arange(len(r)) - np.repeat(start, np.diff(np.r_[start, len(r)]))
            keep = rank_in < top
            if need_con is None:
                need_con = {}
            for k in np.flatnonzero(keep):
                ni = int(rows[r[k]])
                need = needs[ni]
                nc = need_con.get(ni)
                if nc is None:
                    nc = frozenset(np.flatnonzero(self._ncon[ni] > 0).tolist())
                    need_con[ni] = nc
                pos = int(p[k])
                o = offers[pos]
                out[ni].ranked.append(RankedOffer(
                    o.id, float(score[k]), rm.reasons(need, nc, o, pos, X[k], int(dep[k]))))
        return out

