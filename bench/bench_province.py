"""Province scale on PostgreSQL: fill a database with a province-sized load fast, then time
the main lists and the data overview, and the nightly re-matching.

    .venv/bin/python bench/bench_province.py --fraction 0.1          # 1/10 of the province
    .venv/bin/python bench/bench_province.py                          # the full province
    .venv/bin/python bench/bench_province.py --fraction 0.1 --keep    # keep the database
    .venv/bin/python bench/bench_province.py --url postgresql+psycopg://…/zj_prov_…   # re-time

The full size is the issue's: 1,000,000 households (one member each), 300,000 open needs
(of 1,200,000 needs over three years), 50,000 offers of 2,000 organisations, 2,000,000
referrals over those three years, follow-ups on half the deliveries. `--fraction f` scales
every count. Rows are made by the database itself (`INSERT … SELECT … FROM generate_series`,
pseudo-random with a fixed `setseed`), so nothing crosses the wire but the statements.
Personal fields: one real ciphertext of the platform's field key (crypto.encrypt of a fixed
text) is copied into every row's address, phone and ID number — a benchmark shortcut that
costs nothing and still decrypts; a real load encrypts each field (`rotate-keys` batches show
the rate). The overview's copies are then rebuilt (`zhuanjie insight-rebuild`).

Timed, each call in its own session as a request does, `--repeat` times (p50 / p95): the
needs list (page 1 and page 100) of a county supervisor, the referrals list, the households
list, the directory (page 1, no filter and a word), and the data overview for a county
supervisor and for the city; each beside a plain `SELECT count(*)` of the rows it reads.
Then the nightly re-matching (`needs.jobs.nightly_rematch`, the engine's bulk path) over
`--rematch` open needs (0: all of them; every unclosed need is made 'open' first, so the full
province re-matches 300,000), its time printed with the number of needs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie import codes, regions  # noqa: E402
from zhuanjie.db import make_engine  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402

PG_ADMIN = os.environ.get("ZHUANJIE_BENCH_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FULL = {"households": 1_000_000, "needs": 1_200_000, "open_needs": 300_000, "offers": 50_000,
        "organisations": 2_000, "referrals": 2_000_000}  # fmt: skip
DAYS = 3 * 365


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def fill(url: str, sizes: dict[str, int]) -> None:
    from zhuanjie import crypto

    towns = _array([t.path for t in regions.townships()])
    counties = _array([c.path for c in regions.counties()])
    cats = _array(list(codes.CATEGORIES))
    reasons = _array(list(codes.DECLINE_REASONS))
    sealed = crypto.encrypt("江苏省南通市某某路1号")
    engine = make_engine(url)
    steps = [
        ("organisations", f"""
INSERT INTO organisations (name, kind, status, status_reason, contact_name, contact_phone,
  contact_email, address, description, is_person, created_at, updated_at)
SELECT '服务机构' || i, 'ngo', 'verified', '', '', '', '', '', '', false, now(), now()
FROM generate_series(1, {sizes['organisations']}) i"""),
        ("offers", f"""
INSERT INTO offers (organisation_id, title, description, mode, status, is_programme, rules,
  places_taken, how_to_apply, contact, created_at, updated_at)
SELECT (SELECT min(id) FROM organisations) + (i % {sizes['organisations']}),
  '帮扶项目' || i, '为困难家庭提供帮扶，项目编号 ' || i, 'service', 'published', false,
  '{{}}', 0, '', '', now() - random() * 700 * interval '1 day', now()
FROM generate_series(1, {sizes['offers']}) i"""),
        ("offer categories", f"""
INSERT INTO offer_categories (offer_id, category)
SELECT id, ({cats})[1 + (id % array_length({cats}, 1))] FROM offers"""),
        ("offer coverage", f"""
INSERT INTO offer_regions (offer_id, region_path)
SELECT id, CASE WHEN id % 3 = 0 THEN '南通市'
  WHEN id % 3 = 1 THEN ({counties})[1 + (id / 3) % array_length({counties}, 1)]
  ELSE ({towns})[1 + (id / 3) % array_length({towns}, 1)] END FROM offers"""),
        ("households", f"""
