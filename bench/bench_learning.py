"""Learned matching models: held-out AUC of the trained model beside the default, per seed.

    .venv/bin/python bench/bench_learning.py                    # seeds 1..5, scale 3, 2,500 needs
    .venv/bin/python bench/bench_learning.py --seeds 3 --scale 2 --needs 1600

For each seed, a throw-away SQLite database gets the training history of
zhuanjie.demo.history (the demo city with ``--scale`` times the households, ``--needs``
needs over the past year, one or two referrals each whose outcomes follow the providers'
hidden preferences), then ``zhuanjie train``'s use case runs once: fit on the referrals before
the held-out weeks, AUC of the learned model and of the packaged default on the held-out
weeks (the same pairs, the same providers' history). A second database of the same seed with
the outcomes before the held-out weeks shuffled is trained with the first model in use: the
AUC of that candidate beside the model in use, and whether it was (wrongly) promoted.
Prints the medians and the ratio learned / default.
"""

from __future__ import annotations

import argparse
import os
import platform as host
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))
os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"

from sqlmodel import Session  # noqa: E402

from zhuanjie.config import get_settings  # noqa: E402
from zhuanjie.db import get_engine, utc_now  # noqa: E402
from zhuanjie.demo.history import load_history  # noqa: E402
from zhuanjie.learning import active, service  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import MatchModel  # noqa: E402


def database() -> str:
    url = f"sqlite:///{tempfile.mkdtemp(prefix='zj-learn-')}/bench.db"
    upgrade(url)
    return url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=3)
    parser.add_argument("--needs", type=int, default=2500)
    args = parser.parse_args()
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
          f"Python {host.python_version()}")
    now = utc_now()
    cut = now - timedelta(weeks=get_settings().model_holdout_weeks)
    learned, default, worse, kept, seconds = [], [], [], [], []
    print("seed  referrals  train  held-out  AUC learned  AUC default  | shuffled: AUC  in use  "
          "promoted  train s")
    for seed in range(1, args.seeds + 1):
        url = database()
        with Session(get_engine(url), expire_on_commit=False) as s:
            h = load_history(s, seed=seed, scale=args.scale, needs=args.needs, now=now)
            t = time.perf_counter()
            done = service.train(s, now=now, trained_by="cli")
            seconds.append(time.perf_counter() - t)
            m = done.model
            good = active.promoted_row(s)
        learned.append(m.score)
        default.append(m.baseline_score)
        url2 = database()
        with Session(get_engine(url2), expire_on_commit=False) as s:
            load_history(s, seed=seed, scale=args.scale, needs=args.needs, now=now,
                         shuffled_before=cut)
            if good is not None:
                s.add(MatchModel(status="promoted", promoted_by="cli", promoted_at=now,
                                 scorer=good.scorer, affinity=good.affinity,
                                 fingerprint=good.fingerprint))
                s.commit()
            bad = service.train(s, now=now, trained_by="cli")
        worse.append(bad.model.score)
        kept.append(not bad.promoted)
        print(f"{seed:>4}  {h.referrals:>9}  {m.pairs:>5}  {m.holdout_pairs:>8}  "
              f"{m.score:>11.3f}  {m.baseline_score:>11.3f}  | {bad.model.score:>13.3f}  "
              f"{bad.model.baseline_score:>6.3f}  {str(bad.promoted):>8}  {seconds[-1]:>7.2f}")
    ml, md = statistics.median(learned), statistics.median(default)
    print(f"median held-out AUC: learned {ml:.3f}, default {md:.3f}, ratio {ml / md:.2f}; "
          f"shuffled-data candidate {statistics.median(worse):.3f}, kept out of use "
          f"{sum(kept)}/{len(kept)}; training median {statistics.median(seconds):.2f} s")
    return 0 if all(kept) and all(a > b for a, b in zip(learned, default, strict=True)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
