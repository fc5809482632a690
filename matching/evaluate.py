"""Evaluation on a labelled folder (needs.jsonl, offers.jsonl, labels.jsonl): nDCG@5 with
gain 2^grade - 1, and the share of returned offers breaking a hard rule."""

from __future__ import annotations

import datetime as dt
import json
import math
import os

import numpy as np
import scipy.sparse as sp

from .features import category_pairs
from .index import OfferIndex
from .io import read_needs, read_offers
from .rank import pair_features, rank
from .rules import admissible
from .schema import CAT_INDEX
from .scorer import MatchScorer
from .text import Lexicon


def read_labels(path: str) -> dict[str, dict[str, int]]:
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                out[row["need_id"]] = {k: int(v) for k, v in row["relevance"].items()}
    return out


def ndcg_at(ranked_ids: list[str], rel: dict[str, int], k: int = 5) -> float | None:
    def dcg(gs):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gs))
    ideal = dcg(sorted(rel.values(), reverse=True)[:k])
    if ideal == 0:
        return None
    return dcg([rel.get(o, 0) for o in ranked_ids[:k]]) / ideal


def bootstrap_interval(values, *, minus=None, reps: int = 4000, seed: int = 0,
                       level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-need ``values`` (resampling needs),
    or of ``mean(values) - mean(minus)`` when ``minus`` is given (two independent sets). With
    48 needs a set's interval is about ±0.03 wide: a change smaller than that on one set is
    not evidence either way."""
    rng = np.random.default_rng(seed)
    a = np.asarray(list(values), float)
    stats = a[rng.integers(0, len(a), (reps, len(a)))].mean(axis=1)
    if minus is not None:
        b = np.asarray(list(minus), float)
        stats = stats - b[rng.integers(0, len(b), (reps, len(b)))].mean(axis=1)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(stats, [tail, 100 - tail])
    return float(lo), float(hi)


def _load(folder: str):
    return (read_needs(os.path.join(folder, "needs.jsonl")),
            read_offers(os.path.join(folder, "offers.jsonl")),
            read_labels(os.path.join(folder, "labels.jsonl")))


def score_rankings(rankings, needs, offers, labels, as_of) -> dict:
    need_by = {n.id: n for n in needs}
    offer_by = {o.id: o for o in offers}
    per, bad, total = {}, 0, 0
    for r in rankings:
        ids = [x.offer_id for x in r.ranked]
        total += len(ids)
        bad += sum(1 for o in ids if not admissible(need_by[r.need_id], offer_by[o], as_of))
        if r.need_id in labels:
            v = ndcg_at(ids, labels[r.need_id])
            if v is not None:
                per[r.need_id] = v
    return {"ndcg5": float(np.mean(list(per.values()))) if per else float("nan"),
            "violations": bad / total if total else 0.0, "per_need": per}


def evaluate_dir(folder: str, *, as_of: dt.date, model: str | None = None,
                 per_need: bool = False, scorer: MatchScorer | None = None) -> dict:
    needs, offers, labels = _load(folder)
    if scorer is None and model:
        scorer = MatchScorer.load(model)
    out = rank(needs, offers, as_of=as_of, top=10, scorer=scorer)
    return score_rankings(out, needs, offers, labels, as_of)


def training_set(needs, offers, labels, *, as_of, products: bool = False,
                 categories: bool = False):
    """X, y (grades 0–3) and need indices over every admissible pair of a labelled set; with
    ``products``, also each pair's need-concept times offer-concept products (a sparse
    pairs x concepts matrix, columns as ``index.lexicon.ids``); with ``categories``, also
    each pair's ``features.category_pairs`` row (``MatchScorer.fit_pairs`` reads both)."""
    index = OfferIndex(offers)
    ni, oids, X = pair_features(needs, index, as_of=as_of)
    y = np.array([labels.get(needs[i].id, {}).get(o, 0) for i, o in zip(ni, oids, strict=True)],
                 dtype=np.float64)
    out = [X, y, ni]
    if products or categories:
        pos = [index.positions[o] for o in oids]
    if products:
        need_concepts = index.need_side(needs).concepts
        out.append(sp.csr_matrix(need_concepts[ni] * index.concepts[pos]))
    if categories:
        need_cat = np.array([CAT_INDEX[x.category] for x in needs], np.int64)
        out.append(category_pairs(need_cat[np.asarray(ni, np.int64)], index.catmask[pos]))
    return tuple(out)


def train_on_dir(folder: str, *, as_of: dt.date, **params) -> MatchScorer:
    needs, offers, labels = _load(folder)
    X, y, _ = training_set(needs, offers, labels, as_of=as_of)
    return MatchScorer(**params).fit(X, y)


