"""A small in-process cache of anonymous board responses (a few seconds' worth).

The board is the same for every visitor who is not signed in, and most visitors ask for the
same few pages, so the rendered bytes are kept for `ZHUANJIE_BOARD_CACHE_SECONDS` (default 30;
0 turns it off). Every change to the board, in any process or replica, bumps the board's
change counter (zhuanjie.changes) in its transaction; a lookup given the request's session
first compares that counter with the one it last saw and forgets every page when it moved,
so all processes stay coherent; the TTL only bounds how long a page can show a day-old
"deadline passed" or a consent that lapsed at midnight. Signed-in users (donors deciding
how much to give) always get fresh pages, and a pledge is checked against the database,
never against a cached figure.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict

from zhuanjie import changes

MAX_ENTRIES = 2000

_lock = threading.Lock()
_entries: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()


def ttl() -> float:
    try:
        return float(os.environ.get("ZHUANJIE_BOARD_CACHE_SECONDS", "30"))
    except ValueError:
        return 30.0


_watch = changes.Watcher(("board",))


def sync(session) -> None:
    """Forget every page if the board changed anywhere since this process last looked."""
    if _watch.moved(session):
        with _lock:
            _entries.clear()


def get(key: str, session=None) -> tuple[bytes, str] | None:
    """(body, media type) if fresh, else None; with a session, checked against the board's
    change counter first."""
    if session is not None:
        sync(session)
    with _lock:
        hit = _entries.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            del _entries[key]
            return None
        _entries.move_to_end(key)
        return hit[1], hit[2]


def put(key: str, body: bytes, media_type: str) -> None:
    seconds = ttl()
    if seconds <= 0:
        return
    with _lock:
        _entries[key] = (time.monotonic() + seconds, body, media_type)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def count(key: str, compute) -> int:
    """A board total for one set of filters, shared by every page and sort order of it."""
    hit = get("count:" + key)
    if hit is not None:
        return int(hit[0])
    total = compute()
    put("count:" + key, str(total).encode(), "text/plain")
    return total


def clear() -> None:
    """The board changed here (published, taken down, pledged …): forget every page."""
    with _lock:
        _entries.clear()


def _forget_all() -> None:
    clear()
    _watch.clear()


changes.register_cache(_forget_all)
