"""Roll import benchmark: a department's roll of 10,000 rows (50 of them bad) imported through
`rolls.service` — preview, first import, the same file again, a re-import with 5 % of the rows
changed — on SQLite and PostgreSQL, beside the obvious baseline in the same run: row by row,
one SELECT for the roll row and one for the member per row, each row added and flushed.

    .venv/bin/python bench/bench_rolls.py                       # both databases, every template
    .venv/bin/python bench/bench_rolls.py --backend postgresql --rows 10000 --repeat 3

PostgreSQL comes from ZHUANJIE_BENCH_PG_ADMIN_URL (default the test server); a throw-away
database is created (through the migrations) and dropped. 2,000 platform households whose
members are one in five of the roll's people make the linking real. Target: a 10,000-row
import under 20 s on PostgreSQL (the script exits 1 if one is not).
"""

from __future__ import annotations

import argparse
import os
import platform as host
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import create_engine, delete, insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from zhuanjie import crypto  # noqa: E402
from zhuanjie.db import make_engine, utc_now  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import (  # noqa: E402
    AuditEntry,
    Household,
    Member,
    Organisation,
    RollEntry,
    RollImport,
    User,
)
from zhuanjie.rolls import samples, service  # noqa: E402
from zhuanjie.rolls.layouts import LAYOUTS, read_roll  # noqa: E402

