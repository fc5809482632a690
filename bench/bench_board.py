"""Public board benchmark: 10,000 published needs, the real app under uvicorn on loopback,
driven by wrk (closed loop: the most it serves) and by a paced open-loop client at a fixed
rate (default 200 requests/second: the latency a visitor sees at that load).

    .venv/bin/python bench/bench_board.py                        # SQLite and PostgreSQL
    .venv/bin/python bench/bench_board.py --backend sqlite --needs 10000 --seconds 15

The request mix is what visitors do: the first page, a county, a category sorted by deadline,
a deeper page, a filtered amount range, and single needs. Baselines beside it: /healthz (the
floor: framework and one database round trip) and the same mix with the need_publications
indexes dropped. Target: 200 requests/second at a median under 50 ms.
PostgreSQL comes from ZHUANJIE_BENCH_PG_ADMIN_URL (default the test server); a throw-away
database is created and dropped. Everything runs on 127.0.0.1 and stops after --seconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform as host
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

import httpx  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie import codes, regions  # noqa: E402
from zhuanjie.db import make_engine, utc_now  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import (  # noqa: E402
    Consent,
    Household,
    Member,
    Need,
    NeedPublication,
    User,
)

PG_ADMIN = os.environ.get("ZHUANJIE_BENCH_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_RPS, TARGET_MS = 200, 50.0
GROUPS = ["低保", "特困", "低收入", "残疾人", "重病患者", "留守儿童", "留守老人"]
ILLS = ["尿毒症", "白血病", "脑梗后遗症", "肺癌", "糖尿病并发症", "先天性心脏病"]
BOARD_INDEXES = ("ix_need_publications_status", "ix_need_publications_region_path",
                 "ix_need_publications_category")


def fill(url: str, n: int, seed: int) -> None:
    """n published needs over every township, one household and consent each (rows direct)."""
    rng = random.Random(seed)
    towns = [t.path for t in regions.townships()]
    now, today = utc_now(), date.today()
    engine = make_engine(url)
    with Session(engine) as s:
        s.execute(insert(User), [{"username": "bench_cw", "display_name": "经办", "role":
                                  "caseworker", "password_hash": "x", "region_path": "南通市",
                                  "email": "", "email_kinds": [], "is_active": True,
                                  "created_at": now}])
        user_id = s.scalar(select(User.id))
        homes = [{"region_path": rng.choice(towns), "village": f"第{i % 40}村", "groups": [],
                  "status": "active", "notes": "", "created_at": now, "updated_at": now}
                 for i in range(n)]
        for c in range(0, n, 2000):
            s.execute(insert(Household), homes[c:c + 2000])
        hh = list(s.execute(select(Household.id, Household.region_path).order_by(Household.id)))
        members = [{"household_id": h, "name": f"成员{h}", "relation": "head", "is_head": True,
                    "id_last4": "", "sex": "", "disability": "", "illness": ""} for h, _ in hh]
        needs = []
        for h, path in hh:
            needs.append({"household_id": h, "region_path": path,
                          "category": rng.choice(list(codes.CATEGORIES)), "title": "求助",
                          "description": "", "urgency": rng.choice([1, 1, 2, 2, 3]),
                          "status": "open", "outcome_note": "", "created_by_id": user_id,
                          "created_at": now, "updated_at": now, "last_action_at": now})
        for c in range(0, n, 2000):
            s.execute(insert(Member), members[c:c + 2000])
            s.execute(insert(Need), needs[c:c + 2000])
        member_of = dict(s.execute(select(Member.household_id, Member.id)).all())
        need_rows = list(s.execute(select(Need.id, Need.household_id, Need.region_path,
                                          Need.category, Need.urgency).order_by(Need.id)))
        consents = [{"household_id": h, "member_id": member_of[h], "need_id": nid,
                     "purpose": "publication", "fields": ["need_text"], "given_at": now,
                     "valid_until": today + timedelta(days=365), "recorded_by_id": user_id}
                    for nid, h, *_ in need_rows]
        for c in range(0, n, 2000):
            s.execute(insert(Consent), consents[c:c + 2000])
        consent_of = dict(s.execute(select(Consent.need_id, Consent.id)).all())
        pubs = []
        for i, (nid, _h, path, category, urgency) in enumerate(need_rows):
            goal = Decimal(rng.choice([2000, 3000, 5000, 8000, 12000, 30000]))
            place = regions.short_name(path if i % 2 else path.rsplit("/", 1)[0])
            pubs.append({
                "need_id": nid, "consent_id": consent_of[nid],
                "title": f"{place}一户{rng.choice(GROUPS)}家庭的求助",
                "story": f"一户{rng.randint(1, 6)}口之家，家中有人患{rng.choice(ILLS)}，"
                         "医保报销后自付部分仍难以承担。" * rng.randint(1, 3),
                "region_path": path if i % 2 else path.rsplit("/", 1)[0],
                "category": category, "urgency": urgency, "amount_goal": goal,
                "goods_needed": "", "amount_pledged": goal * Decimal(rng.choice([0, 0, 1, 3])) / 4,
                "deadline_date": None if rng.random() < 0.3 else today + timedelta(
                    days=rng.randint(-20, 120)),
                "status": "published" if rng.random() < 0.95 else "taken_down",
                "takedown_reason": "", "published_by_id": user_id,
                "published_at": now - timedelta(minutes=i),
            })
        for c in range(0, n, 2000):
            s.execute(insert(NeedPublication), pubs[c:c + 2000])
        s.commit()
        s.execute(text("ANALYZE"))
        s.commit()
    engine.dispose()


def paths(n: int, seed: int, count: int = 400) -> list[str]:
    """What visitors ask for, in the proportions we expect."""
    rng = random.Random(seed + 7)
    counties = [c.name for c in regions.counties()]
    cats = list(codes.CATEGORIES)
    make = [
        lambda: "/board",
        lambda: f"/board?county={rng.choice(counties)}",
        lambda: f"/board?category={rng.choice(cats)}&sort=deadline",
        lambda: f"/board?county={rng.choice(counties)}&urgency=3&page={rng.randint(1, 3)}",
        lambda: f"/board?page={rng.randint(2, 50)}&sort=newest",
        lambda: "/board?amount_min=1000&amount_max=5000",
        lambda: f"/board/{rng.randint(1, n)}",
        lambda: f"/board/{rng.randint(1, n)}",
        lambda: f"/api/v1/board?county={rng.choice(counties)}",
    ]
    out = [rng.choice(make)() for _ in range(count)]
    return [httpx.URL(p).raw_path.decode() for p in out]  # percent-encoded for wrk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real app (`zhuanjie.main:create_app`) under uvicorn, in its own process."""

    def __init__(self, url: str, workers: int = 1, cache_seconds: float = 5) -> None:
        self.port = free_port()
        self.env = os.environ | {
            "ZHUANJIE_DATABASE_URL": url, "ZHUANJIE_RUN_SCHEDULER": "false",
            "ZHUANJIE_BOARD_CACHE_SECONDS": str(cache_seconds),
            "ZHUANJIE_VAR_DIR": tempfile.mkdtemp(prefix="bench-board-"),
            "PYTHONPATH": str(ROOT / "platform"),
        }
        self.cmd = [sys.executable, "-m", "uvicorn", "--factory", "zhuanjie.main:create_app",
                    "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
                    "--no-access-log", "--workers", str(workers)]

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=ROOT)
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.2)
        self.proc.kill()
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