INSERT INTO households (region_path, village, address_enc, phone_enc, groups, status, notes,
  created_at, updated_at)
SELECT ({towns})[1 + floor(random() * array_length({towns}, 1))::int], '第' || (i % 30) || '村',
  :sealed, :sealed,
  (ARRAY['["dibao"]', '["tekun"]', '["low_income"]', '["dibao", "disabled"]', '[]'])
    [1 + (i % 5)]::json,
  'active', '', now() - interval '4 years', now()
FROM generate_series(1, {sizes['households']}) i"""),
        ("members", """
INSERT INTO household_members (household_id, name, relation, is_head, id_number_enc, id_last4,
  birth_date, sex, phone_enc, disability, illness)
SELECT id, '成员' || id, 'head', true, :sealed, lpad((id % 10000)::text, 4, '0'),
  date '1940-01-01' + (id % 25000), CASE WHEN id % 2 = 0 THEN '女' ELSE '男' END, :sealed, '', ''
FROM households"""),
        ("needs", f"""
INSERT INTO needs (household_id, member_id, region_path, category, title, description, urgency,
  status, outcome, outcome_note, created_at, updated_at, last_action_at, closed_at)
SELECT h.id, h.id + m0.d, h.region_path, ({cats})[1 + (g.i % array_length({cats}, 1))],
  '需求' || g.i, '家庭困难，需要帮扶', 1 + (g.i % 3),
  CASE WHEN g.i <= {sizes['open_needs']} THEN (ARRAY['open', 'referred'])[1 + g.i % 2]
       ELSE 'closed' END,
  CASE WHEN g.i <= {sizes['open_needs']} THEN NULL
       ELSE (ARRAY['met', 'met', 'met', 'partly_met', 'unmet', 'withdrawn'])[1 + g.i % 6] END,
  '', g.at, g.at, g.at,
  CASE WHEN g.i <= {sizes['open_needs']} THEN NULL
       ELSE least(g.at + (3 + random() * 80) * interval '1 day', now()) END
FROM (SELECT i, now() - random() * {DAYS} * interval '1 day' AS at,
             (SELECT min(id) FROM households)
               + floor(random() * {sizes['households']})::int AS hid
      FROM generate_series(1, {sizes['needs']}) i) g
JOIN households h ON h.id = g.hid
CROSS JOIN (SELECT min(m.id) - min(m.household_id) AS d FROM household_members m) m0"""),
        ("referrals", f"""
INSERT INTO referrals (need_id, offer_id, organisation_id, status, note, decline_reason,
  decline_note, holds_place, sent_at, respond_by_at, responded_at, delivery_note, delivered_at,
  updated_at)
SELECT r.need_id, o.id, o.organisation_id,
  CASE WHEN r.roll < 0.15 THEN 'sent' WHEN r.roll < 0.40 THEN 'declined'
       WHEN r.roll < 0.60 THEN 'accepted' ELSE 'delivered' END,
  '', CASE WHEN r.roll >= 0.15 AND r.roll < 0.40
           THEN ({reasons})[1 + floor(r.roll * 1000)::int % array_length({reasons}, 1)] END,
  '', false, r.sent, r.sent + interval '5 days',
  CASE WHEN r.roll >= 0.15 THEN r.sent + (1 + r.roll * 100) * interval '1 hour' END, '',
  CASE WHEN r.roll >= 0.60 THEN least(r.sent + (1 + r.roll * 30) * interval '1 day', now()) END,
  r.sent
FROM (SELECT n.id AS need_id, least(n.created_at + (0.2 + random() * 20) * interval '1 day',
                                    now()) AS sent,
             random() AS roll, (SELECT min(id) FROM offers)
               + floor(random() * {sizes['offers']})::int AS oid
      FROM (SELECT (SELECT min(id) FROM needs) + floor(random() * {sizes['needs']})::int AS nid
            FROM generate_series(1, {sizes['referrals']})) pick
      JOIN needs n ON n.id = pick.nid) r