def train_pairwise(folders: list[str], *, as_of_of, concepts: bool = False,
                   categories: bool = False, **params) -> MatchScorer:
    """``MatchScorer.fit_pairs`` on the graded pairs of several labelled folders (each need's
    pairs compared only with each other); ``as_of_of(folder)`` gives a folder's date.
    ``concepts``: also fit a factor per concept (``MatchScorer.concept_scale_``);
    ``categories``: also fit the category table (``MatchScorer.category_fit_``)."""
    Xs, ys, gs, Ps, Cs, first = [], [], [], [], [], 0
    for folder in folders:
        needs, offers, labels = _load(folder)
        X, y, ni, *extra = training_set(needs, offers, labels, as_of=as_of_of(folder),
                                        products=concepts, categories=categories)
        Xs.append(X)
        ys.append(y)
        gs.append(np.asarray(ni) + first)     # need numbers run on across the folders
        extra = iter(extra)                   # the products, then the category rows
        if concepts:
            Ps.append(next(extra))
        if categories:
            Cs.append(next(extra))
        first += len(needs)
    # every folder's index reads the same concept list (data/concepts.txt, the taxonomy)
    pairs = (sp.vstack(Ps), Lexicon.load().ids) if concepts else None
    return MatchScorer(**params).fit_pairs(
        np.vstack(Xs), np.concatenate(ys), np.concatenate(gs), concepts=pairs,
        categories=sp.vstack(Cs) if categories else None)


def cross_validate(folder: str, *, as_of: dt.date, folds: int = 4, seed: int = 0) -> float:
    """nDCG@5 of scorers fitted on the other folds' needs (an estimate for unseen cases)."""
    needs, offers, labels = _load(folder)
    X, y, ni = training_set(needs, offers, labels, as_of=as_of)
    rng = np.random.default_rng(seed)
    fold = rng.permutation(len(needs)) % folds
    index = OfferIndex(offers)
    vals = []
    for k in range(folds):
        train = fold[ni] != k
        s = MatchScorer().fit(X[train], y[train])
        test = [n for i, n in enumerate(needs) if fold[i] == k]
        out = rank(test, index, as_of=as_of, top=10, scorer=s)
        vals += list(score_rankings(out, needs, offers, labels, as_of)["per_need"].values())
    return float(np.mean(vals))


def leave_one_category_out(folder: str, *, as_of: dt.date) -> dict[str, tuple[int, float]]:
    """For each need category: nDCG@5 of its needs ranked by a scorer fitted on the needs of
    every other category ({category: (needs, nDCG@5)}). Says whether the learned weights
    carry to a kind of need they never saw; the concepts and taxonomy are not refitted (they
    are data, not fitted on labels)."""
    needs, offers, labels = _load(folder)
    X, y, ni = training_set(needs, offers, labels, as_of=as_of)
    index = OfferIndex(offers)
    cats = np.array([n.category for n in needs])
    out = {}
    for cat in sorted(set(cats.tolist())):
        test = [n for n in needs if n.category == cat]
        train = cats[ni] != cat
        if not train.any():
            continue
        scorer = MatchScorer().fit(X[train], y[train])
        got = rank(test, index, as_of=as_of, top=10, scorer=scorer)
        per = score_rankings(got, needs, offers, labels, as_of)["per_need"]
        if per:
            out[cat] = (len(per), float(np.mean(list(per.values()))))
    return out


OUTCOME_TARGET = {"delivered": 1.0, "completed": 1.0, "accepted": 0.75, "declined": 0.0}


def outcome_training_set(needs, offers, outcomes, *, as_of, index=None):
    """X, y from referral outcomes: ``outcomes`` is an iterable of ``(need_id, offer_id,
    outcome)`` with outcome ``delivered`` (1), ``accepted`` (0.75, not yet delivered) or
    ``declined`` (0). Pairs no longer admissible on ``as_of`` are skipped. Feed the result to
    ``MatchScorer().fit(X, y)``."""
    index = index or OfferIndex(offers)
    want = {(n, o): OUTCOME_TARGET[v] for n, o, v in outcomes}
    need_ids = {n for n, _ in want}
    sub = [n for n in needs if n.id in need_ids]
    ni, oids, X = pair_features(sub, index, as_of=as_of)
    keep = [k for k, (i, o) in enumerate(zip(ni, oids, strict=True)) if (sub[i].id, o) in want]
    y = np.array([want[(sub[ni[k]].id, oids[k])] for k in keep], dtype=np.float64)
    return X[keep], y