def warm(base: str, urls: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        for u in urls[:60]:
            assert c.get(u).status_code in (200, 404), u


def run_wrk(base: str, urls: list[str], seconds: int, connections: int) -> dict | None:
    """wrk, closed loop: the most the server serves with `connections` open."""
    if not shutil.which("wrk"):
        return None
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    quoted = ",".join('"' + u.replace('"', '\\"') + '"' for u in urls)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        "  return wrk.format(\"GET\", paths[i])\nend\n"
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         base], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: _ms(v) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p90": lat.get("90"), "p99": lat.get("99"),
            "non2xx": int(errors.group(1)) if errors else 0}


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group(0))
    return number / 1000 if value.endswith("us") else number * 1000 if value.endswith(
        "s") and not value.endswith("ms") else number


def paced(base: str, urls: list[str], rate: int, seconds: int) -> dict:
    """Open loop at a fixed rate: latency measured from when each request was due."""
    total = rate * seconds
    latencies: list[float] = [0.0] * total
    failures = 0
    local = threading.local()
    port = int(base.rsplit(":", 1)[1])
    start = time.perf_counter() + 0.2

    def one(i: int) -> None:
        nonlocal failures
        conn = getattr(local, "conn", None)
        if conn is None:  # http.client: a light client, so the load tool is not the limit
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        due = start + i / rate
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        try:
            conn.request("GET", urls[i % len(urls)])
            response = conn.getresponse()
            response.read()
            ok = response.status in (200, 404)
        except OSError:
            local.conn, ok = None, False
        latencies[i] = (time.perf_counter() - due) * 1000
        if not ok:
            failures += 1

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"rps": total / elapsed, "p50": statistics.median(latencies), "p95": q[94],
            "p99": q[98], "failures": failures}