JOIN offers o ON o.id = r.oid"""),
        ("follow-ups", """
INSERT INTO follow_ups (need_id, referral_id, due_date, status, done_at, need_met, notes)
SELECT need_id, id, (delivered_at + interval '7 days')::date, 'done',
  delivered_at + interval '7 days', id % 5 <> 0, ''
FROM referrals WHERE delivered_at IS NOT NULL AND id % 2 = 0"""),
    ]
    with engine.begin() as conn:
        conn.execute(text("SELECT setseed(0.42)"))
        for label, sql in steps:
            started = time.perf_counter()
            rows = conn.execute(text(sql), {"sealed": sealed}).rowcount
            print(f"  {label:18} {rows:>10,} rows  {time.perf_counter() - started:6.1f} s",
                  flush=True)
    from zhuanjie.insight import facts

    started = time.perf_counter()
    with engine.begin() as conn:
        copied = facts.rebuild(conn)
    print(f"  insight copies     {copied[0]:>10,} + {copied[1]:,}  "
          f"{time.perf_counter() - started:6.1f} s", flush=True)
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"  VACUUM ANALYZE     {'':>10}       {time.perf_counter() - started:6.1f} s")
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


def run(url: str, repeat: int, rematch: int, only: list[str] | None = None) -> None:
    from zhuanjie.households import service as households
    from zhuanjie.insight import service as insight
    from zhuanjie.insight.schemas import InsightPeriod
    from zhuanjie.models import User
    from zhuanjie.needs import service as needs
    from zhuanjie.offers import directory
    from zhuanjie.offers.schemas import DirectoryQuery
    from zhuanjie.pagination import Cursor
    from zhuanjie.referrals import service as referrals

    engine = make_engine(url)
    county = "南通市/如皋市"
    boss = User(id=0, username="bench", display_name="bench", password_hash="",
                role="supervisor", region_path=county)
    admin = User(id=0, username="bench", display_name="bench", password_hash="", role="admin")
    period = InsightPeriod()
    like = f"region_path = '{county}' OR region_path LIKE '{county}/%'"
    with Session(engine) as session:  # the caseworker of the township with the most needs
        town = session.execute(text(
            f"SELECT region_path FROM needs WHERE {like} GROUP BY region_path "
            "ORDER BY count(*) DESC LIMIT 1")).scalar()
        # where page 100 starts (the row before it), for the lists paged by cursor
        row = needs.search_needs(session, actor=boss, offset=2969, limit=1)[0][0]
        deep_need = Cursor(True, (row.urgency, row.created_at, row.id)).encode()
        row = referrals.list_referrals(session, actor=boss, offset=2969, limit=1)[0][0]
        deep_referral = Cursor(True, (row.id,)).encode()
    worker = User(id=0, username="bench", display_name="bench", password_hash="",
                  role="caseworker", region_path=town)
    calls = [
        ("SELECT count(*) needs of the county", lambda s: s.execute(text(
            f"SELECT count(*) FROM needs WHERE {like}")).scalar()),
        ("needs list, page 1 (offset, exact count)", lambda s: needs.search_needs(
            s, actor=boss, limit=30)),
        ("needs list, page 100 (offset, exact count)", lambda s: needs.search_needs(
            s, actor=boss, offset=2970, limit=30)),
        ("needs list, first page (cursor)", lambda s: needs.need_page(s, actor=boss)),
        ("needs list, page 100 (cursor)", lambda s: needs.need_page(s, actor=boss,
                                                                    cursor=deep_need)),
        ("needs list, open, first page (cursor)", lambda s: needs.need_page(
            s, actor=boss, status="open")),
        ("needs list, township, open + category", lambda s: needs.need_page(
            s, actor=worker, status="open", category="medical")),
        ("referrals list, page 1 (offset, exact count)", lambda s: referrals.list_referrals(
            s, actor=boss)),
        ("referrals list, page 100 (offset, exact count)", lambda s: referrals.list_referrals(
            s, actor=boss, offset=2970)),
        ("referrals list, first page (cursor)", lambda s: referrals.referral_page(s, actor=boss)),
        ("referrals list, page 100 (cursor)", lambda s: referrals.referral_page(
            s, actor=boss, cursor=deep_referral)),
        ("referrals list, township (cursor)", lambda s: referrals.referral_page(s, actor=worker)),
        ("SELECT count(*) households of the county", lambda s: s.execute(text(
            f"SELECT count(*) FROM households WHERE {like}")).scalar()),
        ("households list, page 1", lambda s: households.search_households(s, actor=boss)),
        ("SELECT count(*) offers", lambda s: s.execute(text(
            "SELECT count(*) FROM offers")).scalar()),
        ("directory, no filter", lambda s: directory.search(s, user=None,
                                                            query=DirectoryQuery())),
        ("directory, a word", lambda s: directory.search(s, user=None,
                                                         query=DirectoryQuery(q="帮扶项目1"))),
        ("data overview, county", lambda s: insight.overview(s, user=boss, period=period)),
        ("data overview, city (admin)", lambda s: insight.overview(s, user=admin,
                                                                   period=period)),
    ]
    if only:
        calls = [c for c in calls if any(word in c[0] for word in only)]
    print(f"{'call':48} {'p50 ms':>9} {'p95 ms':>9}")
    for label, call in calls:
        p50, p95 = timed(engine, call, repeat)
        print(f"{label:48} {p50:9.1f} {p95:9.1f}", flush=True)
    if rematch >= 0:
        from zhuanjie.needs import jobs

        with Session(engine) as session:
            # the fill makes half the unclosed needs 'referred'; the 300,000 open
            # needs are all of them: the run re-matches every unclosed need, or --rematch N
            session.execute(text("UPDATE needs SET status = 'open' WHERE status = 'referred'"))
            if rematch:
                session.execute(text(
                    "UPDATE needs SET status = 'referred' WHERE status = 'open' AND id NOT IN "
                    f"(SELECT id FROM needs WHERE status = 'open' ORDER BY id LIMIT {rematch})"))
            session.commit()
            waiting = session.execute(text(
                "SELECT count(*) FROM needs WHERE status = 'open'")).scalar()
            started = time.perf_counter()
            told = jobs.nightly_rematch(session, __import__("zhuanjie.db").db.utc_now())
            print(f"nightly re-matching: {waiting:,} open needs in "
                  f"{time.perf_counter() - started:.1f} s ({told} caseworkers told)")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rematch", type=int, default=0,
                        help="open needs to re-match (0: all; -1: skip)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--url", help="time an already filled (kept) database")
    parser.add_argument("--only", nargs="*", help="time only the calls naming one of these")
    parser.add_argument("--no-upgrade", action="store_true",
                        help="with --url: time the database as it is (no later migrations)")
    parser.add_argument("--fill-only", action="store_true",
                        help="fill (and keep) the database, time nothing")
    args = parser.parse_args()
    os.environ["ZHUANJIE_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-province-")
    print(f"machine: {platform.machine()} {platform.processor() or ''} "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    if args.url:
        if not args.no_upgrade:  # a kept database gets the indexes of later migrations
            started = time.perf_counter()
            upgrade(args.url)
            print(f"upgraded in {time.perf_counter() - started:.1f} s")
        run(args.url, args.repeat, args.rematch, args.only)
        return 0
    sizes = {k: max(1, int(v * args.fraction)) for k, v in FULL.items()}
    name = f"zj_prov_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        upgrade(url)
        print(f"PostgreSQL, fraction {args.fraction}: " +
              ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
        started = time.perf_counter()
        fill(url, sizes)
        print(f"filled in {time.perf_counter() - started:.1f} s")
        if not args.fill_only:
            run(url, args.repeat, args.rematch, args.only)
    finally:
        from zhuanjie import db

        for engine in db._engines.values():
            engine.dispose()
        if args.keep or args.fill_only:
            print(f"kept: --url {url}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
