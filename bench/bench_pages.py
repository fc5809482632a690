"""Page benchmark: requests/s and p50/p99 of the main pages at 10,000 offers, beside a bare
FastAPI route rendering a small Jinja2 page served the same way, with 1 and 4 processes, on
SQLite and PostgreSQL, in one run.

    .venv/bin/python bench/bench_pages.py                                   # everything
    .venv/bin/python bench/bench_pages.py --backend sqlite --workers 1 --seconds 5

Each configuration fills a throw-away database (bench_directory.fill: 10,000 offers of 200
organisations; bench_match_page.record_needs: 30 needs of a 白蒲镇 caseworker, with a token;
bench_board.fill: 2,000 published needs), starts `zhuanjie serve --workers N --no-scheduler
--no-access-log` and `uvicorn bare_app:app --workers N --no-access-log` as processes, warms
every page (each worker builds its own engine index on its first match request), then drives
each page with wrk (Debian's; 1 thread, 8 connections, `--seconds` each, paths rotated by a
Lua script) or, when wrk is missing, a closed-loop Python client with 8 threads (the report
says which), then once more with one connection (the latency a person sees). Beside the rates
it prints the server's CPU time per request (user + system time of the server's process group
during the run, from /proc; PostgreSQL's own processes not included), which a busy shared
machine distorts far less than rates and latencies.
"""

from __future__ import annotations

import argparse
import os
import platform as host
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))
os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"

import httpx  # noqa: E402
from bench_board import fill as fill_board  # noqa: E402
from bench_directory import PG_ADMIN  # noqa: E402
from bench_directory import fill as fill_offers  # noqa: E402
from bench_match_page import record_needs  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from zhuanjie.migrate import upgrade  # noqa: E402

BIN = Path(sys.executable).parent
CONNECTIONS = 8
MATCH_TARGET_MS = 25.0
SHARE_TARGET = 0.30


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A server process on a free port; stopped (its whole group) on exit."""

    def __init__(self, argv: list[str], env: dict, probe: str) -> None:
        self.port = free_port()
        self.argv = [a.replace("{port}", str(self.port)) for a in argv]
        self.env, self.probe = env, probe

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + self.probe, timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode()[-2000:])
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every live process in a process group (the server and its
    workers), from /proc: what a request costs the server, whatever else the machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group(0))
    if value.endswith("us"):
        return number / 1000
    if value.endswith("ms"):
        return number
    if value.endswith("m"):
        return number * 60_000
    return number * 1000  # seconds


def run_wrk(base: str, paths: list[str], seconds: int, token: str | None,
            connections: int = CONNECTIONS) -> dict:
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    quoted = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format(\"GET\", paths[i])\nend\n"
    )
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    if token:
        argv += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(argv + [base], capture_output=True, text=True,
                         timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {p: _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M)}
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat["50"], "p99": lat["99"], "bad": int(bad.group(1)) if bad else 0,
            "done": done}


def run_python(base: str, paths: list[str], seconds: int, token: str | None,
               connections: int = CONNECTIONS) -> dict:
    """Closed loop like wrk: `connections` threads, each sending its next request at once."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    times: list[float] = []
    bad = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def loop(offset: int) -> None:
        i = offset
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while time.monotonic() < stop:
                started = time.perf_counter()
                status = client.get(paths[i % len(paths)]).status_code
                took = (time.perf_counter() - started) * 1000
                with lock:
                    times.append(took)
                    bad[0] += status >= 400
                i += 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {"rps": len(times) / (time.monotonic() - started),
            "p50": statistics.median(times), "p99": times[int(0.99 * (len(times) - 1))],
            "bad": bad[0], "done": len(times)}


def pages(need_ids: list[int]) -> list[tuple[str, list[str], bool]]:
    """(label, paths rotated, signed in as the caseworker?)"""
    from urllib.parse import quote

    return [(label, [quote(p, safe="/?=&") for p in paths], signed)
            for label, paths, signed in _pages(need_ids)]


def _pages(need_ids: list[int]) -> list[tuple[str, list[str], bool]]:
    return [
        ("home (caseworker)", ["/"], True),
        ("directory", ["/directory", "/directory?q=助餐", "/directory?category=medical",
                       "/directory?region=南通市/如皋市/白蒲镇", "/directory?page=2",
                       "/directory?mode=service&kind=ngo", "/directory?q=老人&sort=newest",
                       "/directory?category=education&region=南通市/海门区"], False),
        ("board", ["/board", "/board?county=如皋市", "/board?category=medical",
                   "/board?sort=deadline", "/board?page=2", "/board?urgency=3"], False),
        ("need page", [f"/needs/{i}" for i in need_ids], True),
        ("match page", [f"/needs/{i}/matches" for i in need_ids], True),
        ("match API", [f"/api/v1/needs/{i}/matches" for i in need_ids], True),
    ]


