"""What changed, without scanning: one counter row per kind of cached data.

Every change to offers (and their categories, coverage, groups, places), organisations,
regions, the matching model in use, or the public board bumps its kind's row of
`change_counters` in the same transaction, and notes which rows it was about in `change_log`.
A process keeps, beside each cache, the versions it last saw; one read of the small counter
table (once per request: the result is kept on the session until it commits or rolls back)
tells whether anything moved, and the log says what, so only that is refreshed. Writers of
one kind queue on its row until they commit, so versions become visible in order on
PostgreSQL too, and no change is skipped.

ORM writes of the watched tables are recorded automatically (a session `after_flush` hook);
bulk UPDATE/DELETE statements run through a session count as a change of their whole kind,
unless they carry the execution option `zj_bumped=True` and call `bump(session, kind, *ids)`
with the exact rows themselves (offers/capacity.py, offers/jobs.py).
"""

from __future__ import annotations

import contextvars
import re
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import Engine, event, insert, select, update
from sqlalchemy.orm import Session as OrmSession

from zhuanjie.models import (
    ChangeCounter,
    ChangeLog,
    Consent,
    NeedPublication,
    Offer,
    OfferCategory,
    OfferGroup,
    OfferRegion,
    Organisation,
    Pledge,
    Region,
)

KINDS = ("offers", "organisations", "regions", "model", "board", "accounts", "casework")
PRUNE_EVERY = 500  # versions between prunes of a kind's log
KEEP = 20_000  # log versions kept per kind; a process further behind rebuilds in full

_VERSIONS = "zj_change_versions"
_PENDING = "zj_change_pending"
_FLUSH = "zj_change_flush"


def _kind_of(obj) -> tuple[str, int | None] | None:
    if isinstance(obj, Offer):
        return "offers", obj.id
    if isinstance(obj, OfferCategory | OfferRegion | OfferGroup):
        return "offers", obj.offer_id
    if isinstance(obj, Organisation):
        return "organisations", obj.id
    if isinstance(obj, Region):
        return "regions", None
    if isinstance(obj, NeedPublication | Pledge | Consent):
        return "board", None
    return None


