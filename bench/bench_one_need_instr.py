"""One need's ranking in CPU instructions: this checkout's engine against another checkout's.

    git worktree add /tmp/engine-base <commit>
    .venv/bin/python bench/bench_one_need_instr.py --base /tmp/engine-base --workload /tmp/wl

Wall-clock medians of a 0.3 ms call are noisy on a shared machine; instructions are not. Each
side runs once under ``valgrind --tool=callgrind`` (``PYTHONHASHSEED=0``), in a fresh process
importing ``matching`` from its own checkout: build the index over every offer of the workload,
rank ``--warm`` needs one call each (region tables built, reason strings cached, as on a
running server), then rank ``--calls`` other needs one call each. Only the measured calls are
counted: they run through ``itertools.starmap`` and callgrind collects only inside its C
``starmap_next`` (``--collect-atstart=no --toggle-collect=starmap_next``; nothing else in the
engine uses starmap). Instructions / ``--calls`` is one call's cost. Each side also prints a
digest of the measured calls' results (ids, exact scores, reasons): equal digests prove
identical output. Needs ``valgrind`` on the PATH and a Python whose symbols are not stripped.

``--wall R`` instead runs the same child without valgrind, R rounds alternating the sides'
order, and prints the median over rounds of each side's per-call wall-clock p50 (a cheap
cross-check: each round is a few seconds, not a 100,000-need batch).

``--paired R`` runs both sides at once, each in its own long-lived process (index built,
``--warm`` needs ranked), and hands them the same need in turn, the order rotating from need to
need, ``--calls`` needs, R rounds; each side's time for a need is its best of the R rounds.
Calls a millisecond apart see the same load, but a process itself is fast or slow by a few per
cent for its whole life (where its memory landed, which core it shares with what): two copies
of one commit, paired so, read anywhere from 0.95 to 1.08 on a shared 2-core VM. So the pairing
is repeated with ``--pairs P`` fresh sets of processes (started in rotating order) and the
figure is the median over the P sets of the median per-need ratio, printed with its range.
``--null`` adds a third process of this checkout beside the new one in every set: its ratio
to the new one is the noise floor of the same run, printed beside the real ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import platform as host
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
AS_OF = dt.date(2018, 3, 1)


def child(a) -> None:
    sys.path.insert(0, a.root)
    import matching
    assert os.path.dirname(os.path.abspath(matching.__file__)) == os.path.join(
        os.path.abspath(a.root), "matching"), matching.__file__
    from matching import OfferIndex, rank, read_needs, read_offers
    needs = read_needs(a.needs_file)
    index = OfferIndex(read_offers(os.path.join(a.workload, "offers.jsonl")))
    for n in needs[a.calls_max:a.calls_max + a.warm]:
        rank([n], index, as_of=AS_OF, top=10)
    h = hashlib.sha256()
    if a.serve:
        serve(needs, index, h)
        return
    if a.wall:
        lat = []
        for n in needs[:a.calls]:
            t = time.perf_counter()
            [r] = rank([n], index, as_of=AS_OF, top=10)
            lat.append(time.perf_counter() - t)
            h.update(repr([(x.offer_id, repr(x.score), x.reasons) for x in r.ranked]).encode())
        print(json.dumps({"digest": h.hexdigest()[:16], "p50_ms": 1000 * statistics.median(lat)}))
        return

    def one(n):
        return rank([n], index, as_of=AS_OF, top=10)

    # the measured calls: callgrind counts only inside starmap's C ``next``
    for [r] in itertools.starmap(one, ((n,) for n in needs[:a.calls])):
        h.update(repr([(x.offer_id, repr(x.score), x.reasons) for x in r.ranked]).encode())
    print(json.dumps({"digest": h.hexdigest()[:16]}))


def serve(needs, index, h) -> None:
    """``--paired``'s child: ranks the need whose number it reads and answers the call's
    nanoseconds; on "q", the digest of each need's first result."""
    from matching import rank
    seen = set()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "q":
            print(json.dumps({"digest": h.hexdigest()[:16]}), flush=True)
            return
        n = needs[int(line)]
        t = time.perf_counter_ns()
        [r] = rank([n], index, as_of=AS_OF, top=10)
        took = time.perf_counter_ns() - t
        if n.id not in seen:
            seen.add(n.id)
            h.update(repr([(x.offer_id, repr(x.score), x.reasons) for x in r.ranked]).encode())
        print(took, flush=True)