def measure(url: str, label: str, workers: list[int], seconds: int, seed: int,
            offers: int, code: str | None = None,
            caches: tuple[str, ...] = ("on",)) -> list[tuple]:
    upgrade(url)
    fill_offers(url, offers, seed)
    fill_board(url, 2000, seed)  # first: it publishes every need already there
    need_ids, token = record_needs(url, 30, seed)
    env = dict(os.environ, ZHUANJIE_DATABASE_URL=url, ZHUANJIE_RUN_SCHEDULER="false")
    load = run_wrk if shutil.which("wrk") else run_python
    rows = []
    for n in workers:
        ours = [str(BIN / "zhuanjie"), "serve", "--port", "{port}", "--workers", str(n),
                "--no-scheduler", "--no-access-log"]
        if code:  # another checkout of the platform (its serve may lack --workers)
            env["PYTHONPATH"] = f"{code}/platform:{code}"
            ours = [str(BIN / "uvicorn"), "zhuanjie.main:create_app", "--factory", "--port",
                    "{port}", "--workers", str(n), "--no-access-log"]
        bare = [str(BIN / "uvicorn"), "bare_app:app", "--app-dir", str(ROOT / "bench"),
                "--port", "{port}", "--workers", str(n), "--no-access-log"]
        server = Process(bare, env, "/")
        with server as base:
            run_python(base, ["/"], 2, None)  # warm
            spent = server.cpu()
            bare_figures = load(base, ["/"], seconds, None)
            bare_figures["cpu"] = (server.cpu() - spent) * 1000 / max(bare_figures["done"], 1)
            bare_figures["serial"] = load(base, ["/"], max(2, seconds // 2), None, 1)["p50"]
        bare_figures["cpu_share"] = 1.0
        rows.append((label, n, "bare FastAPI + Jinja2 route", bare_figures, 1.0))
        print(_line(rows[-1]), flush=True)
        for cache in caches:
            served = dict(env, ZHUANJIE_PAGE_CACHE="1" if cache == "on" else "0")
            rows += _measure_ours(label, n, ours, served, cache, need_ids, token, seconds, load,
                                  bare_figures)
    return rows


def _measure_ours(label, n, ours, env, cache, need_ids, token, seconds, load,
                  bare_figures) -> list[tuple]:
    rows = []
    server = Process(ours, env, "/healthz")
    with server as base:
        for page, paths, signed in pages(need_ids):
            if cache == "off":
                page += " (page cache off)"
            # Warm every worker: engine index, exclusion tables, caches. Every path once in
            # turn first: a need's first ranking records its best score (a write), which
            # would otherwise land in the measured run.
            headers = {"Authorization": f"Bearer {token}"} if signed else {}
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                for _ in range(2):
                    for path in paths:
                        client.get(path)
            run_python(base, paths, 4 if "match" in page else 2, token if signed else None)
            spent = server.cpu()
            figures = load(base, paths, seconds, token if signed else None)
            figures["cpu"] = (server.cpu() - spent) * 1000 / max(figures["done"], 1)
            figures["cpu_share"] = bare_figures["cpu"] / max(figures["cpu"], 1e-9)
            # One request at a time: the latency a person sees, without queueing.
            figures["serial"] = load(base, paths, max(2, seconds // 2),
                                     token if signed else None, 1)["p50"]
            rows.append((label, n, page, figures, figures["rps"] / bare_figures["rps"]))
            print(_line(rows[-1]), flush=True)
    return rows


def _line(row) -> str:
    label, n, page, f, share = row
    return (f"| {label:<10} | {n} | {page:<27} | {f['rps']:>7.0f} | {f['p50']:>7.1f} | "
            f"{f['p99']:>7.1f} | {f['serial']:>7.1f} | {share * 100:>5.0f} % | "
            f"{f['cpu']:>6.2f} | {f['cpu_share'] * 100:>5.0f} % |"
            + (f" {f['bad']} errors" if f["bad"] else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--page-cache", choices=["on", "off", "both"], default="both",
                        help="serve with the page cache (ZHUANJIE_PAGE_CACHE) on, off or both "
                        "(rows marked 'page cache off')")
    parser.add_argument("--code", help="serve the platform from this checkout instead (the "
                        "database is still filled by this one): for before/after figures")
    args = parser.parse_args()
    tool = "wrk (1 thread, 8 connections)" if shutil.which("wrk") else \
        "Python closed-loop client (8 threads; wrk not installed)"
    load = os.getloadavg()
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, Python "
          f"{host.python_version()}, load average {load[0]:.1f}; load tool: {tool}; "
          f"{args.offers} offers, {args.seconds} s per row")
    print("| database | processes | page | req/s | p50 ms | p99 ms | p50 ms, 1 connection "
          "| req/s of bare | server CPU ms/request | bare's CPU/request ÷ this |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    rows: list[tuple] = []
    caches = ("on", "off") if args.page_cache == "both" else (args.page_cache,)
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="zj-pages-bench-"))
        rows += measure(f"sqlite:///{folder / 'bench.db'}", "SQLite", args.workers,
                        args.seconds, args.seed, args.offers, args.code, caches)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            rows += measure(PG_ADMIN.rsplit("/", 1)[0] + "/" + name, "PostgreSQL",
                            args.workers, args.seconds, args.seed, args.offers, args.code,
                            caches)
        finally:
            from zhuanjie.db import _engines

            for engine in _engines.values():
                engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print("\nTargets: match page median < 25 ms; each page >= 30 % of the bare route (1 process)")
    for label, n, page, f, share in rows:
        if page.startswith("match page"):
            verdict = "met" if f["serial"] < MATCH_TARGET_MS else "NOT met"
            print(f"  {label}, {n} process(es): match page median {f['serial']:.1f} ms one "
                  f"request at a time ({f['p50']:.1f} ms with {CONNECTIONS} connections): "
                  f"{verdict}")
        if page == "bare FastAPI + Jinja2 route" or "page cache off" in page or n != 1:
            continue  # the target is the platform as configured (page cache on)
        verdict = "met" if share >= SHARE_TARGET else "NOT met"
        print(f"  {label}, 1 process: {page} at {share * 100:.0f} % of bare by rate, "
              f"{f['cpu_share'] * 100:.0f} % by CPU per request: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
