import inspect
import json

import numpy as np
import pytest

from matching import MatchScorer, ModelMismatchError, OfferIndex, pair_features
from matching.features import FEATURES

from .conftest import AS_OF


def test_init_stores_params_only():
    s = MatchScorer(alpha=0.5, random_state=3)
    params = inspect.signature(MatchScorer).parameters
    assert set(vars(s)) == set(params)
    assert not [k for k in vars(s) if k.endswith("_")]


def test_fit_returns_self_and_learns(dev):
    needs, offers = dev
    ni, oids, X = pair_features(needs, OfferIndex(offers), as_of=AS_OF)
    assert X.shape[1] == len(FEATURES) and len(oids) == len(ni)
    rng = np.random.default_rng(0)
    y = (X[:, 1] + 0.1 * rng.standard_normal(len(X)) > 0.3).astype(float)
    s = MatchScorer(alpha=0.0, min_samples=10)
    assert s.fit(X, y) is s
    assert s.fitted_from_ == "data" and s.coef_.shape == (len(FEATURES),)
    assert s.weights["concept"] > 0
    p = s.predict_score(X)
    assert ((p >= 0) & (p <= 1)).all()


def test_too_little_history_keeps_defaults():
    X = np.zeros((5, len(FEATURES)))
    s = MatchScorer().fit(X, np.array([0, 1, 0, 1, 0]))
    assert s.fitted_from_ == "defaults"
    np.testing.assert_allclose(s.coef_, MatchScorer.default().coef_)


def test_save_load_roundtrip_and_mismatch(tmp_path):
    s = MatchScorer.default()
    path = tmp_path / "m.json"
    s.save(path)
    t = MatchScorer.load(path)
    np.testing.assert_allclose(t.coef_, s.coef_)
    d = json.loads(path.read_text(encoding="utf-8"))
    assert d["features"] == list(FEATURES) and d["version"]
    bad = dict(d, features=d["features"][:-1])
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ModelMismatchError):
        MatchScorer.load(path)
    path.write_text(json.dumps(dict(d, version="0.1.0")), encoding="utf-8")
    with pytest.raises(ModelMismatchError):
        MatchScorer.load(path)
    # the concepts' factors travel with the weights; a model saved without them has none
    assert d["concept_scale"] == s.concept_scale_ and s.concept_scale_
    path.write_text(json.dumps({k: v for k, v in d.items() if k != "concept_scale"}),
                    encoding="utf-8")
    assert (MatchScorer.load(path).concept_scales(["cancer", "legal"]) == 1.0).all()


def test_learn_affinity_moves_towards_outcomes():
    from matching.features import default_affinity, learn_affinity
    from matching.schema import CAT_INDEX
    prior = default_affinity()
    out = [("employment", ["legal"], 1)] * 20
    a = learn_affinity(out)
    i, j = CAT_INDEX["employment"], CAT_INDEX["legal"]
    assert prior[i, j] < a[i, j] <= 1.0
    assert a[CAT_INDEX["medical"], CAT_INDEX["medical"]] == prior[CAT_INDEX["medical"],
                                                                  CAT_INDEX["medical"]]


def test_outcome_training_set(dev):
    from matching.evaluate import outcome_training_set
    needs, offers = dev
    outcomes = [("DN03", "DO30", "delivered"), ("DN03", "DO44", "declined"),
                ("DN03", "DO22", "declined")]   # DO22 does not cover DN03: skipped
    X, y = outcome_training_set(needs, offers, outcomes, as_of=AS_OF)
    assert X.shape == (2, len(FEATURES)) and sorted(y.tolist()) == [0.0, 1.0]


def test_a_pairwise_fit_learns_the_order_within_each_need_and_keeps_the_rest():
    # within each need, the better offer has more of the concept feature; across needs the
    # grades say nothing (a need whose offers are all weak still has a best one)
    rng = np.random.default_rng(1)
    X, y, g = [], [], []
    col = FEATURES.index("concept")
    for need in range(120):
        for grade in range(4):
            x = rng.normal(0, 0.05, len(FEATURES))
            x[col] = 0.2 * grade + rng.normal(0, 0.05) + (need % 3)
            X.append(x)
            y.append(grade)
            g.append(need)
    default = MatchScorer.default()
    s = MatchScorer(alpha=0.001, min_samples=10).fit_pairs(np.array(X), np.array(y), np.array(g))
    assert s.fitted_from_ == "data"
    assert s.weights["concept"] > default.weights["concept"] + 1.0
    # what labelled sets cannot inform stays as it is: provider (no history) and the intercept
    assert s.weights["provider"] == default.weights["provider"]
    assert s.intercept_ == default.intercept_
    # too few ordered pairs: the default weights
    few = MatchScorer().fit_pairs(np.array(X[:8]), np.array(y[:8]), np.array(g[:8]))
    assert few.fitted_from_ == "defaults"


