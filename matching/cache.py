"""What the engine keeps between calls, and the bound on each.

An ``OfferIndex`` owns one ``EngineCache`` (``index.cache``); every change to the index
(add, update, remove, capacity, provider history) clears it, so nothing in it can be stale.
Nothing large is cached at module level: a process holding no index holds no cache but the
last scorer and its float32 weights (``rank._WEIGHTS``: kilobytes) and a few dozen logarithms
(``text._LOG1``).

=============  ==================================================  ===========================
cache          key -> value                                        bound
=============  ==================================================  ===========================
``regions``    (region, day, scorer weights, index version) ->      ``REGIONS`` = 128 entries,
               ``RegionTables``
               (the region's candidate offers and lookup tables)   least recently used first
                                                                   out. One entry is about
                                                                   1.5 MB at 10,000 offers
                                                                   (a township sees ~1,500),
                                                                   so at most ~200 MB there;
                                                                   Nantong has 90 region paths
                                                                   down to townships.
``reasons``    reason strings and their JSON fragments by the      ``REASONS`` = 50,000
               integer keys of ``ReasonMaker.keys``                entries in all (~15 MB),
                                                                   checked before and after
                                                                   each ranking call: over
                                                                   it, the strings are dropped
                                                                   (100,000 needs x 10,000
                                                                   offers leave ~10,700:
                                                                   profiles are cached per
                                                                   offer profile class).
=============  ==================================================  ===========================

Caches that live only for one call (reason lists per need, JSON-encoded ids) belong to that
call's objects and go with them. The lookups are safe from several threads at once (each
operation is one C-level dict call; a racing eviction only costs a recomputation) and in
forked workers (no locks to inherit).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

_MISSING = object()


class LRU:
    """A mapping of at most ``maxsize`` entries; the least recently used is dropped first."""

    __slots__ = ("_d", "maxsize")

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._d: OrderedDict = OrderedDict()

    def get(self, key: Hashable, default=None):
        hit = self._d.get(key, _MISSING)
        if hit is _MISSING:
            return default
        try:
            self._d.move_to_end(key)
        except KeyError:        # evicted by another thread in between: still a valid value
            pass
        return hit

    def put(self, key: Hashable, value) -> None:
        d = self._d
        d[key] = value
        try:
            d.move_to_end(key)
            while len(d) > self.maxsize:
                d.popitem(last=False)
        except KeyError:        # another thread emptied it meanwhile
            pass

    def clear(self) -> None:
        self._d.clear()

    def __len__(self) -> int:
        return len(self._d)


class ReasonStrings:
    """Reason parts by integer key (see ``ReasonMaker``), shared by the calls on one index."""

    __slots__ = ("amount", "content", "content_json", "coverage", "profile", "profile_json")

    def __init__(self) -> None:
        self.profile: dict[int, list[str]] = {}     # profile key -> reasons
        self.content: dict[int, str] = {}           # content key -> "内容相关: …"
        self.coverage: dict[tuple[str, int], str] = {}   # (region, depth) -> "覆盖: …"
        self.amount: dict[int, str] = {}            # offer slot -> "金额: 可助…元，需"
        self.profile_json: dict[int, str] = {}      # the same parts as JSON fragments
        self.content_json: dict[int, str] = {}

    def __len__(self) -> int:
        return (len(self.profile) + len(self.content) + len(self.coverage) + len(self.amount)
                + len(self.profile_json) + len(self.content_json))

    def clear(self) -> None:
        for name in self.__slots__:
            getattr(self, name).clear()


class EngineCache:
    """The caches of one ``OfferIndex`` (see the module docstring for the bounds)."""

    REGIONS = 128
    REASONS = 50_000

    def __init__(self) -> None:
        self.regions = LRU(self.REGIONS)
        self.reasons = ReasonStrings()

    def trim(self) -> None:
        """Enforce the bound on the reason strings (called around each ranking call)."""
        if len(self.reasons) > self.REASONS:
            self.reasons.clear()

    def clear(self) -> None:
        self.regions.clear()
        self.reasons.clear()
