"""A per-process cache of finished responses, validated by the change counters.

Routes opt in (`cache_route(path, kinds…)` beside the route). A cached response is keyed by
(method, path, query string, user id or anonymous, Accept) and stored with the versions of the
kinds it depends on (signed-in pages also depend on "accounts" and "casework": the navigation
and its unread badge). It is served again while those versions are unchanged and for at most
`ZHUANJIE_PAGE_CACHE_SECONDS` (default 60: overdue counts and "today" move with the clock),
by a pure ASGI middleware, before FastAPI's routing and dependencies run. The freshness check
is the one indexed read of `change_counters` per request; the sign-in is recognised from a
per-process sign-in cache (token or session hash → user), valid while the "accounts" counter
is unchanged (every write of users, sessions or tokens bumps it, see zhuanjie.changes), within
the session's lifetime, and while no last-seen/last-used touch is due (the request that
touches goes through the normal path, which reads the database and refreshes the entry).

Never stored: anything but a 200; a response that set a cookie or changed the browser session
(a flash shown or set); a response of a request that wrote anything (an audit row of a reveal,
a touch, …); a user whose password must be changed; a request whose credentials were not
recognised. Bounded (LRU by entries and bytes), thread-safe, cleared by
`changes.clear_caches()`. `ZHUANJIE_PAGE_CACHE=0` turns it off.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from starlette.requests import Request

from zhuanjie import changes
from zhuanjie.db import get_engine, get_session, reading, utc_now
from zhuanjie.models import ChangeCounter

log = logging.getLogger("zhuanjie.pagecache")
SIGNED_IN_KINDS = ("accounts", "casework")
MAX_ENTRIES = 4000
MAX_BYTES = 64 * 1024 * 1024
MAX_BODY = 2 * 1024 * 1024


def enabled() -> bool:
    return os.environ.get("ZHUANJIE_PAGE_CACHE", "1").lower() not in ("0", "false", "off", "no")


def max_age() -> float:
    try:
        return float(os.environ.get("ZHUANJIE_PAGE_CACHE_SECONDS", "60"))
    except ValueError:
        return 60.0


# --- which routes opt in ------------------------------------------------------------------------

_routes: list[tuple[re.Pattern, tuple[str, ...]]] = []


def cache_route(path: str, *kinds: str) -> None:
    """Serve GET `path` (a route template like "/needs/{need_id}") from the cache while the
    versions of `kinds` (all kinds when none are named) are unchanged."""
    for kind in kinds:
        if kind not in changes.KINDS:
            raise ValueError(f"unknown change kind {kind!r}")
    pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
    _routes.append((pattern, tuple(kinds) or changes.KINDS))


def kinds_for(path: str) -> tuple[str, ...] | None:
    for pattern, kinds in _routes:
        if pattern.match(path):
            return kinds
    return None


# --- the sign-in cache --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignIn:
    user_id: int
    accounts: int  # the "accounts" version read before the row was
    expires: datetime
    touched: datetime | None  # last recorded sight/use
    touch_seconds: int


_sign_ins: OrderedDict[str, SignIn] = OrderedDict()
_sign_ins_lock = threading.Lock()


def credential_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def remember_sign_in(plain: str, entry: SignIn) -> None:
    key = credential_hash(plain)
    with _sign_ins_lock:
        _sign_ins[key] = entry
        _sign_ins.move_to_end(key)
        while len(_sign_ins) > MAX_ENTRIES:
            _sign_ins.popitem(last=False)


def known_user(plain: str, accounts: int, now: datetime) -> int | None:
    """The user of a token or session id, without the database, when that is certain."""
    with _sign_ins_lock:
        entry = _sign_ins.get(credential_hash(plain))
    if entry is None or entry.accounts != accounts or now >= entry.expires:
        return None
    if entry.touched is None or not (
        timedelta(0) <= now - entry.touched < timedelta(seconds=entry.touch_seconds)
    ):
        return None  # a touch is due (or idle expiry near): the normal path decides
    return entry.user_id


# --- the response cache -------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    versions: tuple[int, ...]
    at: datetime
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


_store: OrderedDict[tuple, Stored] = OrderedDict()
_store_bytes = 0
_store_lock = threading.Lock()


def _get(key: tuple) -> Stored | None:
    with _store_lock:
        found = _store.get(key)
        if found is not None:
            _store.move_to_end(key)
        return found


def _put(key: tuple, value: Stored) -> None:
    global _store_bytes
    with _store_lock:
        old = _store.pop(key, None)
        if old is not None:
            _store_bytes -= len(old.body)
        _store[key] = value
        _store_bytes += len(value.body)
        while _store and (len(_store) > MAX_ENTRIES or _store_bytes > MAX_BYTES):
            _key, dropped = _store.popitem(last=False)
            _store_bytes -= len(dropped.body)


def clear() -> None:
    global _store_bytes
    with _store_lock:
        _store.clear()
        _store_bytes = 0
    with _sign_ins_lock:
        _sign_ins.clear()


changes.register_cache(clear)


def stats() -> dict:
    with _store_lock:
        return {"entries": len(_store), "bytes": _store_bytes, "sign_ins": len(_sign_ins)}


# --- reading the versions -----------------------------------------------------------------------


_reader: dict = {}
_reader_lock = threading.Lock()


def _counters(query) -> list:
    """Read the counters on a connection this cache keeps open (no pool checkout and no
    pre-ping per request); its transaction ends after each read, so it holds no snapshot.
    A broken connection (the database restarted) is replaced once."""
    engine = get_engine()
    with _reader_lock:
        for attempt in (1, 2):
            conn = _reader.get("conn") if _reader.get("engine") is engine else None
            if conn is None:
                old = _reader.pop("conn", None)
                if old is not None:
                    try:
                        old.close()
                    except Exception:  # noqa: BLE001 - the old engine may be gone
                        pass
                conn = reading(engine).connect()
                _reader.update(engine=engine, conn=conn)
            try:
                rows = conn.execute(query).all()
                conn.rollback()
                return rows
            except Exception:
                _reader.pop("conn", None)
                try:
                    conn.invalidate()
                    conn.close()
                except Exception:  # noqa: BLE001
                    pass
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _read_versions(scope) -> tuple[dict[str, int], bool] | None:
    """({kind: version}, dirty): one read of the counters, through the session the routes
    would use (a test's shared transaction included); a miss's request session takes it
    over as its `changes.versions` (zhuanjie.db.get_session). `dirty`: that connection holds writes
    not yet counted (only ever in tests sharing one transaction): neither serve nor store."""
    override = getattr(scope.get("app"), "dependency_overrides", {}).get(get_session)
    table = ChangeCounter.__table__
    query = select(table.c.name, table.c.version, table.c.pruned_below)
    if override is None:
        rows = _counters(query)
        scope.setdefault("state", {})["zj_versions_read"] = {n: (v, p) for n, v, p in rows}
        return {n: v for n, v, _p in rows}, False
    wanted = inspect.signature(override).parameters
    if any(name != "request" for name in wanted):
        return None  # an override this cache cannot call: leave it alone
    provider = override(Request(scope)) if wanted else override()
    try:
        session = next(provider)
    except StopIteration:  # pragma: no cover - a provider that yields nothing
        return None
    try:
        conn = session.connection()
        found = {n: v for n, v, _p in conn.execute(query)}
        dirty = bool(changes.dirty_kinds(conn))
        return found, dirty
    finally:
        provider.close()


# --- the middleware -----------------------------------------------------------------------------


def _credential(scope) -> tuple[str, str] | None | bool:
    """("token"|"session", plain), None for an anonymous request, False when unreadable."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            text = value.decode("latin-1")
            if text.lower().startswith("bearer "):
                return "token", text[7:].strip()
            return False
    browser = scope.get("session") or {}
    if any(key != "sid" for key in browser):
        return False  # anything else kept for the browser (a message to show) is for once
    sid = browser.get("sid")
    if sid is None:
        return None
    return ("session", sid) if isinstance(sid, str) and sid else False


def _accept(scope) -> bytes:
    for name, value in scope.get("headers", ()):
        if name == b"accept":
            return value
    return b""


class PageCache:
    """Serve opted-in GETs from the cache; store what may be served again. Sits inside the
    session middleware (so it sees the browser session) and outside everything else."""

    def __init__(self, app, *, on: bool = True) -> None:
        self.app = app
        self.on = on

    async def __call__(self, scope, receive, send) -> None:
        if (
            not self.on
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        kinds = kinds_for(scope["path"])
        credential = _credential(scope) if kinds is not None else False
        if kinds is None or credential is False:
            await self.app(scope, receive, send)
            return
        try:
            read = _read_versions(scope)
        except Exception:  # noqa: BLE001 - the database is away: the page says so itself
            log.warning("page cache: change counters unreadable", exc_info=True)
            read = None
        if read is None:
            await self.app(scope, receive, send)
            return
        versions, dirty = read
        now = utc_now()
        user_id = None
        if credential is not None:
            kinds = tuple(dict.fromkeys((*kinds, *SIGNED_IN_KINDS)))
            user_id = known_user(credential[1], versions.get("accounts", 0), now)
        wanted = tuple(versions.get(k, 0) for k in kinds)
        base = (scope["method"], scope["path"], scope.get("query_string", b""), _accept(scope))
        if not dirty and (credential is None or user_id is not None):
            hit = _get((*base, user_id))
            if (
                hit is not None
                and hit.versions == wanted
                and timedelta(0) <= now - hit.at < timedelta(seconds=max_age())
            ):
                await send({"type": "http.response.start", "status": hit.status,
                            "headers": list(hit.headers)})
                body = b"" if scope["method"] == "HEAD" else hit.body
                await send({"type": "http.response.body", "body": body})
                return
        await self._miss(scope, receive, send, base, wanted, versions, credential, dirty, now)

    async def _miss(self, scope, receive, send, base, wanted, versions, credential, dirty, now):
        state = scope.setdefault("state", {})
        state["zj_versions"] = versions
        browser_session = dict(scope.get("session") or {})
        marker = {"wrote": False}
        token = changes.request_writes.set(marker)
        start: dict = {}
        chunks: list[bytes] = []
        size = 0
        keep = not dirty

        async def capture(message) -> None:
            nonlocal keep, size
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and keep:
                size += len(message.get("body", b""))
                if size > MAX_BODY:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            changes.request_writes.reset(token)
        if not keep or marker["wrote"] or start.get("status") != 200:
            return
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", ()))
        if any(k.lower() == b"set-cookie" for k, _ in headers):
            return
        if dict(scope.get("session") or {}) != browser_session:
            return  # a flash shown or set, a sign-in ended: this response is for once
        user_id = None
        if credential is not None:
            signed = state.get("zj_user")
            if signed is None or signed[1]:  # not recognised, or must change the password
                return
            user_id = signed[0]
        if scope["method"] == "HEAD":
            return
        _put((*base, user_id), Stored(wanted, now, 200, headers, b"".join(chunks)))
