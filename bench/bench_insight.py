"""Data overview benchmark: one city with 200,000 needs and 300,000 referrals on PostgreSQL,
each /insight figure timed as its route calls it, beside a plain SELECT count(*) of the rows.

    .venv/bin/python bench/bench_insight.py                           # 200,000 / 300,000
    .venv/bin/python bench/bench_insight.py --needs 20000 --referrals 30000 --repeat 10
    .venv/bin/python bench/bench_insight.py --keep          # leaves the database, prints its URL
    .venv/bin/python bench/bench_insight.py --url postgresql+psycopg://postgres@127.0.0.1:5432/zj_bench_…

Rows are generated with bulk inserts (a year of needs over every township, 60 organisations,
about half the referrals accepted and delivered, follow-ups on delivered ones) in a
throw-away database on ZHUANJIE_BENCH_PG_ADMIN_URL (default the test server), created and
dropped here; the overview's copies (insight_needs, insight_referrals) are then rebuilt, as
`zhuanjie insight-rebuild` does after a bulk load. Each call runs in its own session, as a
request does, for the city-wide admin (the largest scope) and the period "this month".
Target: the overview under 300 ms at p95.
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
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie import codes, regions  # noqa: E402
from zhuanjie.db import make_engine, utc_now  # noqa: E402
from zhuanjie.insight import facts  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import (  # noqa: E402
    FollowUp,
    Household,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    User,
)

PG_ADMIN = os.environ.get("ZHUANJIE_BENCH_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_MS = 300.0
CHUNK = 5000


def _bulk(session: Session, model, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(model), rows[i:i + CHUNK])


def fill(url: str, n_needs: int, n_referrals: int, seed: int) -> None:
    rng = random.Random(seed)
    towns = [t.path for t in regions.townships()]
    cats, groups = list(codes.CATEGORIES), list(codes.GROUPS)
    now = utc_now()
    engine = make_engine(url)
    with Session(engine) as s:
        _bulk(s, Organisation, [
            {"name": f"服务机构{i}", "kind": "ngo", "status": "verified", "status_reason": "",
             "description": "", "created_at": now, "updated_at": now, "is_person": False}
            for i in range(60)])  # fmt: skip
        orgs = list(s.scalars(select(Organisation.id)))
        _bulk(s, Offer, [
            {"organisation_id": rng.choice(orgs), "title": f"项目{i}", "description": "",
             "mode": "service", "status": "published", "is_programme": False, "rules": {},
             "places_taken": 0, "how_to_apply": "", "contact": "", "created_at": now,
             "updated_at": now} for i in range(300)])  # fmt: skip
        offers = list(s.execute(select(Offer.id, Offer.organisation_id)).all())
        n_households = max(n_needs // 4, 1)
        _bulk(s, Household, [
            {"region_path": rng.choice(towns), "village": "",
             "groups": rng.sample(groups, rng.randint(0, 2)),
             "status": "active", "notes": "", "created_at": now, "updated_at": now}
            for _ in range(n_households)])  # fmt: skip
        households = list(s.execute(select(Household.id, Household.region_path)).all())
        _bulk(s, Member, [
            {"household_id": h, "name": "成员", "relation": "head", "is_head": True,
             "id_last4": "", "sex": "", "disability": "", "illness": "",
             "birth_date": (now - timedelta(days=rng.randint(2, 90) * 365)).date()}
            for h, _ in households])  # fmt: skip
        heads = dict(s.execute(select(Member.household_id, Member.id)).all())
        need_rows = []
        for _ in range(n_needs):
            h, path = rng.choice(households)
            created = now - timedelta(days=rng.uniform(0, 365))
            roll = rng.random()
            outcome = ("met" if roll < 0.4 else "partly_met" if roll < 0.5 else
                       "unmet" if roll < 0.57 else "withdrawn" if roll < 0.6 else None)
            closed = min(created + timedelta(days=rng.uniform(3, 90)), now) if outcome else None
            need_rows.append({
                "household_id": h, "member_id": heads[h], "region_path": path,
                "category": rng.choice(cats), "title": "需求", "description": "", "urgency": 1,
                "status": "closed" if outcome else rng.choice(["open", "referred"]),
                "outcome": outcome, "outcome_note": "", "created_at": created,
                "updated_at": created, "last_action_at": created, "closed_at": closed})
        _bulk(s, Need, need_rows)
        needs = list(s.execute(select(Need.id, Need.created_at)).all())
        ref_rows = []
        for _ in range(n_referrals):
            need_id, created = rng.choice(needs)
            offer_id, org_id = rng.choice(offers)
            sent = min(created + timedelta(days=rng.uniform(0.2, 20)), now)
            answered = rng.random() < 0.85
            accepted = answered and rng.random() < 0.7
            delivered = accepted and rng.random() < 0.6
            responded = sent + timedelta(hours=rng.uniform(1, 120)) if answered else None
            given = responded + timedelta(days=rng.uniform(1, 30)) if delivered else None
            ref_rows.append({
                "need_id": need_id, "offer_id": offer_id, "organisation_id": org_id,
                "status": "delivered" if delivered else "accepted" if accepted else
                          "declined" if answered else "sent",
                "note": "", "decline_reason": None if accepted or not answered else
                rng.choice(list(codes.DECLINE_REASONS)), "decline_note": "",
                "holds_place": False, "sent_at": sent, "respond_by_at": sent + timedelta(days=5),
                "responded_at": responded, "delivery_note": "",
                "delivered_at": given,
                "updated_at": sent})  # fmt: skip
        _bulk(s, Referral, ref_rows)
        done = list(s.execute(select(Referral.id, Referral.need_id, Referral.delivered_at)
                              .where(Referral.delivered_at.is_not(None))).all())
        _bulk(s, FollowUp, [
            {"need_id": n, "referral_id": r, "due_date": (at + timedelta(days=7)).date(),
             "status": "done", "done_at": at + timedelta(days=7), "need_met": rng.random() < 0.8,
             "notes": ""} for r, n, at in done if rng.random() < 0.5])  # fmt: skip
        s.commit()
        # Bulk inserts bypass the ORM hook that keeps the overview's copies in step.
        started = time.perf_counter()
        with engine.begin() as conn:
            copied = facts.rebuild(conn)
        print(f"insight copies rebuilt ({copied[0]} needs, {copied[1]} referrals) in "
              f"{time.perf_counter() - started:.1f} s")
        s.execute(text("ANALYZE"))
        s.commit()
    engine.dispose()


def timed(engine, call, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            call(session)
            runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, int(round(0.95 * (len(runs) - 1))))]


def run(url: str, repeat: int) -> float:
    from zhuanjie.insight import service
    from zhuanjie.insight.schemas import InsightPeriod

    engine = make_engine(url)
    admin = User(id=0, username="bench", display_name="bench", password_hash="", role="admin")
    period = InsightPeriod()
    start, end = service._bounds(period.start, period.end)
    s_, e_ = start.isoformat(), end.isoformat()
    plain = {
        "needs in the month": f"SELECT count(*) FROM needs WHERE created_at >= '{s_}' "
                              f"AND created_at < '{e_}'",
        "referrals in the month": f"SELECT count(*) FROM referrals WHERE sent_at >= '{s_}' "
                                  f"AND sent_at < '{e_}'",
        "open needs": "SELECT count(*) FROM needs WHERE status <> 'closed'",
        "needs (all)": "SELECT count(*) FROM needs",
    }  # fmt: skip
    figures = {
        "overview": lambda s: service.overview(s, user=admin, period=period),
        "chart funnel": lambda s: service.funnel(s, user=admin, period=period),
        "chart monthly (12 months)": lambda s: service.monthly(s, user=admin, period=period),
        "chart time_to_help": lambda s: service.time_to_help(s, user=admin, period=period),
        "chart backlog": lambda s: service.backlog(s, user=admin),
        "chart organisations": lambda s: service.organisations(s, user=admin, period=period),
        "fairness by group": lambda s: service.fairness(s, user=admin, period=period, by="group"),
        "overdue heat table": lambda s: service.overdue_heat(s, user=admin),
    }
    print(f"{'call':32} {'p50 ms':>9} {'p95 ms':>9}")
    for label, sql in plain.items():
        p50, p95 = timed(engine, lambda s, q=sql: s.execute(text(q)).scalar(), repeat)
        print(f"{'SELECT count(*) ' + label:32} {p50:9.1f} {p95:9.1f}")
    worst = 0.0
    for label, call in figures.items():
        p50, p95 = timed(engine, call, repeat)
        print(f"{label:32} {p50:9.1f} {p95:9.1f}")
        if label == "overview":
            worst = p95
    engine.dispose()
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=200_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the filled database")
    parser.add_argument("--url", help="time an already filled (kept) database; no fill")
    args = parser.parse_args()
    os.environ["ZHUANJIE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-insight-")
    if args.url:
        upgrade(args.url)
        overview_p95 = run(args.url, args.repeat)
        print(f"overview p95 {overview_p95:.1f} ms (target {TARGET_MS:.0f} ms)")
        return 0 if overview_p95 < TARGET_MS else 1
    name = f"zj_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        started = time.perf_counter()
        fill(url, args.needs, args.referrals, args.seed)
        print(f"PostgreSQL: {args.needs} needs, {args.referrals} referrals loaded in "
              f"{time.perf_counter() - started:.1f} s")
        overview_p95 = run(url, args.repeat)
    finally:
        from zhuanjie import db

        for engine in db._engines.values():
            engine.dispose()
        if args.keep:
            print(f"kept: --url {url}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(f"overview p95 {overview_p95:.1f} ms (target {TARGET_MS:.0f} ms)")
    return 0 if overview_p95 < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
