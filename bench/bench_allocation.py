"""统筹分配 benchmark: POST /api/v1/allocation/runs over real HTTP, 2,000 open needs and an
offer with 50 places, on SQLite and PostgreSQL, beside first-come on the same needs and places.

    .venv/bin/python bench/bench_allocation.py                      # both databases
    .venv/bin/python bench/bench_allocation.py --backend sqlite --needs 2000 --places 50 --repeat 10

The catalogue comes from bench_directory.fill (the engine's index is fitted on it, as in the
city); the 2,000 medical needs of 如皋市 (five townships, groups and urgency drawn with a seed)
are written as rows. The first request builds the per-process index ("cold"); the target is
the warm median under 3 s. The quality figures are the run's own: places used, the share of
急难 / 特困 among those served against their share of the pool, and the total and
priority-weighted scores against `allocate_first_come` (needs in created_at order take the
place while one is left), which the run computes on the same needs and places.
"""

from __future__ import annotations

import argparse
import os
import platform as host
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))
os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from bench_directory import PG_ADMIN, fill  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from zhuanjie import regions  # noqa: E402
from zhuanjie.auth import service as auth  # noqa: E402
from zhuanjie.auth.passwords import hash_password  # noqa: E402
from zhuanjie.db import get_engine, get_session, utc_now  # noqa: E402
from zhuanjie.main import create_app  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import (  # noqa: E402
    Household,
    Member,
    Need,
    Offer,
    OfferCategory,
    OfferRegion,
    Organisation,
    User,
)

TARGET_S = 3.0
COUNTY = "南通市/如皋市"
TEXTS = [
    ("尿毒症透析费用负担重", "户主患尿毒症，每周透析三次，医保报销后自付部分难以承担。"),
    ("癌症化疗自付费用高", "妻子确诊乳腺癌，正在化疗，自付药费和检查费负担很重。"),
    ("慢性病长期服药", "老人患高血压和糖尿病，需要长期服药，药费难以承担。"),
    ("住院手术费用缺口", "孩子需要做心脏手术，医保报销后仍有较大缺口。"),
    ("精神疾病门诊治疗", "家中一人患精神分裂症，需要长期门诊治疗和服药。"),
    ("白血病化疗自付费用", "女儿确诊急性白血病，医保报销后自付部分已借债数万元。"),
]
GROUPS = [["tekun"]] * 4 + [["dibao"]] * 30 + [["low_income"]] * 56 + [["dibao", "disabled"]] * 10


def world(url: str, n: int, places: int, seed: int) -> tuple[int, str]:
    """The supervisor of 如皋市, an offer with `places` places and `n` open needs; returns
    the offer's id and the supervisor's token."""
    rng = random.Random(seed)
    towns = [t.path for t in regions.townships(COUNTY)][:5]
    with Session(get_engine(url), expire_on_commit=False) as s:
        boss = User(username="bench_supervisor", display_name="测试", role="supervisor",
                    region_path=COUNTY, password_hash=hash_password("bench-pass-1"))
        org = Organisation(name="如皋市慈善会（测试）", kind="ngo", status="verified")
        s.add_all([boss, org])
        s.flush()
        offer = Offer(organisation_id=org.id, title="大病医疗救助（限50人）",
                      description="对尿毒症、癌症、白血病等重病患者的自付医疗费用给予救助",
                      mode="cash", status="published", capacity=places)
        s.add(offer)
        s.flush()
        s.add_all([OfferCategory(offer_id=offer.id, category="medical"),
                   OfferRegion(offer_id=offer.id, region_path=COUNTY)])
        start = utc_now() - timedelta(days=300)
        homes = [Household(region_path=towns[i % len(towns)], village="新华村",
                           groups=rng.choice(GROUPS), income_per_capita=rng.randint(300, 1200),
                           created_by_id=boss.id) for i in range(n)]
        s.add_all(homes)
        s.flush()
        s.add_all([Member(household_id=h.id, name="王某", is_head=True) for h in homes])
        for i, h in enumerate(homes):
            title, story = rng.choice(TEXTS)
            at = start + timedelta(minutes=200 * i)
            s.add(Need(household_id=h.id, region_path=h.region_path, category="medical",
                       title=title, description=story,
                       urgency=rng.choices([1, 2, 3], weights=[70, 25, 5])[0],
                       created_by_id=boss.id, created_at=at, updated_at=at, last_action_at=at))
        s.commit()
        return offer.id, auth.issue_token(s, user=boss)


