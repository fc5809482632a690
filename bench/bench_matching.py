"""Matching benchmark: our engine beside BM25 (rank_bm25 over jieba words) and a plain
char TF-IDF, each with the hard rules; plus allocation against greedy first-come.

    .venv/bin/python bench/bench_matching.py                       # 100,000 x 10,000, seed 7
    .venv/bin/python bench/bench_matching.py --needs 20000 --offers 5000 --repeat 3
    .venv/bin/python bench/bench_matching.py --workload /tmp/wl    # files from any generator

Every engine runs in its own process (peak memory = that process's max RSS, records loaded
included). Baselines that are too slow for the whole batch are timed on a sample of needs and
their full-batch time is extrapolated (marked "~").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
DEV = os.path.join(ROOT, "data", "match-dev")
AS_OF = dt.date(2018, 3, 1)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100.0 * (len(xs) - 1))))] * 1000.0


def _dev_ndcg(rank_ids) -> float:
    """nDCG@5 on the dev set; rank_ids(needs, offers) -> list of offer-id lists."""
    from matching import read_needs, read_offers
    from matching.evaluate import ndcg_at, read_labels
    needs = read_needs(os.path.join(DEV, "needs.jsonl"))
    offers = read_offers(os.path.join(DEV, "offers.jsonl"))
    labels = read_labels(os.path.join(DEV, "labels.jsonl"))
    got = rank_ids(needs, offers)
    vals = [ndcg_at(ids, labels[n.id]) for n, ids in zip(needs, got, strict=True)]
    return statistics.fmean(v for v in vals if v is not None)


def _load(wl):
    from matching import read_needs, read_offers
    t = time.perf_counter()
    needs = read_needs(os.path.join(wl, "needs.jsonl"))
    offers = read_offers(os.path.join(wl, "offers.jsonl"))
    return needs, offers, time.perf_counter() - t


# -- engines (each run in a child process) ---------------------------------------------------
def engine_ours(a) -> dict:
    from matching import OfferIndex, allocate, rank
    from matching.allocate import allocate_first_come
    needs, offers, t_load = _load(a.workload)
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        index = OfferIndex(offers)
        t1 = time.perf_counter()
        out = rank(needs, index, as_of=AS_OF, top=10)
        t2 = time.perf_counter()
        times.append((t1 - t0, t2 - t1, t2 - t0))
        assert len(out) == len(needs)
        del out
    build = statistics.median(x[0] for x in times)
    rank_s = statistics.median(x[1] for x in times)
    total = statistics.median(x[2] for x in times)
    lat = []
    for n in needs[: a.latency]:
        t = time.perf_counter()
        rank([n], index, as_of=AS_OF, top=10)
        lat.append(time.perf_counter() - t)
    res = {"engine": "ours", "load_s": t_load, "build_s": build, "rank_s": rank_s,
           "total_s": total, "needs_per_s": len(needs) / rank_s, "p50_ms": _pct(lat, 50),
           "p99_ms": _pct(lat, 99), "extrapolated": False, "runs": [x[2] for x in times]}
    res["dev_ndcg5"] = _dev_ndcg(lambda ns, os_: [[x.offer_id for x in r.ranked] for r in
                                                   rank(ns, os_, as_of=AS_OF, top=10)])
    sub = needs[: a.alloc_needs]
    t = time.perf_counter()
    al = allocate(sub, index, as_of=AS_OF)
    t_al = time.perf_counter() - t
    t = time.perf_counter()
    fc = allocate_first_come(sub, index, as_of=AS_OF)
    t_fc = time.perf_counter() - t
    res["alloc"] = {"needs": len(sub), "method": al.method, "objective": al.objective,
                    "total_score": al.total_score(), "assigned": len(al.assignments),
                    "left_without": len(al.unassigned), "seconds": t_al,
                    "fc_objective": fc.objective, "fc_total_score": fc.total_score(),
                    "fc_assigned": len(fc.assignments), "fc_left_without": len(fc.unassigned),
                    "fc_seconds": t_fc}
    res["peak_mb"] = _rss_mb()
    return res


def _rules_filter(need, offers, order, k=10):
    from matching import admissible
    out = []
    for j in order:
        if admissible(need, offers[j], AS_OF):
            out.append(j)
            if len(out) == k:
                break
    return out


def engine_bm25(a) -> dict:
    import logging

    import jieba
    import numpy as np
    from rank_bm25 import BM25Okapi
    jieba.setLogLevel(logging.WARNING)
    from matching.features import need_text, offer_text

    def tok(s):
        return [w for w in jieba.lcut(s) if w.strip() and not _punct(w)]

    def ranker(needs, offers):
        bm = BM25Okapi([tok(offer_text(o)) for o in offers])
        return bm, [[offers[j].id for j in _rules_filter(
            n, offers, np.argsort(-bm.get_scores(tok(need_text(n))), kind="stable"))]
            for n in needs]

    dev = _dev_ndcg(lambda ns, os_: ranker(ns, os_)[1])
    needs, offers, t_load = _load(a.workload)
    t0 = time.perf_counter()
    bm = BM25Okapi([tok(offer_text(o)) for o in offers])
    build = time.perf_counter() - t0
    sample = needs[: a.sample]
    lat = []
    for n in sample:
        t = time.perf_counter()
        _rules_filter(n, offers, np.argsort(-bm.get_scores(tok(need_text(n))), kind="stable"))
        lat.append(time.perf_counter() - t)
    per = statistics.fmean(lat)
    return {"engine": "bm25+rules", "load_s": t_load, "build_s": build,
            "rank_s": per * len(needs), "total_s": build + per * len(needs),
            "needs_per_s": 1.0 / per, "p50_ms": _pct(lat, 50), "p99_ms": _pct(lat, 99),
            "extrapolated": len(sample) < len(needs), "sample": len(sample),
            "dev_ndcg5": dev, "peak_mb": _rss_mb()}


def _punct(w: str) -> bool:
    return all(not ("\u4e00" <= c <= "\u9fff" or c.isalnum()) for c in w)


class _PlainTfidf:
    """Char 1-2-gram TF-IDF (scikit-learn) with the five rules as vectorised masks."""

    def __init__(self, offers):
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        from matching.features import group_bits, offer_text
        self.offers = offers
        self.vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                   dtype=np.float32)
        self.O = self.vec.fit_transform([offer_text(o) for o in offers]).T.tocsr()
        big = 1e9
        self.gb = np.array([group_bits(o.eligible_groups) for o in offers])
        self.amin = np.array([-1 if o.age_min is None else o.age_min for o in offers])
        self.amax = np.array([big if o.age_max is None else o.age_max for o in offers])
        self.ceil = np.array([big if o.income_ceiling is None else o.income_ceiling
                              for o in offers])
        day = AS_OF.toordinal()
        self.static = np.array([
            (o.capacity_remaining is None or o.capacity_remaining > 0)
            and (o.valid_from is None or o.valid_from.toordinal() <= day)
            and (o.valid_until is None or o.valid_until.toordinal() >= day) for o in offers])
        self.cov_paths = [tuple(o.coverage) for o in offers]
        self.cov_cache = {}       # region -> offers covering it (computed once per region)

    def rank(self, needs, k=10):
        import numpy as np

        from matching.features import group_bits, need_text
        from matching.regions import covers
        S = (self.vec.transform([need_text(n) for n in needs]) @ self.O).toarray()
        cache = self.cov_cache
        for n in needs:
            if n.region not in cache:
                cache[n.region] = np.array([any(covers(c, n.region) for c in cp)
                                            for cp in self.cov_paths])
        cov = np.array([cache[n.region] for n in needs])
        nb = np.array([group_bits(n.groups) for n in needs])[:, None]
        age = np.array([-1 if n.beneficiary_age is None else n.beneficiary_age
                        for n in needs])[:, None]
        inc = np.array([-1 if n.income_per_capita is None else n.income_per_capita
                        for n in needs])[:, None]
        ok = cov & self.static & ((self.gb == 0) | ((nb & self.gb) != 0))
        ok &= (age < 0) | ((age >= self.amin) & (age <= self.amax))
        ok &= (inc < 0) | (inc <= self.ceil)
        S[~ok] = -np.inf
        kk = min(k, S.shape[1])
        idx = np.argpartition(-S, kk - 1, axis=1)[:, :kk]
        out = []
        for i in range(len(needs)):
            row = [j for j in idx[i][np.argsort(-S[i, idx[i]])] if np.isfinite(S[i, j])]
            out.append(row)
        return out


def engine_tfidf(a) -> dict:
    dev = _dev_ndcg(lambda ns, os_: [[os_[j].id for j in r] for r in _PlainTfidf(os_).rank(ns)])
    needs, offers, t_load = _load(a.workload)
    t0 = time.perf_counter()
    eng = _PlainTfidf(offers)
    build = time.perf_counter() - t0
    sample = needs[: a.tfidf_sample]
    t = time.perf_counter()
    for s in range(0, len(sample), 1000):
        eng.rank(sample[s:s + 1000])
    per = (time.perf_counter() - t) / len(sample)
    lat = []
    for n in needs[: a.latency]:
        t = time.perf_counter()
        eng.rank([n])
        lat.append(time.perf_counter() - t)
    return {"engine": "tfidf+rules", "load_s": t_load, "build_s": build,
            "rank_s": per * len(needs), "total_s": build + per * len(needs),
            "needs_per_s": 1.0 / per, "p50_ms": _pct(lat, 50), "p99_ms": _pct(lat, 99),
            "extrapolated": len(sample) < len(needs), "sample": len(sample),
            "dev_ndcg5": dev, "peak_mb": _rss_mb()}


def spec_command(a) -> dict:
    out = os.path.join(tempfile.mkdtemp(), "ranked.jsonl")
    runs = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "matching", "rank",
                        "--needs", os.path.join(a.workload, "needs.jsonl"),
                        "--offers", os.path.join(a.workload, "offers.jsonl"),
                        "--as-of", AS_OF.isoformat(), "--top", "10", "--out", out],
                       cwd=ROOT, check=True)
        runs.append(time.perf_counter() - t)
    return {"wall_s": statistics.median(runs), "runs": runs}


ENGINES = {"ours": engine_ours, "bm25": engine_bm25, "tfidf": engine_tfidf}


def machine() -> str:
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--needs", type=int, default=100_000)
    p.add_argument("--offers", type=int, default=10_000)
    p.add_argument("--seed", default="7")
    p.add_argument("--workload", help="folder with needs.jsonl/offers.jsonl (else generated "
                                      "with bench/workload.py)")
    p.add_argument("--repeat", type=int, default=1, help="runs of the full batch (median)")
    p.add_argument("--latency", type=int, default=300, help="needs timed one at a time")
    p.add_argument("--sample", type=int, default=300, help="needs timed for BM25")
    p.add_argument("--tfidf-sample", type=int, default=5000, help="needs timed for TF-IDF")
    p.add_argument("--alloc-needs", type=int, default=5000)
    p.add_argument("--engines", default="ours,bm25,tfidf")
    p.add_argument("--engine", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.engine:
        print(json.dumps(ENGINES[a.engine](a)))
        return
    if not a.workload:
        from bench.workload import write  # noqa: PLC0415 - only when generating
        a.workload = tempfile.mkdtemp(prefix="zj-bench-")
        write(a.workload, a.needs, a.offers, a.seed)
        src = f"bench/workload.py seed {a.seed}"
    else:
        src = a.workload
    with open(os.path.join(a.workload, "needs.jsonl"), encoding="utf-8") as f:
        n_needs = sum(1 for _ in f)
    with open(os.path.join(a.workload, "offers.jsonl"), encoding="utf-8") as f:
        n_offers = sum(1 for _ in f)
    print(f"machine: {machine()}")
    print(f"workload: {n_needs} needs x {n_offers} offers ({src}), top 10, as_of {AS_OF}")
    results = []
    for name in a.engines.split(","):
        cmd = [sys.executable, __file__, "--engine", name, "--workload", a.workload,
               "--repeat", str(a.repeat), "--latency", str(a.latency), "--sample",
               str(a.sample), "--tfidf-sample", str(a.tfidf_sample), "--alloc-needs",
               str(a.alloc_needs)]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if r.returncode:
            print(f"{name}: failed\n{r.stderr[-2000:]}")
            continue
        results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    hdr = (f"{'engine':12s} {'build s':>8s} {'rank all s':>11s} {'needs/s':>9s} "
           f"{'p50 ms':>7s} {'p99 ms':>7s} {'peak MB':>8s} {'dev nDCG@5':>10s}")
    print(hdr)
    print("-" * len(hdr))
    for r in results:
        mark = "~" if r.get("extrapolated") else " "
        print(f"{r['engine']:12s} {r['build_s']:8.2f} {mark}{r['rank_s']:10.1f} "
              f"{r['needs_per_s']:9.0f} {r['p50_ms']:7.2f} {r['p99_ms']:7.2f} "
              f"{r['peak_mb']:8.0f} {r['dev_ndcg5']:10.3f}")
    ours = next((r for r in results if r["engine"] == "ours"), None)
    if ours:
        print(f"ours: records loaded in {ours['load_s']:.1f} s (not in the table); build+rank "
              f"runs {', '.join(f'{x:.1f}' for x in ours['runs'])} s (median "
              f"{ours['total_s']:.1f} s)")
        for r in results:
            if r is not ours:
                note = f" (extrapolated from {r['sample']} needs)" if r.get("extrapolated") else ""
                print(f"ratio vs {r['engine']}: {r['rank_s'] / ours['rank_s']:.1f}x faster "
                      f"batch{note}, {r['p50_ms'] / ours['p50_ms']:.1f}x lower p50 latency, "
                      f"nDCG@5 {ours['dev_ndcg5']:.3f} vs {r['dev_ndcg5']:.3f}")
        al = ours["alloc"]
        gain = 100.0 * (al["objective"] / al["fc_objective"] - 1) if al["fc_objective"] else 0
        print(f"allocate ({al['needs']} needs, {al['method']}): total score "
              f"{al['total_score']:.1f}, priority-weighted {al['objective']:.1f}, assigned "
              f"{al['assigned']}, left without {al['left_without']}, {al['seconds']:.1f} s")
        print(f"greedy first-come: total score {al['fc_total_score']:.1f}, priority-weighted "
              f"{al['fc_objective']:.1f}, assigned {al['fc_assigned']}, left without "
              f"{al['fc_left_without']}  -> allocate +{gain:.1f}% weighted objective")
    if "ours" in a.engines.split(","):
        sc = spec_command(a)
        print(f"spec command (read + rank + write --out): {sc['wall_s']:.1f} s wall "
              f"(runs {', '.join(f'{x:.1f}' for x in sc['runs'])})")


if __name__ == "__main__":
    main()