def reserve(session, kind: str) -> int:
    """Bump the kind's counter; its row stays locked until the transaction ends, so writers
    of one kind queue here (always before touching the rows themselves: no deadlock)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r}")
    from zhuanjie.db import ensure_writable

    ensure_writable(session)
    conn = session.connection()
    table = ChangeCounter.__table__
    moved = conn.execute(
        update(table).where(table.c.name == kind).values(version=table.c.version + 1)
    )
    if moved.rowcount == 0:  # a database migrated without the row (never in practice)
        conn.execute(insert(table).values(name=kind, version=1, pruned_below=0))
    version = conn.execute(select(table.c.version).where(table.c.name == kind)).scalar_one()
    if version % PRUNE_EVERY == 0 and version > KEEP:
        log = ChangeLog.__table__
        conn.execute(log.delete().where(log.c.kind == kind, log.c.version <= version - KEEP))
        conn.execute(
            update(table).where(table.c.name == kind).values(pruned_below=version - KEEP + 1)
        )
    session.info.pop(_VERSIONS, None)
    return version


def record(session, kind: str, version: int, ids: list[int | None] | None) -> None:
    """Note which rows of `kind` the reserved version is about (None or a None among
    them: possibly all; an empty list: none after all)."""
    if ids is not None and not ids:
        return
    refs = [None] if ids is None or None in ids else sorted(set(ids))
    session.connection().execute(
        insert(ChangeLog.__table__), [{"kind": kind, "version": version, "ref_id": r} for r in refs]
    )
    pending = session.info.setdefault(_PENDING, {})
    if refs == [None]:
        pending[kind] = None
    elif pending.get(kind, set()) is not None:
        pending.setdefault(kind, set()).update(refs)


def bump(session, kind: str, *ids: int | None) -> int:
    """Record, in the caller's transaction, that rows of `kind` changed (no ids: all of
    them may have). Returns the new version. Call it beside any bulk UPDATE of offers
    marked `zj_bumped` (best before the UPDATE); ORM writes are recorded without it."""
    version = reserve(session, kind)
    record(session, kind, version, list(ids) or None)
    return version


def versions(session) -> dict[str, tuple[int, int]]:
    """{kind: (version, pruned_below)}: one read of the counter table per transaction."""
    found = session.info.get(_VERSIONS)
    if found is None:
        table = ChangeCounter.__table__
        rows = session.connection().execute(
            select(table.c.name, table.c.version, table.c.pruned_below)
        )
        found = {name: (version, pruned) for name, version, pruned in rows}
        session.info[_VERSIONS] = found
    return found


def version_of(found: dict[str, tuple[int, int]], kind: str) -> int:
    return found.get(kind, (0, 0))[0]


def since(session, kind: str, seen: int, now: dict[str, tuple[int, int]]) -> set[int] | None:
    """The ids of `kind` changed after version `seen` (None: reload the whole kind)."""
    version, pruned_below = now.get(kind, (0, 0))
    if version == seen:
        return set()
    if version < seen or seen < pruned_below - 1:
        return None  # the counter went back (restored database) or the log was pruned
    log = ChangeLog.__table__
    refs = session.connection().execute(
        select(log.c.ref_id).where(log.c.kind == kind, log.c.version > seen)
    ).scalars().all()
    if any(r is None for r in refs):
        return None
    return set(refs)


def pending(session, kind: str) -> set[int] | None:
    """What this session changed of `kind` and has not committed yet (None: everything).
    Caches must not remember what they read in such a transaction as settled."""
    return session.info.get(_PENDING, {}).get(kind, set())


def db_key(session) -> str:
    bind = session.get_bind()
    return str(getattr(bind, "url", None) or bind.engine.url)


# --- automatic recording of ORM writes ----------------------------------------------------------


def _touched(session) -> dict[str, list]:
    found: dict[str, list] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = _kind_of(obj)
        if kind is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        found.setdefault(kind[0], []).append(obj)
    return found


@event.listens_for(OrmSession, "before_flush")
def _lock_for_flush(session, _context, _instances) -> None:
    """Take the counters of the kinds this flush writes before the rows themselves."""
    held = session.info.setdefault(_FLUSH, {})
    for kind in _touched(session):
        held[kind] = reserve(session, kind)


@event.listens_for(OrmSession, "after_flush")
def _record_flush(session, _context) -> None:
    held = session.info.pop(_FLUSH, {})
    for kind, objs in _touched(session).items():
        version = held.get(kind) or reserve(session, kind)
        record(session, kind, version, [_kind_of(o)[1] for o in objs])


_BULK_KINDS = {
    "offers": "offers", "offer_categories": "offers", "offer_regions": "offers",
    "offer_groups": "offers", "organisations": "organisations", "regions": "regions",
    "need_publications": "board", "pledges": "board", "consents": "board",
}


@event.listens_for(OrmSession, "do_orm_execute")
def _record_bulk(state) -> None:
    """UPDATE/DELETE statements of watched tables: the whole kind may have changed, unless
    the statement says it bumps with the exact ids itself (execution option zj_bumped)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    kind = _BULK_KINDS.get(getattr(table, "name", ""))
    if kind is None or state.execution_options.get("zj_bumped"):
        return
    bump(state.session, kind)


@event.listens_for(OrmSession, "after_soft_rollback")
def _flush_failed(session, _previous) -> None:
    session.info.pop(_FLUSH, None)


@event.listens_for(OrmSession, "after_commit")
def _settled(session) -> None:
    session.info.pop(_VERSIONS, None)
    session.info.pop(_PENDING, None)


@event.listens_for(OrmSession, "after_rollback")
def _undone(session) -> None:
    session.info.pop(_VERSIONS, None)
    session.info.pop(_PENDING, None)


# --- the caches that listen ----------------------------------------------------------------------

_caches: list[Callable[[], None]] = []
_caches_lock = threading.Lock()


def register_cache(clear: Callable[[], None]) -> Callable[[], None]:
    """Remember a cache's clear() so tests (whose rolled-back transactions reuse version
    numbers) can forget every cache at once."""
    with _caches_lock:
        _caches.append(clear)
    return clear


def clear_caches() -> None:
    with _caches_lock:
        for clear in _caches:
            clear()