def paired(sides: dict[str, str], a) -> None:
    names = ["base", "new"] + (["null"] if a.null else [])
    roots = dict(sides, null=sides["new"])
    ratios: dict[str, list[float]] = {"new": [], "null": []}
    med: dict[str, list[float]] = {name: [] for name in names}
    digests: dict[str, set[str]] = {name: set() for name in names}
    for s in range(a.pairs):
        best = serve_round([names[(s + k) % len(names)] for k in range(len(names))],
                           roots, a, digests)
        for name in names:
            med[name].append(statistics.median(best[name]))
        ratios["new"].append(statistics.median(
            n / b for n, b in zip(best["new"], best["base"], strict=True)))
        if a.null:
            ratios["null"].append(statistics.median(
                n / b for n, b in zip(best["null"], best["new"], strict=True)))
        print(f"set {s + 1}: " + ", ".join(f"{k} {statistics.median(best[k]):.3f} ms"
                                           for k in names)
              + f"; new/base {ratios['new'][-1]:.3f}"
              + (f", null/new {ratios['null'][-1]:.3f}" if a.null else ""), flush=True)
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
          f"Python {host.python_version()}; load average {os.getloadavg()[0]:.1f}")

    def spread(v: list[float]) -> str:
        return f"{statistics.median(v):.3f} (range {min(v):.3f}-{max(v):.3f})"
    print(f"one need, {a.pairs} sets of processes, best of {a.paired} rounds, {a.calls} needs: "
          + ", ".join(f"{k} {statistics.median(v):.3f} ms" for k, v in med.items())
          + f"; new/base {spread(ratios['new'])}"
          + (f"; null/new {spread(ratios['null'])}" if a.null else "")
          + f"; digests { {k: sorted(v) for k, v in digests.items()} }")


def serve_round(order: list[str], roots: dict[str, str], a, digests) -> dict[str, list[float]]:
    """One set of fresh processes, started in ``order``; the need i goes to them in ``order``
    rotated by i and by the round, so no side is always first. Returns each side's best
    milliseconds per need."""
    procs = {}
    for name in order:
        cmd = [sys.executable, os.path.abspath(__file__), "--child", "--serve",
               "--root", roots[name], "--workload", a.workload, "--needs-file", a.needs_file,
               "--calls", str(a.calls), "--calls-max", str(a.calls), "--warm", str(a.warm)]
        procs[name] = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True, cwd=roots[name])
    for p in procs.values():
        assert p.stdout.readline().strip() == "ready"
    best = {name: [float("inf")] * a.calls for name in procs}
    for r in range(a.paired):
        for i in range(a.calls):
            for k in range(len(order)):
                name = order[(i + r + k) % len(order)]
                p = procs[name]
                p.stdin.write(f"{i}\n")
                p.stdin.flush()
                best[name][i] = min(best[name][i], int(p.stdout.readline()) / 1e6)
    for name, p in procs.items():
        p.stdin.write("q\n")
        p.stdin.flush()
        digests[name].add(json.loads(p.stdout.readline())["digest"])
        p.wait()
    return best


def instructions(root: str, a, calls: int) -> tuple[int, str]:
    out = os.path.join(a.tmp, f"cg.{os.getpid()}.{calls}")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
           "--collect-atstart=no", "--toggle-collect=starmap_next",
           sys.executable, os.path.abspath(__file__), "--child", "--root", root,
           "--workload", a.workload, "--needs-file", a.needs_file, "--calls", str(calls),
           "--calls-max", str(a.calls), "--warm", str(a.warm)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=root, env=env, check=True)
    os.unlink(out)
    m = re.search(r"Collected : (\d+)", r.stderr)
    return int(m.group(1)), json.loads(r.stdout.strip().splitlines()[-1])["digest"]


