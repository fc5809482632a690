"""The engine of this checkout against the engine of another checkout, in one run, alternating.

    git worktree add /tmp/engine-base <commit>                  # the engine to compare with
    .venv/bin/python bench/bench_engine_ab.py --base /tmp/engine-base --workload /tmp/wl
    .venv/bin/python bench/bench_engine_ab.py --base /tmp/engine-base --needs 30000 --offers 5000

Each round runs both engines, each in a fresh process importing ``matching`` from its own
checkout, in alternating order (A B, then B A, …), on the same records: build the index, rank
every need (top 10, the default worker processes), then rank ``--latency`` needs one call each
against the built index (the match page's path). Each side also reports a digest of its full
results (ids, exact scores and reasons), so equal digests prove identical output. Prints the
median over rounds of each side and the ratio new / base.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
AS_OF = dt.date(2018, 3, 1)


def child(a) -> dict:
    sys.path.insert(0, a.root)
    import matching
    assert os.path.dirname(os.path.abspath(matching.__file__)) == os.path.join(
        os.path.abspath(a.root), "matching"), matching.__file__
    from matching import OfferIndex, rank, read_needs, read_offers
    needs = read_needs(os.path.join(a.workload, "needs.jsonl"))
    offers = read_offers(os.path.join(a.workload, "offers.jsonl"))
    t0 = time.perf_counter()
    index = OfferIndex(offers)
    t1 = time.perf_counter()
    out = rank(needs, index, as_of=AS_OF, top=10)
    t2 = time.perf_counter()
    h = hashlib.sha256()
    for r in out:
        h.update(repr((r.need_id, [(x.offer_id, repr(x.score), x.reasons)
                                   for x in r.ranked])).encode())
    del out
    lat = []
    h1 = hashlib.sha256()
    for n in needs[: a.latency]:
        t = time.perf_counter()
        [r] = rank([n], index, as_of=AS_OF, top=10)
        lat.append(time.perf_counter() - t)
        h1.update(repr([(x.offer_id, repr(x.score), x.reasons) for x in r.ranked]).encode())
    lat.sort()
    return {"build_s": t1 - t0, "rank_s": t2 - t1,
            "p50_ms": 1000 * lat[len(lat) // 2], "p90_ms": 1000 * lat[int(0.9 * (len(lat) - 1))],
            "mean_ms": 1000 * statistics.fmean(lat), "digest_bulk": h.hexdigest()[:16],
            "digest_one": h1.hexdigest()[:16]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", help="the other checkout (its matching/ is the baseline)")
    p.add_argument("--workload", help="folder with needs.jsonl/offers.jsonl (else generated)")
    p.add_argument("--needs", type=int, default=100_000)
    p.add_argument("--offers", type=int, default=10_000)
    p.add_argument("--seed", default="7")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--latency", type=int, default=2000, help="needs timed one call each")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--root", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(child(a)))
        return
    if not a.base:
        p.error("--base is required")
    if not a.workload:
        sys.path.insert(0, ROOT)
        from bench.workload import write
        a.workload = tempfile.mkdtemp(prefix="zj-ab-")
        write(a.workload, a.needs, a.offers, a.seed)
    sides = {"base": os.path.abspath(a.base), "new": ROOT}
    runs: dict[str, list[dict]] = {"base": [], "new": []}
    for i in range(a.rounds):
        order = ["base", "new"] if i % 2 == 0 else ["new", "base"]
        for name in order:
            cmd = [sys.executable, os.path.abspath(__file__), "--child", "--root", sides[name],
                   "--workload", a.workload, "--latency", str(a.latency)]
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=sides[name],
                               check=True)
            res = json.loads(r.stdout.strip().splitlines()[-1])
            runs[name].append(res)
            print(f"round {i + 1} {name:4s}: build {res['build_s']:.2f} s, rank all "
                  f"{res['rank_s']:.2f} s, one need p50 {res['p50_ms']:.3f} ms "
                  f"p90 {res['p90_ms']:.3f} ms, digests {res['digest_bulk']} "
                  f"{res['digest_one']}", flush=True)
    print(f"workload {a.workload}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'median':8s} {'build s':>8s} {'rank all s':>11s} {'p50 ms':>8s} {'p90 ms':>8s}")
    med = {}
    for name in ("base", "new"):
        med[name] = {k: statistics.median(r[k] for r in runs[name])
                     for k in ("build_s", "rank_s", "p50_ms", "p90_ms")}
        m = med[name]
        print(f"{name:8s} {m['build_s']:8.2f} {m['rank_s']:11.2f} {m['p50_ms']:8.3f} "
              f"{m['p90_ms']:8.3f}")
    print("new/base " + " ".join(f"{med['new'][k] / med['base'][k]:8.3f}"
                                 for k in ("build_s", "rank_s", "p50_ms", "p90_ms")))
    same = all(r["digest_bulk"] == runs["base"][0]["digest_bulk"]
               and r["digest_one"] == runs["base"][0]["digest_one"]
               for name in runs for r in runs[name])
    print("identical results: " + ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
