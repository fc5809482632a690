"""A scikit-learn style scorer: a logistic model over the pair features.

``score = sigmoid(intercept + coef . x)`` lies in [0, 1]. ``fit`` learns the weights from
referral outcomes (1 = accepted and delivered, 0 = declined) or graded labels (0–3, used as
soft targets grade / 3); with too little history it keeps the hand-set default weights.
Models are saved as JSON with the library version and the feature list, and refuse to load
into an engine whose features differ.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np
from scipy.optimize import minimize

from .features import FEATURES

__version__ = "1.0.0"   # matching engine version recorded in saved models


class ModelMismatchError(ValueError):
    """A saved model does not match this engine (version or feature list)."""


@functools.lru_cache(maxsize=1)
def _defaults() -> dict:
    return json.loads(
        resources.files("matching").joinpath("data/default_model.json").read_text("utf-8"))


class MatchScorer:
    """Logistic scorer over ``FEATURES``.

    Parameters
    ----------
    alpha : float
        L2 penalty on the weights, pulling them towards the default weights (not to zero),
        so small histories only nudge the hand-set model.
    min_samples : int
        Fewer training pairs (or a single class) than this: keep the default weights.
    max_iter : int
        L-BFGS iterations.
    random_state : int or None
        Seeds the subsampling of negatives when ``max_negatives`` is set.
    max_negatives : int or None
        Cap on the number of zero-target pairs used by ``fit`` (random subsample).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    feature_names_in_ : tuple of str
    n_features_in_ : int
    fitted_from_ : {"defaults", "data"}

    Examples
    --------
    >>> s = MatchScorer().fit(X, y)          # doctest: +SKIP
    >>> s.predict_score(X[:3])               # doctest: +SKIP
    array([0.91, 0.12, 0.40], dtype=float32)
    """

    def __init__(self, alpha: float = 1.0, min_samples: int = 200, max_iter: int = 200,
                 random_state: int | None = 0, max_negatives: int | None = None) -> None:
        self.alpha = alpha
        self.min_samples = min_samples
        self.max_iter = max_iter
        self.random_state = random_state
        self.max_negatives = max_negatives

    @classmethod
    def default(cls) -> MatchScorer:
        """An unfitted-from-data scorer carrying the packaged default weights."""
        return cls()._set_defaults()

    def _set_defaults(self) -> MatchScorer:
        d = _defaults()
        # a feature without a packaged weight has none until trained (features.py)
        self.coef_ = np.array([d["coef"].get(f, 0.0) for f in FEATURES], dtype=np.float64)
        self.intercept_ = float(d["intercept"])
        self.feature_names_in_ = FEATURES
        self.n_features_in_ = len(FEATURES)
        self.fitted_from_ = "defaults"
        self.n_samples_ = 0
        return self

    def fit(self, X, y, sample_weight=None) -> MatchScorer:
        """Learn weights from pair features ``X`` and targets ``y`` (0/1 outcomes or 0–3 grades)."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(FEATURES):
            raise ValueError(f"X must have {len(FEATURES)} columns: {FEATURES}")
        t = y / 3.0 if y.max(initial=0) > 1 else y
        w = np.ones(len(t)) if sample_weight is None else np.asarray(sample_weight, float)
        if self.max_negatives is not None and (t == 0).sum() > self.max_negatives:
            rng = np.random.default_rng(self.random_state)
            neg = np.flatnonzero(t == 0)
            drop = rng.choice(neg, len(neg) - self.max_negatives, replace=False)
            keep = np.ones(len(t), bool)
            keep[drop] = False
            X, t, w = X[keep], t[keep], w[keep]
        self._set_defaults()
        prior = np.concatenate([[self.intercept_], self.coef_])
        if len(t) < self.min_samples or t.min() == t.max():
            return self
        A = np.hstack([np.ones((len(X), 1)), X])
        wsum = w.sum()

        def loss(b):
            z = A @ b
            lp = -np.logaddexp(0, -z)
            ln = -np.logaddexp(0, z)
            d = b - prior
            val = -(w * (t * lp + (1 - t) * ln)).sum() / wsum + self.alpha * 0.5 * (d[1:] @ d[1:])
            p = 1 / (1 + np.exp(-z))
            g = A.T @ (w * (p - t)) / wsum
            g[1:] += self.alpha * d[1:]
            return val, g

        res = minimize(loss, prior, jac=True, method="L-BFGS-B",
                       options={"maxiter": self.max_iter})
        self.intercept_, self.coef_ = float(res.x[0]), res.x[1:].copy()
        self.fitted_from_ = "data"
        self.n_samples_ = int(len(t))
        return self

    # weights a pairwise fit keeps: what the labelled sets cannot inform (provider: no
    # referral history there; targeted is clipped to 0 — a group programme is not better per
    # se) and the warnings (prevention … stage): each fires on a handful of pairs, is set by
    # hand for one kind of case and held by its tests, and a fit over a few hundred needs
    # would move it by chance, not by evidence
    PAIRWISE_FIXED = ("provider", "targeted", "prevention", "merit", "enrolment", "shortfall",
                      "received", "illness", "sex", "stage", "status",
                      "held", "kind", "accident", "insured", "answers")

    def fit_pairs(self, X, y, groups) -> MatchScorer:
        """Learn the weights from graded pairs by their order within each need (RankNet-style:
        logistic loss on ``coef . (x_a - x_b)`` for every pair of one need's offers with
        grade a > grade b, weighted by the gain difference ``2^a - 2^b`` as nDCG counts it),
        with the L2 pull ``alpha`` to the default weights. Only the order matters to a
        ranking, so the intercept stays the default's, as do ``PAIRWISE_FIXED``."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        groups = np.asarray(groups)
        self._set_defaults()
        diffs, gains = [], []
        for g in np.unique(groups):
            idx = np.flatnonzero(groups == g)
            a, b = np.meshgrid(idx, idx, indexing="ij")
            better = y[a] > y[b]
            if better.any():
                diffs.append(X[a[better]] - X[b[better]])
                gains.append(2.0 ** y[a[better]] - 2.0 ** y[b[better]])
        if sum(len(d) for d in diffs) < self.min_samples:
            return self
        D, w = np.vstack(diffs), np.concatenate(gains)
        w /= w.sum()
        free = np.array([f not in self.PAIRWISE_FIXED for f in FEATURES])
        prior = self.coef_.copy()

        def loss(v):
            coef = prior.copy()
            coef[free] = v
            z = D @ coef
            pull = v - prior[free]
            val = (w * np.logaddexp(0, -z)).sum() + self.alpha * 0.5 * (pull @ pull)
            grad = -(D.T @ (w / (1.0 + np.exp(z))))[free] + self.alpha * pull
            return val, grad

        res = minimize(loss, prior[free], jac=True, method="L-BFGS-B",
                       options={"maxiter": self.max_iter})
        self.coef_[free] = res.x
        self.fitted_from_ = "data"
        self.n_samples_ = int(len(D))
        return self

    def decision_function(self, X) -> np.ndarray:
        """Linear score ``intercept + coef . x``."""
        return np.asarray(X, dtype=np.float32) @ self.coef_.astype(np.float32) + np.float32(
            self.intercept_)

    def predict_score(self, X) -> np.ndarray:
        """Scores in [0, 1]."""
        return (1.0 / (1.0 + np.exp(-self.decision_function(X)))).astype(np.float32)

    @property
    def weights(self) -> dict[str, float]:
        """Feature name -> weight."""
        return dict(zip(self.feature_names_in_, map(float, self.coef_), strict=True))

    # -- persistence (JSON, not pickle) ----------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "library": "matching", "version": __version__, "features": list(FEATURES),
            "coef": {f: float(c) for f, c in zip(FEATURES, self.coef_, strict=True)},
            "intercept": float(self.intercept_), "fitted_from": self.fitted_from_,
            "n_samples": self.n_samples_,
            "params": {"alpha": self.alpha, "min_samples": self.min_samples,
                       "max_iter": self.max_iter, "random_state": self.random_state,
                       "max_negatives": self.max_negatives},
        }

    def save(self, path: str) -> None:
        """Write the model as JSON."""
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, ensure_ascii=False, indent=2)

    @classmethod
    def load(cls, path: str) -> MatchScorer:
        """Read a model saved by ``save``; raises ModelMismatchError if it does not fit."""
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        return cls.from_dict(d)

    @classmethod
    def from_dict(cls, d: dict) -> MatchScorer:
        if d.get("library") != "matching":
            raise ModelMismatchError("not a matching model")
        if d.get("version", "").split(".")[0] != __version__.split(".")[0]:
            raise ModelMismatchError(
                f"model saved by matching {d.get('version')}, engine is {__version__}")
        if list(d.get("features", [])) != list(FEATURES):
            raise ModelMismatchError(
                f"model features {d.get('features')} differ from engine features {list(FEATURES)}")
        s = cls(**d.get("params", {}))
        s.coef_ = np.array([d["coef"][f] for f in FEATURES], dtype=np.float64)
        s.intercept_ = float(d["intercept"])
        s.feature_names_in_ = FEATURES
        s.n_features_in_ = len(FEATURES)
        s.fitted_from_ = d.get("fitted_from", "data")
        s.n_samples_ = int(d.get("n_samples", 0))
        return s
