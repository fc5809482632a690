"""Training a candidate on the city's referral outcomes and judging it on the latest weeks.

The data: every referral sent in the window whose outcome says something about fit (see
``active.outcome``: delivered 1, accepted and still running 0.75, declined as not a fit /
failed / withdrawn 0; declines for want of places, an unreachable family or help found
elsewhere, and referrals still waiting, are left out: they are no evidence either way).

The split is by time: referrals sent in the last ``model_holdout_weeks`` are held out, the
earlier ones train. The providers' history used for both is counted from the training part
only, so nothing of the held-out outcomes leaks into the features.

The measure is the AUC of the scores over the held-out referrals (a success ranked above a
failure): outcomes are known only for the offers that were referred, so nDCG over a whole
ranking would have to invent labels for the rest; AUC uses exactly the pairs we know.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from scipy.stats import rankdata
from sqlmodel import Session, select

import matching
from matching.features import learn_affinity
from zhuanjie.db import utc_now
from zhuanjie.learning import active
from zhuanjie.matches.engine import engine_needs
from zhuanjie.models import Need, Offer, Organisation, Referral
from zhuanjie.offers import service as offers


@dataclass(frozen=True)
class Example:
    need_id: int
    offer_id: int
    provider: str
    sent: date
    target: float
    status: str
    reason: str | None
    delivered: bool


@dataclass
class Outcome:
    """A fitted candidate and how it and the model in use did on the held-out weeks."""

    scorer: matching.MatchScorer | None = None
    affinity: np.ndarray | None = None
    window_start: date | None = None
    window_end: date | None = None
    holdout_from: date | None = None
    pairs: int = 0
    positives: int = 0
    holdout_pairs: int = 0
    score: float | None = None
    baseline_score: float | None = None
    note: str = ""  # why it cannot be judged (empty: it was)


def examples(session: Session, since: datetime, until: datetime | None = None
             ) -> list[Example]:
    """Referrals sent in [since, until) whose outcome is evidence about fit, oldest first."""
    rows = session.exec(
        select(Referral.need_id, Referral.offer_id, Organisation.name, Referral.sent_at,
               Referral.status, Referral.decline_reason, Referral.delivered_at)
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .where(Referral.sent_at >= since, Referral.sent_at < (until or utc_now()))
        .order_by(Referral.sent_at, Referral.id)
    ).all()
    out = []
    for need_id, offer_id, name, sent_at, status, reason, delivered_at in rows:
        y = active.outcome(status, reason, delivered_at is not None)
        if y is not None:
            out.append(Example(need_id, offer_id, name, sent_at.date(), y, status, reason,
                               delivered_at is not None))
    return out


def history(rows: list[Example]) -> dict:
    """Providers' history from these referrals only."""
    counts: dict[tuple, int] = {}
    for e in rows:
        key = (e.provider, e.status, e.reason, e.delivered)
        counts[key] = counts.get(key, 0) + 1
    return active.stats_of((*k, n) for k, n in counts.items())


