"""Key rotation on the demo city, through the command line: a new field key and a separate
lookup-hash key are added, `zhuanjie rotate-keys` is interrupted and run again, the old key is
removed, and every personal value still reads and every ID number search still finds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import Session

from tests.zhuanjie.conftest import fresh_database
from zhuanjie.config import get_settings, new_field_key
from zhuanjie.crypto import keyring_from
from zhuanjie.db import get_engine, get_session
from zhuanjie.main import create_app
from zhuanjie.migrate import upgrade

ENCRYPTED = {
    "households": ("address_enc", "phone_enc"),
    "household_members": ("id_number_enc", "phone_enc"),
}


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "zhuanjie.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _env(tmp_path, url: str, **keys: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ZHUANJIE_FIELD_KEY", "ZHUANJIE_FIELD_KEYS", "ZHUANJIE_HASH_KEY")}
    env.update(ZHUANJIE_VAR_DIR=str(tmp_path), ZHUANJIE_DATABASE_URL=url,
               ZHUANJIE_MODE="production", ZHUANJIE_SECRET_KEY="s" * 48)
    env.update({f"ZHUANJIE_{k.upper()}": v for k, v in keys.items()})
    return env


def _stored(url: str) -> dict[tuple[str, int, str], str | None]:
    engine = create_engine(url)
    values = {}
    with engine.connect() as conn:
        for table, columns in ENCRYPTED.items():
            for row in conn.execute(text(f"SELECT id, {', '.join(columns)} FROM {table}")):
                for column, value in zip(columns, row[1:], strict=True):
                    values[(table, row[0], column)] = value
        hashes = dict(conn.execute(text("SELECT id, id_number_hash FROM household_members")).all())
    engine.dispose()
    return values, hashes


def test_rotate_keys_then_drop_the_old_key(tmp_path, monkeypatch):
    old, new, hash_key = new_field_key(), new_field_key(), new_field_key()
    with fresh_database() as url:
        demo = _run("demo", env=_env(tmp_path, url, field_key=old))
        logins = {line.split()[0]: line.split()[1] for line in demo.stdout.splitlines()
                  if line.startswith("  ")}
        before, hashes_before = _stored(url)
        old_ring = keyring_from(old, {}, "")
        plain = {k: old_ring.decrypt(v) for k, v in before.items()}
        assert sum(1 for v in plain.values() if v) > 500  # the demo city's households

        rotating = _env(tmp_path, url, field_key=old, field_keys=json.dumps({"2026b": new}),
                        hash_key=hash_key)
        paused = _run("rotate-keys", "--batch", "100", "--max-batches", "2", env=rotating)
        assert "已暂停" in paused.stdout and "households: 100/" in paused.stdout
        middle, _ = _stored(url)
        assert 0 < sum(1 for v in middle.values() if v and v.startswith("2026b:")) < len(plain)
        # A crash: the process is killed in the middle of the members, mid-transaction.
        crashing = subprocess.Popen(
            [sys.executable, "-m", "zhuanjie.cli", "rotate-keys", "--batch", "1"],
            env=rotating | {"PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        for line in crashing.stdout:
            if line.startswith("household_members: 3/"):
                crashing.kill()
                break
        crashing.stdout.close()
        assert crashing.wait(timeout=60) == -9
        finished = _run("rotate-keys", "--batch", "100", env=rotating)
        assert "完成" in finished.stdout and "household_members:" in finished.stdout
        again = _run("rotate-keys", env=rotating)  # nothing left to do
        assert "改写 0 行" in again.stdout

        after, hashes_after = _stored(url)
        new_ring = keyring_from("", {"2026b": new}, hash_key)  # the old key is gone
        # The demo's attachment files too: each under the new key, readable with it alone.
        assert "附件文件：检查 2 个，重新加密 2 个" in finished.stdout
        files = [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]
        assert len(files) == 2
        for file in files:
            sealed = file.read_bytes()
            assert sealed.startswith(b"2026b:")
            assert new_ring.decrypt_bytes(sealed).startswith(b"\xff\xd8")
        for key, token in after.items():
            assert (token is None) == (before[key] is None)
            if token:
                assert token.startswith("2026b:")
                assert new_ring.decrypt(token) == plain[key]
        members = {k[1]: v for k, v in plain.items()
                   if k[0] == "household_members" and k[2] == "id_number_enc" and v}
        assert set(hashes_after) == set(hashes_before)
        for member_id, number in members.items():
            assert hashes_after[member_id] == new_ring.hash(number) != hashes_before[member_id]

        # The platform with only the new keys: every ID number search finds its household.
        settings = get_settings()
        monkeypatch.setattr(settings, "field_key", "")
        monkeypatch.setattr(settings, "field_keys", {"2026b": new})
        monkeypatch.setattr(settings, "hash_key", hash_key)
        upgrade(url)
        engine = get_engine(url)
        with Session(engine) as session:
            household_of = dict(session.exec(
                text("SELECT id, household_id FROM household_members")).all())
        application = create_app()

        def live_session() -> Iterator[Session]:
            with Session(engine, expire_on_commit=False) as s:
                yield s

        application.dependency_overrides[get_session] = live_session
        with TestClient(application, headers={"Origin": "http://testserver"}) as client:
            signed = client.post("/login", data={"username": "admin",
                                                 "password": logins["admin"]},
                                 follow_redirects=False)
            assert signed.status_code == 303
            for member_id, number in members.items():
                found = client.post("/api/v1/households/search", json={"q": number}).json()
                assert [h["id"] for h in found["items"]] == [household_of[member_id]]
            shown = client.get(f"/households/{next(iter(household_of.values()))}")
            assert shown.status_code == 200


def test_key_settings_that_cannot_work_stop_with_a_clear_message(tmp_path):
    import pytest

    from zhuanjie.config import ConfigError, Settings

    key = new_field_key()
    with pytest.raises(ConfigError, match="ZHUANJIE_HASH_KEY"):
        Settings(mode="production", var_dir=tmp_path, secret_key="s" * 40,
                 field_keys={"2026": key})
    with pytest.raises(ConfigError, match="key id"):
        Settings(mode="production", var_dir=tmp_path, secret_key="s" * 40,
                 field_keys={"new key!": key}, hash_key=new_field_key())
    with pytest.raises(ConfigError, match="32 bytes"):
        Settings(mode="production", var_dir=tmp_path, secret_key="s" * 40,
                 field_keys={"2026": "c2hvcnQ="}, hash_key=new_field_key())
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        Settings(var_dir=tmp_path, trusted_proxies="10.0.0.0/33")
    fine = Settings(mode="production", var_dir=tmp_path, secret_key="s" * 40,
                    field_keys={"2026": key}, hash_key=new_field_key())
    assert keyring_from(fine.field_key, fine.field_keys, fine.hash_key).current_id == "2026"
