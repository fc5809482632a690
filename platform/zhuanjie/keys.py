"""Key rotation: re-encrypt every personal field under the newest field key and recompute every
lookup hash under the current hash key (`zhuanjie rotate-keys`).

Encrypted columns are found from the models (every `*_enc` column); a `X_hash` column beside an
`X_enc` column is that value's lookup hash. Tables are walked in primary-key order in batches,
each batch its own transaction, so a run that stops (crash, Ctrl+C, `max_batches`) loses at most
one batch and a second run finishes the work: rows already under the current keys are left as
they are. Each row is rewritten only if it still holds what was read (compare-and-set), so the
platform can keep running; what it writes meanwhile is already under the newest key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, Table, and_, bindparam, func, select, update
from sqlmodel import SQLModel

from zhuanjie.crypto import KeyRing

Progress = Callable[[str, int, int, int], None]  # table, rows checked, rows in table, rewritten


@dataclass
class EncryptedTable:
    table: Table
    encrypted: list[str]
    hashes: list[tuple[str, str]]  # (hash column, encrypted column it hashes)


@dataclass
class RotationReport:
    checked: int = 0
    rewritten: int = 0
    changed_meanwhile: int = 0
    finished: bool = True
    tables: dict[str, int] = field(default_factory=dict)


def encrypted_tables() -> list[EncryptedTable]:
    import zhuanjie.models  # noqa: F401 - registers the tables

    found = []
    for table in SQLModel.metadata.sorted_tables:
        names = [c.name for c in table.columns]
        encrypted = [n for n in names if n.endswith("_enc")]
        if not encrypted:
            continue
        hashes = [
            (n, n.removesuffix("_hash") + "_enc")
            for n in names
            if n.endswith("_hash") and n.removesuffix("_hash") + "_enc" in names
        ]
        found.append(EncryptedTable(table, encrypted, hashes))
    return found


def rotate(
    engine: Engine,
    *,
    ring: KeyRing,
    batch: int = 500,
    max_batches: int | None = None,
    progress: Progress | None = None,
) -> RotationReport:
    report = RotationReport()
    batches = 0
    for spec in encrypted_tables():
        table = spec.table
        (pk,) = table.primary_key.columns
        columns = [table.c[n] for n in spec.encrypted + [h for h, _e in spec.hashes]]
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(table)).scalar_one()
        done = rewritten = 0
        last = None
        while True:
            with engine.begin() as conn:
                query = select(pk, *columns).order_by(pk).limit(batch)
                if last is not None:
                    query = query.where(pk > last)
                rows = conn.execute(query).mappings().all()
                if not rows:
                    break
                # Rows changing the same columns go in one executemany each.
                groups: dict[tuple[str, ...], list[dict]] = {}
                for row in rows:
                    changes = _changes(spec, row, ring)
                    if changes:
                        params = {"_pk": row[pk.name]}
                        for name, value in changes.items():
                            params[f"_old_{name}"] = row[name]
                            params[f"_new_{name}"] = value
                        groups.setdefault(tuple(sorted(changes)), []).append(params)
                for names, params in groups.items():
                    # Compare-and-set: a row the platform changed meanwhile is left alone.
                    unchanged = [
                        func.coalesce(table.c[n], "") == func.coalesce(bindparam(f"_old_{n}"), "")
                        for n in names
                    ]
                    statement = (
                        update(table)
                        .where(and_(pk == bindparam("_pk"), *unchanged))
                        .values({n: bindparam(f"_new_{n}") for n in names})
                    )
                    done_now = conn.execute(statement, params).rowcount
                    rewritten += done_now
                    report.changed_meanwhile += len(params) - done_now
                last = rows[-1][pk.name]
            done += len(rows)
            if progress:
                progress(table.name, done, total, rewritten)
            batches += 1
            if max_batches is not None and batches >= max_batches:
                report.finished = False
                break
        report.checked += done
        report.rewritten += rewritten
        report.tables[table.name] = done
        if not report.finished:
            break
    return report


def _changes(spec: EncryptedTable, row, ring: KeyRing) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    plain: dict[str, str | None] = {}
    for name in spec.encrypted:
        token = row[name]
        if not token:
            continue
        if ring.key_id_of(token) != ring.current_id:
            plain[name] = ring.decrypt(token)
            changes[name] = ring.encrypt(plain[name])
    for hash_name, enc_name in spec.hashes:
        token = row[enc_name]
        value = plain[enc_name] if enc_name in plain else ring.decrypt(token)
        wanted = ring.hash(value) if value else None
        if row[hash_name] != wanted:
            changes[hash_name] = wanted
    return changes


def rotate_attachments(
    engine: Engine, *, ring: KeyRing, storage, progress: Progress | None = None
) -> tuple[int, int]:
    """Re-encrypt every attachment file not under the newest field key; (checked, rewritten).

    A file names its own key (`<key id>:` before the token), so each is rewritten in place
    (written whole, then swapped in) before its row's `key_id` is brought up to date: a run
    that stops between the two leaves a readable file, and the next run just fixes the row.
    A file whose row is gone meanwhile is not brought back."""
    from zhuanjie.models import Attachment

    table = Attachment.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.id, table.c.storage_key).where(table.c.key_id != ring.current_id)
            .order_by(table.c.id)
        ).all()
        total = conn.execute(select(func.count()).select_from(table)).scalar_one()
    rewritten = 0
    for done, (row_id, key) in enumerate(rows, start=1):
        if storage.exists(key):
            sealed = storage.get(key)
            if not sealed.startswith(ring.current_id.encode() + b":"):
                storage.put(key, ring.encrypt_bytes(ring.decrypt_bytes(sealed)))
                rewritten += 1
        with engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == row_id, table.c.storage_key == key)
                         .values(key_id=ring.current_id))
        if progress:
            progress(table.name + "（文件）", done, total, rewritten)
    return len(rows), rewritten