def auc(scores: np.ndarray, good: np.ndarray) -> float | None:
    """Probability that a success outscores a failure (ties count half)."""
    n_pos, n_neg = int(good.sum()), int((~good).sum())
    if not n_pos or not n_neg:
        return None
    ranks = rankdata(scores)
    return float((ranks[good].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


ALPHAS = (1.0, 0.1, 0.01, 0.001)  # pull towards the default weights, strongest first


def choose_alpha(X: np.ndarray, y: np.ndarray, late: np.ndarray) -> float:
    """The penalty whose fit on the earlier training referrals ranks the last weeks of the
    training part best (the held-out weeks are never looked at); the strongest on a tie or
    when those weeks cannot judge."""
    good = y[late] >= active.POSITIVE
    best, chosen = None, ALPHAS[0]
    if late.sum() < 20 or good.all() or not good.any():
        return chosen
    for alpha in ALPHAS:
        s = matching.MatchScorer(alpha=alpha).fit(X[~late], y[~late])
        value = auc(s.predict_score(X[late]), good)
        if value is not None and (best is None or value > best + 1e-9):
            best, chosen = value, alpha
    return chosen


class _Data:
    """The engine records of the referred needs and of every offer, read once."""

    def __init__(self, session: Session, rows: list[Example]) -> None:
        need_ids = sorted({e.need_id for e in rows})
        needs = []
        for start in range(0, len(need_ids), 500):
            needs += session.exec(select(Need).where(Need.id.in_(need_ids[start : start + 500])))
        self.needs = {int(r.id): r for r in engine_needs(session, needs)}
        # Past referrals judged on fit: places and validity windows of today do not apply.
        self.offers = [
            dataclasses.replace(r, capacity_remaining=None, valid_from=None, valid_until=None)
            for r in offers.engine_offers(session, list(session.exec(select(Offer)).all()))
        ]
        self.categories = {int(o.id): o.categories for o in self.offers}

    def matrix(self, rows: list[Example], index: matching.OfferIndex, as_of: date):
        """Features, targets and sending days of the referred pairs the rules still admit."""
        needs = [self.needs[i] for i in dict.fromkeys(e.need_id for e in rows) if i in self.needs]
        ni, oids, X = matching.pair_features(needs, index, as_of=as_of)
        at = {(needs[i].id, o): k for k, (i, o) in enumerate(zip(ni.tolist(), oids, strict=True))}
        keep = [(at.get((str(e.need_id), str(e.offer_id))), e) for e in rows]
        keep = [(k, e) for k, e in keep if k is not None]
        return (X[[k for k, _ in keep]].reshape(len(keep), X.shape[1]),
                np.array([e.target for _, e in keep], np.float64),
                np.array([e.sent.toordinal() for _, e in keep], np.int64))


def fit_and_judge(session: Session, *, now: datetime, base: active.Loaded, window_weeks: int,
                  holdout_weeks: int, min_holdout: int) -> Outcome:
    """Fit a candidate on the referrals before the held-out weeks; score it and ``base`` there."""
    rows = examples(session, now - timedelta(weeks=window_weeks), now)
    out = Outcome()
    if not rows:
        out.note = "没有可用于训练的转介结果。"
        return out
    cut = (now - timedelta(weeks=holdout_weeks)).date()
    train = [e for e in rows if e.sent < cut]
    test = [e for e in rows if e.sent >= cut]
    out.window_start, out.window_end, out.holdout_from = rows[0].sent, rows[-1].sent, cut
    data = _Data(session, rows)
    stats = history(train)
    as_of = now.date()
    out.affinity = learn_affinity(
        (data.needs[e.need_id].category, data.categories[e.offer_id], e.target >= active.POSITIVE)
        for e in train if e.need_id in data.needs and e.offer_id in data.categories
    )
    index = matching.OfferIndex(data.offers, provider_stats=stats, affinity=out.affinity)
    X, y, days = data.matrix(train, index, as_of)
    out.pairs, out.positives = len(y), int((y >= active.POSITIVE).sum())
    alpha = choose_alpha(X, y, days >= (cut - timedelta(weeks=holdout_weeks)).toordinal())
    out.scorer = matching.MatchScorer(alpha=alpha).fit(X, y)
    if out.scorer.fitted_from_ != "data":
        out.note = (f"训练数据不足（{out.pairs} 条转介结果，"
                    f"至少需要 {out.scorer.min_samples} 条且有成有败）。")
        return out
    Xt, yt, _ = data.matrix(test, index, as_of)
    out.holdout_pairs = len(yt)
    good = yt >= active.POSITIVE
    out.score = auc(out.scorer.predict_score(Xt), good)
    base_index = matching.OfferIndex(data.offers, provider_stats=stats, affinity=base.affinity)
    Xb, _, _ = data.matrix(test, base_index, as_of)
    out.baseline_score = auc(base.scorer.predict_score(Xb), good)
    if len(yt) < min_holdout or out.score is None:
        out.note = (f"留出周内可评估的转介结果不足（{len(yt)} 条，"
                    f"至少需要 {min_holdout} 条且有成有败）。")
    return out
