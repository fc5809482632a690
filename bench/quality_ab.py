"""Matching quality of this checkout against another checkout, on the labelled sets, paired.

    git worktree add /tmp/engine-base <commit>
    .venv/bin/python bench/quality_ab.py --base /tmp/engine-base --dir data/match-own --dir …

Each side runs ``python -m matching evaluate --per-need`` in its own process, importing
``matching`` from its own checkout, on the same folders. For every set it prints the two
nDCG@5 figures, their difference and a 95% paired bootstrap interval of the difference
(needs resampled, each need's two scores kept together), then the same over all sets'
needs pooled. Pairing is what makes a small change measurable: one set's own interval is
about ±0.03 wide (``evaluate --interval``), the paired difference's far narrower.

Only totals and differences are printed, never a need's score: the clean check sets are
read as totals only (data/README.md), and this keeps them so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def per_need(checkout: str, folder: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout))
    out = subprocess.run(
        [sys.executable, "-m", "matching", "evaluate", "--dir", os.path.abspath(folder),
         "--per-need"], env=env, cwd=checkout, capture_output=True, text=True, check=True).stdout
    got = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] == "nDCG@5":
            got[p[1]] = float(p[3])
    return got


def paired_interval(diffs: np.ndarray, reps: int = 4000, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    means = diffs[rng.integers(0, len(diffs), (reps, len(diffs)))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", required=True, help="the other checkout")
    p.add_argument("--dir", action="append", required=True, help="a labelled folder; repeat")
    a = p.parse_args()
    print(f"new: {ROOT}\nbase: {os.path.abspath(a.base)}")
    print(f"{'set':22s} {'base':>6s} {'new':>6s} {'new-base':>9s}  95% paired interval")
    pooled = []
    for folder in a.dir:
        old, new = per_need(a.base, folder), per_need(ROOT, folder)
        keys = sorted(set(old) & set(new))
        d = np.array([new[k] - old[k] for k in keys])
        pooled.append(d)
        lo, hi = paired_interval(d)
        name = os.path.basename(os.path.normpath(folder))
        print(f"{name:22s} {np.mean([old[k] for k in keys]):6.3f} "
              f"{np.mean([new[k] for k in keys]):6.3f} {d.mean():+9.4f}  {lo:+.4f} to {hi:+.4f}"
              f"  ({int((d != 0).sum())} of {len(d)} needs moved)")
    if len(pooled) > 1:
        d = np.concatenate(pooled)
        lo, hi = paired_interval(d)
        print(f"{'pooled':22s} {'':6s} {'':6s} {d.mean():+9.4f}  {lo:+.4f} to {hi:+.4f}"
              f"  ({int((d != 0).sum())} of {len(d)} needs moved)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