class Server:
    """The real app on a free loopback port, in a thread (sessions that may write)."""

    def __init__(self, url: str) -> None:
        app = create_app()

        def session():
            with Session(get_engine(url), expire_on_commit=False) as s:
                yield s

        app.dependency_overrides[get_session] = session
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _served_share(url: str, need_ids: list[int]) -> tuple[float, int]:
    """Share of 急难 or 特困 needs among `need_ids`, and how many there are in the pool."""
    with Session(get_engine(url)) as s:
        rows = s.exec(select(Need.id, Need.urgency, Household.groups)
                      .join(Household, Household.id == Need.household_id)).all()
    first = {i for i, u, g in rows if u == 3 or "tekun" in g}
    share = sum(1 for i in need_ids if i in first) / max(len(need_ids), 1)
    return share, len(first)


def run(url: str, label: str, n: int, places: int, n_offers: int, repeat: int, seed: int):
    upgrade(url)
    fill(url, n_offers, seed)
    offer_id, token = world(url, n, places, seed)
    body = {"region_path": COUNTY, "offer_id": offer_id}
    with Server(url) as base, httpx.Client(base_url=base, timeout=300, headers={
            "Authorization": f"Bearer {token}"}) as client:
        started = time.perf_counter()
        first = client.post("/api/v1/allocation/runs", json=body)
        cold = time.perf_counter() - started
        assert first.status_code == 201, first.text[:300]
        times, inside = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = client.post("/api/v1/allocation/runs", json=body)
            times.append(time.perf_counter() - started)
            assert answer.status_code == 201, answer.text[:300]
            inside.append(answer.json()["seconds"])
        result = answer.json()
    given = [a["need_id"] for a in result["assignments"]]
    share, pool_first = _served_share(url, given)
    warm = statistics.median(times)
    print(f"\n{label}: POST /api/v1/allocation/runs, {result['needs_count']} open needs, "
          f"{result['places']} places, {n_offers} offers in the index, {repeat} requests")
    print(f"{'':<34}{'median s':>9}{'p95 s':>8}")
    print(f"{'ours (warm index), whole request':<34}{warm:>9.2f}"
          f"{sorted(times)[int(0.95 * (len(times) - 1))]:>8.2f}")
    print(f"{'  of which the run itself':<34}{statistics.median(inside):>9.2f}")
    print(f"{'ours, first request (cold index)':<34}{cold:>9.2f}")
    print(f"places used: {len(given)} of {result['places']} (never more); method "
          f"{result['method']}")
    print(f"急难/特困 among the {len(given)} served: {share:.0%} (in the pool: {pool_first} of "
          f"{result['needs_count']}, {pool_first / result['needs_count']:.0%})")
    print(f"{'':<22}{'ours':>9}{'first-come':>12}{'ratio':>8}")
    for name, ours, fc in (("total score", result["total_score"], result["first_come_score"]),
                           ("priority-weighted", result["objective"],
                            result["first_come_objective"])):
        print(f"{name:<22}{ours:>9.2f}{fc:>12.2f}{ours / fc if fc else float('inf'):>8.2f}")
    print(f"warm median {warm:.2f} s vs target {TARGET_S:.0f} s: "
          f"{'OK' if warm < TARGET_S else 'OVER TARGET'}")
    return warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--needs", type=int, default=2000)
    parser.add_argument("--places", type=int, default=50)
    parser.add_argument("--offers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}, Python {host.python_version()}")
    worst = 0.0
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="zj-alloc-bench-"))
        worst = max(worst, run(f"sqlite:///{folder / 'bench.db'}", "SQLite", args.needs,
                               args.places, args.offers, args.repeat, args.seed))
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            worst = max(worst, run(url, "PostgreSQL", args.needs, args.places, args.offers,
                                   args.repeat, args.seed))
        finally:
            get_engine(url).dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
