"""``python -m matching``: rank (the spec's command), evaluate, train."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys

from .io import InputError, read_needs, read_offers, write_ranked


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad date {s!r} (expected YYYY-MM-DD)") from None


def _as_of_from_readme(folder: str) -> dt.date | None:
    p = os.path.join(folder, "README.md")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as f:
            m = re.search(r"as_of[^0-9]{0,10}(\d{4}-\d{2}-\d{2})", f.read())
        if m:
            return dt.date.fromisoformat(m.group(1))
    return None


def _cmd_rank(a) -> int:
    from .rank import rank_lines
    from .scorer import MatchScorer
    needs = read_needs(a.needs)
    offers = read_offers(a.offers)
    scorer = MatchScorer.load(a.model) if a.model else None
    out = rank_lines(needs, offers, as_of=a.as_of or dt.date.today(), top=a.top, scorer=scorer)
    if a.out:
        write_ranked(out, a.out)
    else:
        try:
            sys.stdout.writelines(out)
        except BrokenPipeError:   # e.g. piped into `head`
            sys.stderr.close()
    return 0


def _cmd_evaluate(a) -> int:
    from .evaluate import bootstrap_interval, cross_validate, evaluate_dir, leave_one_category_out
    figures, per_set = [], []
    for folder in a.dir:
        as_of = a.as_of or _as_of_from_readme(folder) or dt.date.today()
        r = evaluate_dir(folder, as_of=as_of, model=a.model, per_need=a.per_need)
        name = os.path.basename(os.path.normpath(folder))
        if a.per_need:
            for nid, v in r["per_need"].items():
                print(f"{name} {nid:8s} nDCG@5 {v:.3f}")
        if a.cv:
            print(f"{name}: cross-validated (fit on other needs, {a.cv} folds): "
                  f"nDCG@5={cross_validate(folder, folds=a.cv, as_of=as_of):.3f}")
        if a.loco and folder == a.dir[0]:    # the tuning set only: the others are checks
            per = leave_one_category_out(folder, as_of=as_of)
            for cat, (n, v) in per.items():
                print(f"{name}: leave-one-category-out {cat:14s} {n:3d} needs  nDCG@5={v:.3f}")
            total = sum(n for n, _ in per.values())
            mean = sum(n * v for n, v in per.values()) / max(total, 1)
            print(f"{name}: leave-one-category-out, all {total} needs: nDCG@5={mean:.3f}")
        figures.append(r["ndcg5"])
        per_set.append(list(r["per_need"].values()))
        label = f"{name}: " if len(a.dir) > 1 else ""
        print(f"{label}nDCG@5={r['ndcg5']:.3f} violations={r['violations']:.3f}")
        if a.interval and per_set[-1]:
            lo, hi = bootstrap_interval(per_set[-1])
            print(f"{label}95% interval over its {len(per_set[-1])} needs (bootstrap): "
                  f"{lo:.3f}–{hi:.3f}")
    if len(figures) > 1:
        print("gap (first set - others): "
              + " ".join(f"{figures[0] - f:+.3f}" for f in figures[1:]))
    if a.interval and len(figures) > 2 and all(per_set):
        # the other sets' needs pooled: one figure for "needs the tuning never saw"
        rest = [v for vs in per_set[1:] for v in vs]
        lo, hi = bootstrap_interval(per_set[0], minus=rest)
        print(f"others pooled ({len(rest)} needs): nDCG@5={sum(rest) / len(rest):.3f}; gap "
              f"{figures[0] - sum(rest) / len(rest):+.3f}, 95% interval {lo:+.3f} to {hi:+.3f}")
    return 0


def _cmd_train(a) -> int:
    from .evaluate import evaluate_dir, train_on_dir, train_pairwise

    def as_of_of(folder: str) -> dt.date:
        return a.as_of or _as_of_from_readme(folder) or dt.date.today()

    if not a.pairwise and len(a.dir) > 1:
        print("error: several --dir need --pairwise (each need's offers compared with each "
              "other, never across sets)", file=sys.stderr)
        return 2
    if a.pairwise and a.leave_one_set_out and len(a.dir) > 1:
        # each set scored by weights fitted on the others: what the fit does for a hand it
        # never saw (the default weights' figure beside it)
        for held in a.dir:
            rest = [f for f in a.dir if f != held]
            s = train_pairwise(rest, as_of_of=as_of_of, alpha=a.alpha, concepts=a.concepts,
                               categories=a.categories)
            name = os.path.basename(os.path.normpath(held))
            before = evaluate_dir(held, as_of=as_of_of(held))["ndcg5"]
            after = evaluate_dir(held, as_of=as_of_of(held), scorer=s)["ndcg5"]
            print(f"{name}: fitted without it nDCG@5={after:.3f} (default weights {before:.3f})")
    if a.pairwise:
        s = train_pairwise(a.dir, as_of_of=as_of_of, alpha=a.alpha, concepts=a.concepts,
                           categories=a.categories)
    else:
        s = train_on_dir(a.dir[0], as_of=as_of_of(a.dir[0]), alpha=a.alpha)
    s.save(a.out)
    print(json.dumps(s.to_dict()["coef"], ensure_ascii=False), f"intercept={s.intercept_:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m matching", description="Zhuanjie matching engine")
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rank", help="rank offers for needs (shared spec matching-io.md)")
    r.add_argument("--needs", required=True)
    r.add_argument("--offers", required=True)
    r.add_argument("--as-of", type=_date, default=None)
    r.add_argument("--top", type=int, default=10)
    r.add_argument("--out", default=None)
    r.add_argument("--model", default=None, help="scorer JSON saved by `train` (default: packaged)")
    e = sub.add_parser("evaluate", help="nDCG@5 and rule violations on labelled folders")
    e.add_argument("--dir", required=True, action="append",
                   help="a labelled folder; repeat to score several (e.g. dev, then our own)")
    e.add_argument("--as-of", type=_date, default=None, help="default: from DIR/README.md")
    e.add_argument("--model", default=None)
    e.add_argument("--per-need", action="store_true")
    e.add_argument("--interval", action="store_true",
                   help="also a 95%% bootstrap interval over each set's needs, and the other "
                        "sets' needs pooled against the first")
    e.add_argument("--cv", type=int, default=0, help="also k-fold cross-validate training")
    e.add_argument("--loco", action="store_true",
                   help="also leave-one-category-out: fit on the other categories' needs")
    t = sub.add_parser("train", help="fit the scorer on a labelled folder, save JSON")
    t.add_argument("--dir", required=True, action="append",
                   help="a labelled folder; repeat with --pairwise to fit on several")
    t.add_argument("--as-of", type=_date, default=None, help="default: from DIR/README.md")
    t.add_argument("--out", required=True)
    t.add_argument("--alpha", type=float, default=1.0,
                   help="pull towards the default weights (0: plain logistic regression)")
    t.add_argument("--pairwise", action="store_true",
                   help="fit the order of each need's offers (MatchScorer.fit_pairs), not "
                        "each pair's grade; the intercept stays the default's")
    t.add_argument("--concepts", action="store_true",
                   help="with --pairwise: also fit a factor per concept on the concept "
                        "feature (saved as concept_scale)")
    t.add_argument("--categories", action="store_true",
                   help="with --pairwise: also fit the learned category affinity (a value "
                        "per need category and offer category, saved as category_fit)")
    t.add_argument("--leave-one-set-out", action="store_true",
                   help="with --pairwise and several --dir: first score each set with "
                        "weights fitted on the others")
    a = p.parse_args(argv)

    if a.cmd == "rank" and a.top < 0:
        p.error("--top must be >= 0")
    try:
        return {"rank": _cmd_rank, "evaluate": _cmd_evaluate, "train": _cmd_train}[a.cmd](a)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
