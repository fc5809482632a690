"""Backup and restore through the command line, on the demo city: back up, wipe the database
and the attachments, restore, and every table's rows and every decrypted value are as before.
The backup holds no key."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from tests.zhuanjie.conftest import fresh_database
from zhuanjie.config import new_field_key
from zhuanjie.crypto import keyring_from

SECRET = "backup-test-secret-" + "s" * 40


def _run(*args: str, env: dict[str, str], ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "zhuanjie.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _everything(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            return {
                name: [tuple(r) for r in conn.execute(
                    select(table).order_by(*table.primary_key.columns or table.columns))]
                for name, table in meta.tables.items()
            }
    finally:
        engine.dispose()


def _decrypted(tables: dict[str, list[tuple]], url: str, ring) -> dict:
    engine = create_engine(url)
    out = {}
    with engine.connect() as conn:
        for table, columns in (("households", ("address_enc", "phone_enc")),
                               ("household_members", ("id_number_enc", "phone_enc"))):
            for row in conn.execute(text(f"SELECT id, {', '.join(columns)} FROM {table}")):
                for column, value in zip(columns, row[1:], strict=True):
                    out[(table, row[0], column)] = ring.decrypt(value)
    engine.dispose()
    return out


def _wipe(url: str) -> None:
    if make_url(url).get_backend_name() == "sqlite":
        Path(make_url(url).database).unlink()
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_backup_wipe_restore_gives_back_every_row_and_value(tmp_path):
    field_key, hash_key = new_field_key(), new_field_key()
    var = tmp_path / "var"
    with fresh_database() as url:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHUANJIE_")}
        env.update(ZHUANJIE_VAR_DIR=str(var), ZHUANJIE_DATABASE_URL=url,
                   ZHUANJIE_MODE="production", ZHUANJIE_SECRET_KEY=SECRET,
                   ZHUANJIE_FIELD_KEYS=json.dumps({"k2026": field_key}),
                   ZHUANJIE_HASH_KEY=hash_key, ZHUANJIE_RUN_SCHEDULER="false")
        _run("demo", env=env)
        attachments = var / "attachments" / "referral-7"
        attachments.mkdir(parents=True)
        receipt = os.urandom(2048)
        (attachments / "收据.jpg").write_bytes(receipt)
        ring = keyring_from("", {"k2026": field_key}, hash_key)
        # The demo's two attachments (encrypted) beside the stray file above.
        kept = {p.relative_to(var): p.read_bytes()
                for p in (var / "attachments").rglob("*") if p.is_file()}
        assert len(kept) == 3
        tables = _everything(url)
        values = _decrypted(tables, url, ring)
        assert len(tables["household_members"]) > 300 and len(values) > 1000

        dest = tmp_path / "backup-1"
        made = _run("backup", str(dest), env=env)
        assert "备份不含密钥" in made.stdout
        manifest = json.loads((dest / "manifest.json").read_text())
        assert manifest["tables"]["household_members"] == len(tables["household_members"])
        assert manifest["field_key_ids"] == ["k2026"] and manifest["attachments"] == 3
        # No key and no secret anywhere in the backup, in text or in raw bytes.
        needles = [field_key, hash_key, SECRET]
        needles_bytes = [n.encode() for n in needles] + [base64.urlsafe_b64decode(field_key),
                                                         base64.urlsafe_b64decode(hash_key)]
        for path in dest.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(n in data for n in needles_bytes), path
        assert not list(dest.rglob("secrets.json"))

        _wipe(url)
        shutil.rmtree(var / "attachments")
        refused = _run("restore", str(tmp_path / "nowhere"), env=env, ok=False)
        assert refused.returncode != 0

        restored = _run("restore", str(dest), env=env)
        assert "已恢复" in restored.stdout
        assert _everything(url) == tables
        assert _decrypted(tables, url, ring) == values
        assert (attachments / "收据.jpg").read_bytes() == receipt
        assert {p.relative_to(var): p.read_bytes()
                for p in (var / "attachments").rglob("*") if p.is_file()} == kept

        # Over a database with data, restore asks for --replace, then does it.
        again = _run("restore", str(dest), env=env, ok=False)
        assert again.returncode != 0 and "--replace" in again.stderr
        replaced = _run("restore", str(dest), "--replace", env=env)
        assert "已恢复" in replaced.stdout and _everything(url) == tables