def wall(sides: dict[str, str], a) -> None:
    p50: dict[str, list[float]] = {"base": [], "new": []}
    digests = set()
    for i in range(a.wall):
        for name in (["base", "new"] if i % 2 == 0 else ["new", "base"]):
            cmd = [sys.executable, os.path.abspath(__file__), "--child", "--wall", "1",
                   "--root", sides[name], "--workload", a.workload, "--needs-file",
                   a.needs_file, "--calls", str(a.calls), "--calls-max", str(a.calls),
                   "--warm", str(a.warm)]
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=sides[name],
                               check=True)
            res = json.loads(r.stdout.strip().splitlines()[-1])
            p50[name].append(res["p50_ms"])
            digests.add((name, res["digest"]))
            print(f"round {i + 1} {name:4s}: one need p50 {res['p50_ms']:.3f} ms, "
                  f"digest {res['digest']}", flush=True)
    med = {k: statistics.median(v) for k, v in p50.items()}
    print(f"median p50 ms: base {med['base']:.3f}, new {med['new']:.3f}, new/base "
          f"{med['new'] / med['base']:.3f}; load average {os.getloadavg()[0]:.1f}; "
          f"digests {sorted(digests)}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", help="the other checkout (its matching/ is the baseline)")
    p.add_argument("--workload", help="folder with needs.jsonl/offers.jsonl")
    p.add_argument("--calls", type=int, default=200, help="needs measured, one call each")
    p.add_argument("--warm", type=int, default=400, help="needs ranked before, one call each")
    p.add_argument("--only", choices=("base", "new"), help="measure one side only")
    p.add_argument("--wall", type=int, default=0, metavar="R",
                   help="wall-clock p50 over R alternating rounds instead (no valgrind)")
    p.add_argument("--paired", type=int, default=0, metavar="R",
                   help="both sides at once, the same need to each in turn, R rounds")
    p.add_argument("--pairs", type=int, default=5, metavar="P",
                   help="--paired: fresh sets of processes; the ratio is their median")
    p.add_argument("--null", action="store_true",
                   help="--paired: also pair this checkout with itself (the noise floor)")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--root", help=argparse.SUPPRESS)
    p.add_argument("--needs-file", help=argparse.SUPPRESS)
    p.add_argument("--calls-max", type=int, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        child(a)
        return
    if not (a.workload and (a.base or a.only == "new")):
        p.error("--workload and --base are required")
    a.tmp = tempfile.mkdtemp(prefix="zj-instr-")
    # the needs read under valgrind: only those used (the offers are read in full)
    a.needs_file = os.path.join(a.tmp, "needs.jsonl")
    with open(os.path.join(a.workload, "needs.jsonl"), encoding="utf-8") as src, \
            open(a.needs_file, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= a.calls + a.warm:
                break
            dst.write(line)
    sides = {"base": os.path.abspath(a.base) if a.base else None, "new": ROOT}
    if a.paired:
        paired(sides, a)
        shutil.rmtree(a.tmp)
        return
    if a.wall:
        wall(sides, a)
        shutil.rmtree(a.tmp)
        return
    per = {}
    for name in ("base", "new"):
        if a.only and name != a.only:
            continue
        total, digest = instructions(sides[name], a, a.calls)
        per[name] = total / a.calls
        print(f"{name:4s}: {per[name] / 1e6:.3f} M instructions per call "
              f"({a.calls} calls after {a.warm}), digest {digest}", flush=True)
    if len(per) == 2:
        print(f"new/base {per['new'] / per['base']:.3f}")
    shutil.rmtree(a.tmp)


if __name__ == "__main__":
    main()