class Watcher:
    """The versions one cache last saw, per database; `moved()` says which kinds moved."""

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = tuple(kinds)
        self._seen: dict[str, dict[str, int]] = {}
        self._lock = threading.Lock()

    def moved(self, session) -> bool:
        """True when a watched kind changed since the last call (the first call is True).
        A session with its own uncommitted changes of these kinds always sees True."""
        now = versions(session)
        key = db_key(session)
        current = {k: version_of(now, k) for k in self.kinds}
        dirty = any(pending(session, k) != set() for k in self.kinds)
        with self._lock:
            if dirty:
                self._seen.pop(key, None)
                return True
            before = self._seen.get(key)
            self._seen[key] = current
        return before != current

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


# --- coarse kinds: accounts and casework, caught at the connection ------------------------------
#
# Every INSERT/UPDATE/DELETE of any table, however it is issued (ORM flush, session.execute,
# connection.execute, engine.begin() in jobs, raw driver SQL), passes `before_cursor_execute`.
# A write of an account table marks the connection's transaction as having changed "accounts";
# a write of any other table that no finer kind covers and that is not excluded below marks
# "casework" (the default: a new table cannot escape). The marked counters are bumped once,
# just before the transaction commits (or a savepoint is released), in one UPDATE: taken last,
# held only for the commit itself, so no writer waits on them while holding another counter.
# Nothing needs the exact rows of these kinds: caches of them (the page cache) only compare
# versions.

ACCOUNT_TABLES = frozenset({"users", "user_sessions", "api_tokens"})
# Written without changing anything a cached page shows: bookkeeping of the platform itself.
EXCLUDED_TABLES = frozenset({
    "audit_log",  # a reveal writes one on a GET; it is never shown on a cached page
    "login_throttles",
    "change_counters",
    "change_log",
    "job_runs",  # the scheduler's own records; the jobs' effects bump their own tables
    "tasks",  # the work queue; what a task changes bumps on its own
    "alembic_version",
})
# Session last-seen and token last-used touches carry this execution option: not a change.
TOUCH_OPTION = "zj_touch"
# Migrations' connections carry this one (migrations/env.py): they run before any server.
UNCOUNTED_OPTION = "zj_uncounted"
_DIRTY = "zj_dirty_kinds"
_DML = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+\"?(\w+)",
    re.IGNORECASE,
)


def table_kind(table: str) -> str | None:
    """The kind a write of `table` changes, or None (excluded: changes nothing cached)."""
    if table in EXCLUDED_TABLES:
        return None
    if table in ACCOUNT_TABLES:
        return "accounts"
    return _BULK_KINDS.get(table, "casework")


# The request being served (set by the page cache): did it write anything at all?
request_writes: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "zj_request_writes", default=None
)


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, _cursor, statement, _parameters, context, _executemany) -> None:
    head = statement.lstrip()[:6].upper()
    if head not in ("INSERT", "UPDATE", "DELETE"):
        return
    found = _DML.match(statement)
    if found is None:
        return
    table = found.group(1).lower()
    if table in ("change_counters", "change_log"):
        return
    marker = request_writes.get()
    if marker is not None:
        marker["wrote"] = True
    kind = table_kind(table)
    if kind not in ("accounts", "casework"):
        return
    if context is not None and (
        context.execution_options.get(TOUCH_OPTION)
        or context.execution_options.get(UNCOUNTED_OPTION)
    ):
        return
    conn.info.setdefault(_DIRTY, set()).add(kind)


def dirty_kinds(conn) -> set[str]:
    """Coarse kinds this connection's open transaction changed and has not bumped yet."""
    return conn.info.get(_DIRTY) or set()


def _bump_dirty(conn) -> None:
    kinds = conn.info.pop(_DIRTY, None)
    if not kinds:
        return
    names = ", ".join(f"'{k}'" for k in sorted(kinds))  # constants, never user input
    cursor = conn.connection.cursor()
    try:
        cursor.execute(
            f"UPDATE change_counters SET version = version + 1 WHERE name IN ({names})"
        )
    finally:
        cursor.close()


@event.listens_for(Engine, "commit")
def _bump_before_commit(conn) -> None:
    _bump_dirty(conn)


@event.listens_for(Engine, "release_savepoint")
def _bump_before_release(conn, _name, _context) -> None:
    _bump_dirty(conn)


@event.listens_for(Engine, "rollback")
def _forget_on_rollback(conn) -> None:
    conn.info.pop(_DIRTY, None)