def test_a_pairwise_fit_learns_a_factor_per_concept():
    # two concepts each make up the concept feature of half the pairs; within each need the
    # graders followed concept "a" and ignored concept "b"
    rng = np.random.default_rng(2)
    X, y, g, P = [], [], [], []
    col = FEATURES.index("concept")
    for need in range(150):
        which = need % 2
        for grade in range(4):
            share = 0.2 * grade if which == 0 else rng.uniform(0, 0.6)
            x = np.zeros(len(FEATURES))
            x[col] = share
            X.append(x)
            y.append(grade)
            g.append(need)
            P.append([share, 0.0, 0.0] if which == 0 else [0.0, share, 0.0])
    s = MatchScorer(alpha=0.001, min_samples=10).fit_pairs(
        np.array(X), np.array(y), np.array(g), concepts=(np.array(P), ["a", "b", "c"]))
    scale = s.concept_scale_
    assert scale["a"] > 1.5
    # evidence the graders ignored counts for less, never for less than the floor
    assert MatchScorer.CONCEPT_FLOOR <= scale["b"] < 1.0
    assert "c" not in scale                      # no pair shows it: stays 1
    assert s.weights["concept"] == MatchScorer.default().weights["concept"]


def test_a_pairwise_fit_learns_the_category_table():
    # medical needs: the graders put the insurance programme above the housing one;
    # education needs: the education programme above the basic-living one; other features
    # equal
    from matching.features import category_pairs
    from matching.schema import CAT_INDEX, CATEGORIES
    cases = {"medical": ("insurance", "housing"), "education": ("education", "basic_living")}
    need_cat, mask, y, g = [], [], [], []
    for need in range(120):
        nc = ("medical", "education")[need % 2]
        for grade, oc in zip((3, 0), cases[nc], strict=True):
            row = np.zeros(len(CATEGORIES), bool)
            row[CAT_INDEX[oc]] = True
            need_cat.append(CAT_INDEX[nc])
            mask.append(row)
            y.append(grade)
            g.append(need)
    C = category_pairs(np.array(need_cat), np.array(mask))
    X = np.zeros((len(y), len(FEATURES)))
    s = MatchScorer(alpha=0.001, min_samples=10).fit_pairs(X, np.array(y), np.array(g),
                                                           categories=C)
    fit, before = s.category_fit_, MatchScorer.default().category_fit_
    assert fit["medical"].get("housing", 0.0) < fit["medical"].get("insurance", 0.0)
    assert fit["education"]["basic_living"] < before["education"].get("basic_living", 0.0)
    # it only lowers another category's programmes: never the need's own, never above 0
    assert all(v <= 0 for row in fit.values() for v in row.values())
    assert all(row.get(nc, 0.0) == 0.0 for nc, row in fit.items())
    # no pair shows a housing need: its row stays the packaged model's
    assert fit["housing"] == before["housing"]
    assert s.weights["category_fit"] == 1.0              # the table is the whole term
    t = s.category_table()
    assert t[CAT_INDEX["medical"], CAT_INDEX["housing"]] == np.float32(fit["medical"]["housing"])


def test_the_category_table_travels_with_the_model(tmp_path):
    s = MatchScorer.default()
    assert s.category_table() is not None          # the packaged model has one
    path = tmp_path / "m.json"
    s.save(path)
    assert MatchScorer.load(path).category_fit_ == s.category_fit_
    d = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({k: v for k, v in d.items() if k != "category_fit"}),
                    encoding="utf-8")
    assert MatchScorer.load(path).category_table() is None


def test_the_train_command_fits_several_sets_pairwise_and_scores_each_held_out(tmp_path, capsys):
    from pathlib import Path

    from matching.cli import main

    data = Path(__file__).resolve().parents[2] / "data"
    out = tmp_path / "m.json"
    dirs = ["--dir", str(data / "match-dev"), "--dir", str(data / "match-fresha")]
    assert main(["train", *dirs, "--out", str(out)]) == 2      # several sets: pairwise only
    assert main(["train", *dirs, "--pairwise", "--concepts", "--categories", "--alpha", "0.01",
                 "--leave-one-set-out", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    held = [x for x in lines if "fitted without it" in x]
    assert [x.split(":")[0] for x in held] == ["match-dev", "match-fresha"]
    model = MatchScorer.load(str(out))
    assert model.fitted_from_ == "data" and model.weights != MatchScorer.default().weights
    assert model.concept_scale_ != MatchScorer.default().concept_scale_
    assert model.category_fit_ != MatchScorer.default().category_fit_
