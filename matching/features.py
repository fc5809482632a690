"""Pair features: names, offer-side and need-side arrays, category affinity.

Every feature is in a small fixed range and 0 means "no evidence", so a linear scorer can
combine them and a missing value never counts as a penalty:

=========  ===========================================================================
text       cosine of character uni/bigram TF-IDF (title counted twice for needs)
concept    cosine of domain-concept vectors (synonyms and colloquial wording)
category   affinity of the need's category to the best of the offer's categories
urgency    (urgency - 1) / 2  x  fast help (emergency category 1, other cash 0.5)
locality   specificity of the covering path: township 1, county 0.5, city 0
amount     sqrt(min(1, offered / needed)) - 0.5 where both amounts are known
targeted   the offer is restricted to groups the household holds (a targeted programme)
provider   smoothed delivery rate of the provider minus the prior (history optional)
title      cosine of the need title's concepts with the offer's concepts (the summary)
specific   the most specific shared concept (its idf over offers, scaled to 0..1)
prevention 1 when the need describes something that already happened (确诊, 骨折 …) and the
           offer is preventive (投保, 筛查, 次日起生效 …): insurance or screening cannot meet it
=========  ===========================================================================
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources

import numpy as np

from .schema import CAT_INDEX, CATEGORIES, GROUP_BIT, Need, Offer

FEATURES: tuple[str, ...] = (
    "text", "concept", "category", "urgency", "locality", "amount", "targeted", "provider",
    "title", "specific", "prevention",
)
CHEAP = 8   # the first CHEAP features are scored for every admissible pair; the rest only
            # for the best candidates of each need (re-ranking)
PROVIDER_PRIOR = 0.7      # delivery rate assumed for a provider without history
PROVIDER_STRENGTH = 4.0   # pseudo-referrals of that prior


def default_affinity() -> np.ndarray:
    """The packaged category affinity matrix (need category x offer category)."""
    raw = json.loads(
        resources.files("matching").joinpath("data/category_affinity.json").read_text("utf-8"))
    return affinity_from_mapping(raw)


def affinity_from_mapping(raw: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Matrix from ``{need_cat: {offer_cat: value}}``; the diagonal is 1."""
    a = np.eye(len(CATEGORIES), dtype=np.float32)
    for nc, row in raw.items():
        if nc.startswith("_"):
            continue
        for oc, v in row.items():
            a[CAT_INDEX[nc], CAT_INDEX[oc]] = float(v)
    return a


def need_text(n: Need) -> str:
    """Text of a need as encoded (the title counts twice: it is the caseworker's summary)."""
    return f"{n.title}。{n.title}。{n.description}"


def offer_text(o: Offer) -> str:
    """Text of an offer as encoded."""
    return f"{o.title}。{o.description}"


def fast_help(o: Offer) -> float:
    """How fast the help comes: emergency funds 1, other cash 0.5, else 0."""
    if "emergency" in o.categories:
        return 1.0
    return 0.5 if o.mode == "cash" else 0.0


def provider_rate(stats: Mapping[str, tuple[int, int, int]] | None, name: str) -> float:
    """Smoothed delivery rate minus the prior, from ``(accepted, completed, declined)`` counts."""
    if not stats or name not in stats:
        return 0.0
    accepted, completed, declined = stats[name]
    answered = max(accepted, 0) + max(declined, 0)
    rate = (max(completed, 0) + PROVIDER_PRIOR * PROVIDER_STRENGTH) / (answered + PROVIDER_STRENGTH)
    return float(rate - PROVIDER_PRIOR)


def group_bits(codes) -> int:
    b = 0
    for g in codes:
        b |= GROUP_BIT.get(g, 0)
    return b


class NeedArrays:
    """Need-side numpy arrays for a batch of needs."""

    def __init__(self, needs: list[Need]) -> None:
        n = len(needs)
        self.cat = np.fromiter((CAT_INDEX[x.category] for x in needs), np.int64, n)
        self.bits = np.fromiter((group_bits(x.groups) for x in needs), np.int64, n)
        self.age = np.fromiter(
            (np.nan if x.beneficiary_age is None else x.beneficiary_age for x in needs),
            np.float32, n)
        self.income = np.fromiter(
            (np.nan if x.income_per_capita is None else x.income_per_capita for x in needs),
            np.float32, n)
        self.urgency = np.fromiter(((x.urgency or 1) for x in needs), np.float32, n)
        self.amount = np.fromiter(
            (np.nan if x.amount_needed is None else x.amount_needed for x in needs),
            np.float32, n)


def amount_fit(need_amount: np.ndarray, offer_amount: np.ndarray) -> np.ndarray:
    """sqrt(min(1, offered / needed)) - 0.5 where both known (and needed > 0), else 0."""
    known = (need_amount > 0) & ~np.isnan(offer_amount)     # NaN needed compares False
    r = np.divide(offer_amount, need_amount, out=np.zeros(known.shape, np.float32), where=known)
    return np.where(known, np.sqrt(np.clip(r, 0.0, 1.0)) - 0.5, 0.0).astype(np.float32)


def learn_affinity(outcomes, *, prior: np.ndarray | None = None,
                   strength: float = 5.0) -> np.ndarray:
    """Category affinity learned from referral outcomes, shrunk towards ``prior``.

    ``outcomes``: iterable of ``(need_category, offer_categories, delivered)`` with
    ``delivered`` 1 (accepted and delivered) or 0 (declined). Each cell becomes
    ``(strength * prior + delivered) / (strength + referrals)`` over the referrals whose offer
    lists that category, so a handful of outcomes only nudges the defaults. Pass the result
    to ``OfferIndex(offers, affinity=...)``.
    """
    a = default_affinity() if prior is None else np.asarray(prior, np.float64)
    hits = np.zeros_like(a, dtype=np.float64)
    n = np.zeros_like(a, dtype=np.float64)
    for need_cat, offer_cats, delivered in outcomes:
        i = CAT_INDEX[need_cat]
        for c in offer_cats:
            n[i, CAT_INDEX[c]] += 1
            hits[i, CAT_INDEX[c]] += float(delivered)
    return ((strength * a + hits) / (strength + n)).astype(np.float32)
