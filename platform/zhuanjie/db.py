"""Database engine, sessions and the column types every table shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

# Set before any table is declared so constraint names are stable across databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_frozen_now: datetime | None = None


def utc_now() -> datetime:
    """The platform's clock; tests set it with zhuanjie.clock.frozen(…) instead of sleeping."""
    return _frozen_now or datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC instants on both databases (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use zhuanjie.db.utc_now()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


BEGIN_OPTION = "zj_begin"


def reading(engine: Engine) -> Engine:
    """The same engine (pool, events) whose transactions begin DEFERRED on SQLite: reads take
    no lock; the first write turns the transaction into a short IMMEDIATE one. PostgreSQL
    reads already run at the default isolation (READ COMMITTED) without locks."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_OPTION: "deferred"})


def ensure_writable(session) -> None:
    """Before a session's first write: if its SQLite transaction began DEFERRED (a reading
    request), end that read transaction and begin IMMEDIATE, so the write queues for the lock
    like any other instead of failing on a stale snapshot. Anything else: nothing to do."""
    if session.get_bind().dialect.name != "sqlite" or session.in_nested_transaction():
        return
    conn = session.connection()
    if conn.info.get(BEGIN_OPTION) != "deferred":
        return
    conn.exec_driver_sql("COMMIT")  # nothing was written: only the read snapshot ends
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    conn.info[BEGIN_OPTION] = "immediate"


@event.listens_for(OrmSession, "before_flush")
def _writable_before_flush(session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        ensure_writable(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _writable_before_dml(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        ensure_writable(state.session)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, open transactions, so SAVEPOINTs work.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # IMMEDIATE: take the write lock up front, so concurrent writers queue (busy
            # timeout) instead of failing when a read-then-write finds its snapshot stale.
            # Sessions of reading requests (GET) begin DEFERRED instead: readers never queue,
            # and the first write of such a session starts a short IMMEDIATE transaction
            # (ensure_writable).
            mode = conn.get_execution_options().get(BEGIN_OPTION, "immediate")
            conn.info[BEGIN_OPTION] = mode
            conn.exec_driver_sql("BEGIN" if mode == "deferred" else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    from zhuanjie.config import get_settings

    url = url or get_settings().database_url
    if url not in _engines:
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        _engines[url] = make_engine(url)
    return _engines[url]


READING_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_session(request: Request) -> Iterator[Session]:
    """The request's session; a reading request's (GET) does not lock on SQLite."""
    engine = get_engine()
    if request.method in READING_METHODS:
        engine = reading(engine)
    seen = request.scope.get("state", {}).get("zj_versions_read")
    with Session(engine, expire_on_commit=False) as session:
        if seen is not None:
            # The page cache read the change counters a moment ago, before anything else
            # (zhuanjie.pagecache): its read serves as this transaction's `changes.versions`
            # until it commits, so a request reads them once.
            session.info["zj_change_versions"] = dict(seen)
        yield session


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session for jobs and commands; the caller commits, anything unfinished rolls back."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def set_frozen_now(at: datetime | None) -> datetime | None:
    """Stop `utc_now()` at `at` (None lets it run again); returns the previous setting.
    For `clock.frozen`, which tests and replays use."""
    global _frozen_now
    previous, _frozen_now = _frozen_now, at
    return previous


def dispose_engine(url: str) -> None:
    """Close this process's pooled connections to `url` (before the database is replaced
    under them, as a restore does); the next `get_engine` opens afresh."""
    engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()
