"""Key rotation benchmark: N households of 3 members (default 20,000 households, 60,000
members) encrypted under an old field key, rotated to a new field key and a new lookup-hash key
with `zhuanjie.keys.rotate` (what `zhuanjie rotate-keys` runs); then a second run with nothing
left to do (what a resumed run costs for rows already done). Rows per second, on SQLite and
PostgreSQL; the baseline is one plain pass reading every encrypted row.

    .venv/bin/python bench/bench_rotate_keys.py
    .venv/bin/python bench/bench_rotate_keys.py --backend sqlite --households 5000
"""

from __future__ import annotations

import argparse
import os
import platform as host
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zj-bench-"))

from bench_directory import PG_ADMIN  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from zhuanjie.config import new_field_key  # noqa: E402
from zhuanjie.crypto import keyring_from  # noqa: E402
from zhuanjie.db import get_engine, utc_now  # noqa: E402
from zhuanjie.keys import rotate  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402
from zhuanjie.models import Household, Member  # noqa: E402


def fill(url: str, households: int, old) -> None:
    engine = get_engine(url)
    now = utc_now()
    with engine.begin() as conn:
        for start in range(0, households, 1000):
            rows = [{"region_path": "南通市/如皋市/白蒲镇", "village": "新华村",
                     "address_enc": old.encrypt(f"新华村{n}号"), "phone_enc": old.encrypt(
                         f"139{n:08d}"), "groups": ["dibao"], "status": "active",
                     "created_at": now, "updated_at": now}
                    for n in range(start, min(start + 1000, households))]
            ids = conn.execute(insert(Household).returning(Household.id), rows).scalars().all()
            members = []
            for hid in ids:
                for k in range(3):
                    number = f"320682{hid:08d}{k:03d}X"
                    members.append({"household_id": hid, "name": "王建国", "relation": "head"
                                    if k == 0 else "child", "is_head": k == 0,
                                    "id_number_enc": old.encrypt(number),
                                    "id_number_hash": old.hash(number), "id_last4": number[-4:],
                                    "phone_enc": old.encrypt(f"138{hid:08d}")})
            conn.execute(insert(Member), members)


def run(url: str, households: int) -> None:
    old_key, new_key, hash_key = new_field_key(), new_field_key(), new_field_key()
    old = keyring_from(old_key, {}, "")
    ring = keyring_from(old_key, {"2": new_key}, hash_key)
    upgrade(url)
    fill(url, households, old)
    engine = get_engine(url)
    rows = households * 4
    started = time.perf_counter()
    with engine.connect() as conn:
        for table in (Household.__table__, Member.__table__):
            for _row in conn.execute(select(table)):
                pass
    read = time.perf_counter() - started
    started = time.perf_counter()
    report = rotate(engine, ring=ring, batch=500)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = rotate(engine, ring=ring, batch=500)
    second = time.perf_counter() - started
    assert report.rewritten == rows and again.rewritten == 0
    print(f"  {url.split(':')[0]:<22} rows {rows:>7}  baseline read {rows / read:>9.0f} rows/s"
          f"  rotate {rows / first:>7.0f} rows/s ({first:.1f} s)"
          f"  re-run {rows / second:>7.0f} rows/s ({second:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--households", type=int, default=20000)
    args = parser.parse_args()
    print(f"key rotation, {args.households} households x (1 + 3 members); "
          f"{host.processor() or host.machine()}, {os.cpu_count()} cores")
    if args.backend in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="zj-rotate-")
        run(f"sqlite:///{folder}/rotate.db", args.households)
    if args.backend in ("postgresql", "both"):
        name = f"zj_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(PG_ADMIN.rsplit("/", 1)[0] + "/" + name, args.households)
        finally:
            from zhuanjie import db

            for url, engine in list(db._engines.items()):
                if name in url:
                    engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