def drop_indexes(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for name in BOARD_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    engine.dispose()


def measure(url: str, label: str, args) -> list[tuple]:
    rows = []
    urls = paths(args.needs, args.seed)

    def both(base, mix):
        w = run_wrk(base, mix, args.seconds, args.connections)
        print(f"  {label}: wrk {w}", file=sys.stderr, flush=True)
        p = paced(base, mix, args.rate, args.seconds)
        print(f"  {label}: paced {p}", file=sys.stderr, flush=True)
        return w, p

    with Server(url, args.workers) as base:
        warm(base, urls)
        rows.append((label, "healthz (floor)", *both(base, ["/healthz"])))
        rows.append((label, "board mix", *both(base, urls)))
    with Server(url, args.workers, cache_seconds=0) as base:
        warm(base, urls)
        rows.append((label, "board mix, no cache", *both(base, urls)))
    drop_indexes(url)
    with Server(url, args.workers, cache_seconds=0) as base:
        warm(base, urls)
        rows.append((label, "no cache, no indexes", *both(base, urls)))
    return rows


def report(rows: list[tuple], args) -> None:
    print(f"\nmachine: {host.machine()} {os.cpu_count()} CPUs, {host.platform()}, "
          f"Python {host.python_version()}; uvicorn workers={args.workers}; "
          f"{args.needs} published needs")
    print(f"target: {TARGET_RPS} req/s at median < {TARGET_MS:.0f} ms\n")
    print(f"{'database':<11}{'what':<24}{'wrk c=' + str(args.connections):>12}"
          f"{'p50':>8}{'p90':>8}{'p99':>8} |{'paced req/s':>12}{'p50':>8}{'p95':>8}{'p99':>8}")
    for label, name, w, p in rows:
        wpart = (f"{w['rps']:>12.0f}{w['p50']:>8.1f}{w['p90']:>8.1f}{w['p99']:>8.1f}"
                 if w else f"{'(no wrk)':>12}{'':>24}")
        print(f"{label:<11}{name:<24}{wpart} |{p['rps']:>12.0f}{p['p50']:>8.1f}"
              f"{p['p95']:>8.1f}{p['p99']:>8.1f}"
              + (f"  failures={p['failures']}" if p["failures"] else ""))
    print("\nlatencies in ms. wrk: closed loop, the most served; paced: open loop at "
          f"{args.rate} req/s for {args.seconds} s, latency from when each request was due.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rate", type=int, default=TARGET_RPS)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = []
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="bench-board-db-"))
        url = f"sqlite:///{folder / 'board.db'}"
        upgrade(url)
        fill(url, args.needs, args.seed)
        rows += measure(url, "SQLite", args)
        shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            upgrade(url)
            fill(url, args.needs, args.seed)
            rows += measure(url, "PostgreSQL", args)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    report(rows, args)


if __name__ == "__main__":
    main()
