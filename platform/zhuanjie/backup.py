"""Backups (`zhuanjie backup DEST`) and restores (`zhuanjie restore SRC`).

A backup is a folder: the database (SQLite: a consistent copy made with SQLite's online backup
API; PostgreSQL: `pg_dump -Fc`), the attachments folder when there is one, and manifest.json
(what was saved, table row counts, the ids of the field keys in use). It never holds a key or
a secret: the data in it stays encrypted and is readable only with the keys kept elsewhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
ATTACHMENTS = "attachments"


class BackupError(RuntimeError):
    """Why a backup or restore cannot go ahead; the message is for the operator (Chinese)."""


@dataclass
class Result:
    folder: Path
    tables: dict[str, int]
    attachments: int


def attachments_dir(var_dir: Path) -> Path:
    return var_dir / ATTACHMENTS


def backup(database_url: str, dest: Path, *, var_dir: Path, key_ids: list[str]) -> Result:
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} 已存在且不是空文件夹；请给一个新的文件夹")
    dest.mkdir(parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(database_url), dest / SQLITE_FILE)
        kind = "sqlite"
    elif url.get_backend_name() == "postgresql":
        _pg_check_versions(database_url)
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(dest / PG_FILE),
              *_pg_args(url)], url)
        kind = "postgresql"
    else:
        raise BackupError(f"不支持的数据库类型：{url.get_backend_name()}")
    files = 0
    source = attachments_dir(var_dir)
    if source.is_dir():
        shutil.copytree(source, dest / ATTACHMENTS)
        files = sum(1 for p in (dest / ATTACHMENTS).rglob("*") if p.is_file())
    tables = row_counts(database_url)
    manifest = {
        "format": FORMAT,
        "database": kind,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_revision": _revision(database_url),
        "tables": tables,
        "attachments": files,
        "field_key_ids": key_ids,
        "note": "不含任何密钥。恢复时需要备份时所用的字段加密密钥和查找哈希密钥。",
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return Result(dest, tables, files)


def restore(database_url: str, src: Path, *, var_dir: Path, replace: bool = False) -> Result:
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{src} 不是本平台的备份（缺少或无法读取 {MANIFEST}）") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 无法识别")
    url = make_url(database_url)
    kind = "sqlite" if url.get_backend_name() == "sqlite" else url.get_backend_name()
    if manifest["database"] != kind:
        raise BackupError(f"这是 {manifest['database']} 的备份，不能恢复到 {kind} 数据库")
    if not replace and _has_tables(database_url):
        raise BackupError("目标数据库不是空的；确认要用备份覆盖它时请加 --replace")
    _dispose(database_url)
    if kind == "sqlite":
        _sqlite_copy(src / SQLITE_FILE, _sqlite_path(database_url))
    else:
        _pg_check_versions(database_url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *_pg_args(url), str(src / PG_FILE)],
             url)
    files = 0
    if (src / ATTACHMENTS).is_dir():
        target = attachments_dir(var_dir)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(src / ATTACHMENTS, target)
        files = sum(1 for p in target.rglob("*") if p.is_file())
    tables = row_counts(database_url)
    differ = {t: (n, tables.get(t)) for t, n in manifest["tables"].items() if tables.get(t) != n}
    if differ:
        raise BackupError(f"恢复后行数与备份不符：{differ}")
    return Result(src, tables, files)


def row_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            from sqlalchemy import MetaData

            meta = MetaData()
            meta.reflect(conn)
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in sorted(meta.tables.items())
            }
    finally:
        engine.dispose()


def _has_tables(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _revision(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database without migrations has no revision
        return None
    finally:
        engine.dispose()


def _dispose(database_url: str) -> None:
    """Close this process's pooled connections before the database is replaced under them."""
    from zhuanjie import db

    db.dispose_engine(database_url)


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("内存中的 SQLite 数据库无法备份或恢复")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the platform writes."""
    if not source.exists():
        raise BackupError(f"找不到数据库文件 {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)


# --- PostgreSQL ---------------------------------------------------------------------------------


def _pg_args(url) -> list[str]:
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    return args


def _run(command: list[str], url) -> None:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # not on the command line, where `ps` would show it
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}：请安装 postgresql-client") from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-2000:]}")


def _major(version: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version)
    return int(found.group(1)) if found else 0


def _pg_check_versions(database_url: str) -> None:
    """pg_dump and pg_restore must be at least as new as the server."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            server = conn.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()
    for tool in ("pg_dump", "pg_restore"):
        try:
            client = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
        except FileNotFoundError as exc:
            raise BackupError(f"找不到 {tool}：请安装与服务器同版本的 postgresql-client") from exc
        if _major(client.split("(PostgreSQL)")[-1]) < _major(server):
            raise BackupError(
                f"{tool} 版本（{client.strip()}）低于数据库服务器（{server}），"
                "请安装同版本的 postgresql-client"
            )