PG_ADMIN = os.environ.get("ZHUANJIE_BENCH_PG_ADMIN_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COUNTY = "南通市/如皋市"
TARGET_S = 20.0
FORMATS = {"dibao_tekun": "xlsx", "jiandang": "csv", "disability": "xlsx"}


def setup(url: str, files: dict) -> dict[str, int]:
    """A department user per roll, and platform households holding a fifth of the people."""
    engine = make_engine(url)
    now = utc_now()
    users = {}
    with Session(engine) as s:
        for kind, layout in LAYOUTS.items():
            org = Organisation(name=f"如皋市{layout.title}主管部门", kind="government",
                               department=layout.department, status="verified",
                               service_area=COUNTY)
            s.add(org)
            s.flush()
            user = User(username=f"bench_{kind}", display_name="基准", role="org_staff",
                        password_hash="x", organisation_id=org.id)
            s.add(user)
            s.flush()
            users[kind] = user.id
        people = list({r["id_number"]: r for g in files.values() for r in g.rows[::5]}.values())
        for start in range(0, len(people), 1000):
            chunk = people[start:start + 1000]
            households = [{"region_path": COUNTY + "/白蒲镇", "village": "新华村",
                           "groups": ["dibao"], "status": "active", "notes": "",
                           "created_at": now, "updated_at": now} for _r in chunk]
            ids = s.execute(insert(Household).returning(Household.id), households).scalars().all()
            s.execute(insert(Member), [
                {"household_id": hid, "name": r["name"], "relation": "head", "is_head": True,
                 "id_number_enc": crypto.encrypt(r["id_number"]),
                 "id_number_hash": crypto.keyed_hash(r["id_number"]),
                 "id_last4": r["id_number"][-4:], "sex": "", "disability": "", "illness": ""}
                for hid, r in zip(ids, chunk, strict=True)])
        s.commit()
    engine.dispose()
    return users


def _clear(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as s:
        s.execute(delete(RollEntry))
        s.execute(delete(AuditEntry))
        s.execute(delete(RollImport))
        s.commit()
    engine.dispose()


def _timed(url: str, action) -> float:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        started = time.perf_counter()
        action(s)
        elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def baseline(session: Session, user: User, kind: str, name: str, content: bytes) -> None:
    """The obvious import: check the file the same way, then per row look the person up on the
    roll and among the members, add the row and flush it."""
    parsed = read_roll(LAYOUTS[kind], COUNTY, name, content)
    for row in parsed.good:
        data = row.data
        person = crypto.keyed_hash(data["id_number"])
        session.exec(select(RollEntry).where(RollEntry.roll_kind == kind,
                                             RollEntry.id_number_hash == person)).first()
        member = session.exec(select(Member).where(Member.id_number_hash == person)).first()
        session.add(RollEntry(
            roll_kind=kind, county_path=COUNTY, region_path=data["region_path"],
            village=data["village"], household_key=data["household_key"],
            relation=data["relation"], is_head=data["is_head"],
            name_enc=crypto.encrypt(data["name"]), id_number_enc=crypto.encrypt(data["id_number"]),
            id_number_hash=person, id_last4=data["id_number"][-4:], category=data["category"],
            household_size=data.get("household_size"),
            income_per_capita=data["income_per_capita"], monthly_amount=data["monthly_amount"],
            since_date=data["since_date"], disability=data.get("disability", ""),
            person_status=data["person_status"], status_date=data["status_date"],
            publish=data["publish"], household_id=member.household_id if member else None))
        session.flush()
    session.commit()


def run(url: str, label: str, rows: int, repeat: int) -> float:
    files = {kind: samples.roll_file(kind, rows, bad=50, fmt=fmt, seed=3)
             for kind, fmt in FORMATS.items()}
    users = setup(url, files)
    worst = 0.0
    print(f"\n{label}: {rows} rows per roll, 50 of them bad; median of {repeat} "
          f"(baseline: one run)")
    print(f"{'roll (format)':24} {'preview':>8} {'import':>8} {'same file':>10} "
          f"{'5% changed':>11} {'baseline':>9} {'ratio':>6}")
    for kind, generated in files.items():
        name = f"roll.{FORMATS[kind]}"
        changed = [dict(r) for r in generated.rows]
        for r in changed[:: 20]:
            r["village"] = "改名村"
        changed_file = samples.write(kind, changed, FORMATS[kind])
        figures: dict[str, list[float]] = {"preview": [], "import": [], "same": [], "changed": []}
        for _ in range(repeat):
            _clear(url)

            def as_user(s, kind=kind):
                return s.get(User, users[kind])

            figures["preview"].append(_timed(url, lambda s, g=generated, n=name: service.preview(
                s, actor=as_user(s), county=COUNTY, filename=n, content=g.content)))
            figures["import"].append(_timed(url, lambda s, g=generated, n=name: service.confirm(
                s, actor=as_user(s), county=COUNTY, filename=n, content=g.content)))
            figures["same"].append(_timed(url, lambda s, g=generated, n=name: service.confirm(
                s, actor=as_user(s), county=COUNTY, filename=n, content=g.content)))
            figures["changed"].append(_timed(url, lambda s, c=changed_file, n=name:
                                             service.confirm(s, actor=as_user(s), county=COUNTY,
                                                             filename=n, content=c)))
        _clear(url)
        base = _timed(url, lambda s, g=generated, n=name, k=kind: baseline(
            s, s.get(User, users[k]), k, n, g.content))
        med = {k: statistics.median(v) for k, v in figures.items()}
        worst = max(worst, med["import"], med["changed"])
        print(f"{kind + ' (' + FORMATS[kind] + ')':24} {med['preview']:7.2f}s "
              f"{med['import']:7.2f}s {med['same']:9.2f}s {med['changed']:10.2f}s "
              f"{base:8.2f}s {base / med['import']:5.1f}x")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-rolls-")
    os.environ["ZHUANJIE_VAR_DIR"] = folder  # local keys and the calendar need a var dir
    print(f"machine: {host.processor() or host.machine()}, {os.cpu_count()} cores, "
          f"{host.platform()}, Python {host.python_version()}, load {os.getloadavg()[0]:.1f}")
    worst_pg = 0.0
    if args.backend in ("sqlite", "both"):
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        run(url, "SQLite", args.rows, args.repeat)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        try:
            upgrade(url)
            worst_pg = run(url, "PostgreSQL", args.rows, args.repeat)
        finally:
            from zhuanjie import db

            for engine in db._engines.values():
                engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        print(f"\nPostgreSQL: slowest median import {worst_pg:.2f} s (target < {TARGET_S:.0f} s)")
    return 0 if worst_pg < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
