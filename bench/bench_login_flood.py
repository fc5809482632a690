"""Login flood: another user's page latency while wrong passwords for one account pour in.

    .venv/bin/python bench/bench_login_flood.py                          # SQLite
    .venv/bin/python bench/bench_login_flood.py --backend postgresql --threads 4 --requests 300

A live `zhuanjie serve` (its own process, scheduler off) on a throw-away database with two
accounts. A signed-in reader fetches a page (`--path`, default the caseworker's household list)
`--requests` times, one after another: first with nothing else going on, then while
`--threads` threads post wrong passwords for the other account to `POST /login` as fast as the
server answers. Two floods:

- **throttled** (the default settings): after 5 failures the account is locked and the flood
  is answered 429 without an Argon2 verification; after 20 the address is too.
- **unthrottled** (limits set to 10^9): every attempt costs one Argon2 verification, so this
  shows that the sign-in route keeps Argon2 off the event loop (a sync route in the thread
  pool): the reader's page keeps answering, slowed only by the CPU the hashes take.

Prints the page's p50/p99 in each case, the flood's attempts per second and answers, and the
machine.
"""

from __future__ import annotations

import argparse
import collections
import os
import platform as host
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))
os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"

import httpx  # noqa: E402
from sqlalchemy import create_engine, delete, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie.auth.passwords import hash_password  # noqa: E402
from zhuanjie.db import get_engine  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import LoginThrottle, User  # noqa: E402

PG_ADMIN = os.environ.get(
    "ZHUANJIE_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "Bench-pass-2026"
TOWN = "南通市/如皋市/白蒲镇"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> None:
    upgrade(url)
    digest = hash_password(PASSWORD)
    with Session(get_engine(url)) as s:
        for username in ("reader", "victim"):
            s.add(User(username=username, display_name=username, role="caseworker",
                       region_path=TOWN, password_hash=digest))
        s.commit()
    get_engine(url).dispose()


class Serve:
    """`zhuanjie serve` in a process of its own, on `url`, with extra settings."""

    def __init__(self, url: str, extra_env: dict[str, str]) -> None:
        self.port = _free_port()
        env = dict(os.environ, ZHUANJIE_DATABASE_URL=url, **extra_env)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zhuanjie.cli", "serve", "--port", str(self.port),
             "--no-scheduler"],
            env=env, stdout=subprocess.DEVNULL, stderr=self.log, cwd=ROOT,
        )

    def __enter__(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("the server did not start:\n" + self._log())

    def _log(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __exit__(self, exc_type, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if exc_type is not None:
            print("server log:\n" + self._log()[-4000:], file=sys.stderr)
        self.log.close()


def _percentile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def signed_in_reader(base: str) -> httpx.Client:
    """The reader signs in before any flood (the flood may lock the shared loopback address)."""
    reader = httpx.Client(base_url=base, timeout=60, headers={"Origin": base})
    signed = reader.post("/login", data={"username": "reader", "password": PASSWORD})
    assert signed.status_code == 303, signed.text[:300]
    return reader


def read_page(reader: httpx.Client, path: str, requests: int) -> list[float]:
    assert reader.get(path).status_code == 200
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = reader.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(times)


def flood(base: str, threads: int, stop: threading.Event, answers: collections.Counter,
          lock: threading.Lock) -> list[threading.Thread]:
    def attack(n: int) -> None:
        with httpx.Client(base_url=base, timeout=60, headers={"Origin": base}) as client:
            i = 0
            while not stop.is_set():
                i += 1
                response = client.post(
                    "/login", data={"username": "victim", "password": f"wrong-{n}-{i}"}
                )
                with lock:
                    answers[response.status_code] += 1

    workers = [threading.Thread(target=attack, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    return workers


def forget_failures(url: str) -> None:
    """Each scenario starts with no failures counted and nothing locked."""
    with get_engine(url).begin() as conn:
        conn.execute(delete(LoginThrottle))
    get_engine(url).dispose()


def scenario(url: str, label: str, extra_env: dict[str, str], args) -> dict[str, float]:
    forget_failures(url)
    with Serve(url, extra_env) as base, closing(signed_in_reader(base)) as reader:
        quiet = read_page(reader, args.path, args.requests)
        stop, answers, lock = threading.Event(), collections.Counter(), threading.Lock()
        workers = flood(base, args.threads, stop, answers, lock)
        time.sleep(1.0)  # let the flood get going
        started, before = time.perf_counter(), sum(answers.values())
        loud = read_page(reader, args.path, args.requests)
        elapsed, attempts = time.perf_counter() - started, sum(answers.values()) - before
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
    row = {
        "quiet_p50": statistics.median(quiet),
        "quiet_p99": _percentile(quiet, 0.99),
        "flood_p50": statistics.median(loud),
        "flood_p99": _percentile(loud, 0.99),
        "rate": attempts / elapsed,
    }
    shown = ", ".join(f"{code}: {n}" for code, n in sorted(answers.items()))
    print(
        f"{label:<34}{row['quiet_p50']:>9.1f}{row['quiet_p99']:>9.1f}"
        f"{row['flood_p50']:>10.1f}{row['flood_p99']:>10.1f}{row['rate']:>12.1f}   ({shown})"
    )
    return row


def run(url: str, backend: str, args) -> None:
    print(f"\n{backend}: GET {args.path} as another user, {args.requests} requests each; "
          f"flood: {args.threads} threads of wrong passwords for one account")
    print(f"{'':<34}{'quiet p50':>9}{'p99':>9}{'flood p50':>10}{'p99':>10}{'attempts/s':>12}")
    prepare(url)
    scenario(url, "throttled (default settings)", {}, args)
    unthrottled = {
        "ZHUANJIE_LOGIN_MAX_FAILURES": "1000000000",
        "ZHUANJIE_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000000",
    }
    scenario(url, "unthrottled (Argon2 every attempt)", unthrottled, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", default="/households")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
        f"Python {host.python_version()}, load average {load:.1f} at start"
    )
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="zj-flood-bench-"))
        run(f"sqlite:///{folder / 'bench.db'}", "SQLite", args)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            run(url, "PostgreSQL", args)
        finally:
            get_engine(url).dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    sys.exit(main())
