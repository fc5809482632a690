"""Directory search benchmark: 10,000 offers, the directory's own query path, SQLite and
PostgreSQL, beside the naive baseline (load every published offer and its links into Python
per request, then filter and sort there).

    .venv/bin/python bench/bench_directory.py                         # both databases
    .venv/bin/python bench/bench_directory.py --backend sqlite --offers 10000 --repeat 300

PostgreSQL comes from ZHUANJIE_BENCH_PG_ADMIN_URL (default the test server,
postgresql+psycopg://postgres@127.0.0.1:5432/test); a throw-away database is created and
dropped. Each timed call opens its own session, as a request does, and asks for page 1 of 20.
Target: median under 100 ms for every query kind.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie import codes, regions  # noqa: E402
from zhuanjie.db import make_engine, utc_now  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import (  # noqa: E402
    Offer,
    OfferCategory,
    OfferGroup,
    OfferRegion,
    Organisation,
)
from zhuanjie.offers import directory  # noqa: E402
from zhuanjie.offers.schemas import DirectoryQuery  # noqa: E402

PG_ADMIN = os.environ.get("ZHUANJIE_BENCH_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_MS = 100.0
WHAT = ["助学", "助医", "康复", "助餐", "陪伴", "心理", "法律", "就业", "培训", "慰问", "助浴",
        "临时救助", "大病", "护理", "危房改造", "被褥", "米面油", "助听器", "轮椅", "夏令营"]
WHO = ["困境儿童", "留守老人", "残疾人", "低保家庭", "重病患者", "独居老人", "受灾群众",
       "低收入家庭", "特困人员", "单亲家庭"]
HOW = ["项目", "计划", "行动", "服务", "基金", "专项", "关爱工程"]


def fill(url: str, n_offers: int, seed: int) -> None:
    """A believable catalogue: 200 organisations, n offers, 1-3 categories, mixed coverage."""
    rng = random.Random(seed)
    counties = [c.path for c in regions.counties()]
    towns = [t.path for t in regions.townships()]
    today, now = date.today(), utc_now()
    engine = make_engine(url)
    with Session(engine) as s:
        kinds = list(codes.ORG_KINDS)
        s.execute(insert(Organisation), [
            {"name": f"南通{rng.choice(WHO)}服务中心{i}", "kind": rng.choice(kinds),
             "status": "verified" if rng.random() < 0.9 else "pending", "status_reason": "",
             "description": "", "created_at": now, "updated_at": now, "is_person": False}
            for i in range(200)
        ])
        org_ids = list(s.scalars(select(Organisation.id).order_by(Organisation.id)))
        offers = []
        for i in range(n_offers):
            what, who = rng.choice(WHAT), rng.choice(WHO)
            start = today - timedelta(days=rng.randint(0, 400))
            offers.append({
                "organisation_id": rng.choice(org_ids),
                "title": f"{who}{what}{rng.choice(HOW)}{i}",
                "description": f"为{rng.choice(WHO)}提供{what}、{rng.choice(WHAT)}等帮扶，"
                               f"由社工上门评估后安排{rng.choice(WHAT)}。" * rng.randint(1, 4),
                "mode": rng.choice(list(codes.OFFER_MODES)),
                "status": "published" if rng.random() < 0.85 else rng.choice(
                    ["draft", "paused", "closed"]),
                "is_programme": False, "rules": {},
                "capacity": rng.choice([None, 5, 20, 100]), "places_taken": 0,
                "valid_from": start,
                "valid_until": None if rng.random() < 0.3 else start + timedelta(
                    days=rng.randint(30, 800)),
                "how_to_apply": "", "contact": "", "created_at": now, "updated_at": now,
                "published_at": now - timedelta(minutes=i),
            })
        for chunk in range(0, len(offers), 2000):
            s.execute(insert(Offer), offers[chunk:chunk + 2000])
        ids = list(s.scalars(select(Offer.id).order_by(Offer.id)))
        cats, areas, groups = [], [], []
        for offer_id in ids:
            for c in rng.sample(list(codes.CATEGORIES), rng.randint(1, 3)):
                cats.append({"offer_id": offer_id, "category": c})
            roll = rng.random()
            paths = (["南通市"] if roll < 0.1 else rng.sample(counties, rng.randint(1, 2))
                     if roll < 0.5 else rng.sample(towns, rng.randint(1, 4)))
            areas += [{"offer_id": offer_id, "region_path": p} for p in paths]
            for g in rng.sample(list(codes.GROUPS), rng.choice([0, 0, 1, 2, 3])):
                groups.append({"offer_id": offer_id, "group_code": g})
        for model, rows in ((OfferCategory, cats), (OfferRegion, areas), (OfferGroup, groups)):
            for chunk in range(0, len(rows), 5000):
                s.execute(insert(model), rows[chunk:chunk + 5000])
        s.commit()
        if url.startswith("postgresql"):
            s.execute(text("ANALYZE"))
            s.commit()
        else:
            s.execute(text("ANALYZE"))
    engine.dispose()


def workload(seed: int) -> dict[str, list[DirectoryQuery]]:
    rng = random.Random(seed + 1)
    towns = [t.path for t in regions.townships()]
    counties = [c.path for c in regions.counties()]
    cats, groups = list(codes.CATEGORIES), list(codes.GROUPS)
    kinds = {
        "township only": lambda: DirectoryQuery(region=rng.choice(towns)),
        "words + township": lambda: DirectoryQuery(q=rng.choice(WHAT), region=rng.choice(towns)),
        "category+group+county": lambda: DirectoryQuery(
            category=rng.choice(cats), group=rng.choice(groups), region=rng.choice(counties)),
        "two words, relevance": lambda: DirectoryQuery(q=f"{rng.choice(WHO)} {rng.choice(WHAT)}"),
        "newest, kind+mode": lambda: DirectoryQuery(
            sort="newest", kind=rng.choice(list(codes.ORG_KINDS)),
            mode=rng.choice(list(codes.OFFER_MODES))),
        "no filter": lambda: DirectoryQuery(),
    }
    return {name: [make() for _ in range(50)] for name, make in kinds.items()}


def naive(session: Session, query: DirectoryQuery) -> list[int]:
    """The baseline: every published offer and all links into Python, filtered there."""
    from zhuanjie.offers.service import offer_links, public_offers

    rows = list(session.exec(public_offers()).all())
    links = offer_links(session, [o.id for o in rows])
    ancestors = set(regions.ancestors(query.region)) if query.region else set()
    out = []
    for o in rows:
        link = links[o.id]
        if query.region and not (ancestors & set(link["coverage"]) or any(
                p.startswith(query.region + "/") for p in link["coverage"])):
            continue
        if query.category and query.category not in link["categories"]:
            continue
        if query.group and link["groups"] and query.group not in link["groups"]:
            continue
        if query.mode and o.mode != query.mode:
            continue
        words = directory.terms(query.q)
        if words and not all(w in o.title or w in o.description for w in words):
            continue
        out.append(o)
    out.sort(key=lambda o: o.published_at, reverse=True)
    return [o.id for o in out[:20]]


def run(url: str, label: str, repeat: int, seed: int) -> dict[str, float]:
    engine = make_engine(url)
    queries = workload(seed)
    print(f"\n{label}: directory.search, page 1 of 20, {repeat} calls per kind")
    print(f"{'query':<24}{'median ms':>10}{'p95 ms':>9}{'rows':>8}{'baseline ms':>13}")
    medians = {}
    for name, qs in queries.items():
        times, totals = [], []
        for i in range(repeat):
            q = qs[i % len(qs)]
            started = time.perf_counter()
            with Session(engine) as s:
                _rows, total = directory.search(s, user=None, query=q, limit=20)
            times.append(time.perf_counter() - started)
            totals.append(total)
        base = []
        for q in qs[:5]:
            started = time.perf_counter()
            with Session(engine) as s:
                naive(s, q)
            base.append(time.perf_counter() - started)
        times.sort()
        med = statistics.median(times) * 1000
        medians[name] = med
        print(f"{name:<24}{med:>10.1f}{times[int(0.95 * (len(times) - 1))] * 1000:>9.1f}"
              f"{int(statistics.median(totals)):>8}{statistics.median(base) * 1000:>13.1f}")
    worst = max(medians.values())
    verdict = "OK" if worst < TARGET_MS else "OVER TARGET"
    print(f"worst median {worst:.1f} ms (target {TARGET_MS:.0f} ms): {verdict}")
    engine.dispose()
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    worst = 0.0
    folder = tempfile.mkdtemp(prefix="bench-directory-")
    os.environ["ZHUANJIE_VAR_DIR"] = folder  # settings (the local calendar) need a var dir
    if args.backend in ("sqlite", "both"):
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        started = time.perf_counter()
        fill(url, args.offers, args.seed)
        print(f"SQLite: {args.offers} offers loaded in {time.perf_counter() - started:.1f} s")
        worst = max(worst, max(run(url, "SQLite", args.repeat, args.seed).values()))
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            upgrade(url)
            started = time.perf_counter()
            fill(url, args.offers, args.seed)
            print(f"PostgreSQL: {args.offers} offers loaded in "
                  f"{time.perf_counter() - started:.1f} s")
            worst = max(worst, max(run(url, "PostgreSQL", args.repeat, args.seed).values()))
        finally:
            from zhuanjie import db

            for engine in db._engines.values():
                engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
