"""The best-looking excluded offers of a need, without explaining every offer.

The match page shows the few offers of the need's category that miss by the fewest hard
rules, with the rules. Explaining each of thousands of offers in Python on every request was
most of the page's time; instead each process keeps, per version of the engine's index and
per category, the rule-relevant fields of the live offers as arrays (and per region and per
set of groups, which of them cover or admit it), counts the broken rules of all of them at
once, and asks `matching.explain_exclusions` only about the few it will show. The order is
exactly the one explaining every offer would give: fewest broken rules first, then those
whose first broken rule is capacity, then index order.
"""

from __future__ import annotations

import threading
from datetime import date

import numpy as np

import matching
from matching.regions import covers

_NAN = np.nan


class _CategoryTable:
    def __init__(self, offers: list[matching.Offer]) -> None:
        self.offers = offers
        self.ids = [o.id for o in offers]

        def col(values):
            return np.array([_NAN if v is None else float(v) for v in values], dtype=float)

        self.age_min = col(o.age_min for o in offers)
        self.age_max = col(o.age_max for o in offers)
        self.income_ceiling = col(o.income_ceiling for o in offers)
        self.capacity = col(o.capacity_remaining for o in offers)
        self.valid_from = col(o.valid_from.toordinal() if o.valid_from else None for o in offers)
        self.valid_until = col(
            o.valid_until.toordinal() if o.valid_until else None for o in offers
        )
        self._coverage: dict[str, np.ndarray] = {}
        self._groups: dict[frozenset, np.ndarray] = {}

    def covering(self, region: str) -> np.ndarray:
        mask = self._coverage.get(region)
        if mask is None:
            mask = np.array(
                [any(covers(c, region) for c in o.coverage) for o in self.offers], dtype=bool
            )
            self._coverage[region] = mask
        return mask

    def admitting(self, groups: frozenset) -> np.ndarray:
        mask = self._groups.get(groups)
        if mask is None:
            mask = np.array(
                [not o.eligible_groups or bool(set(o.eligible_groups) & groups)
                 for o in self.offers],
                dtype=bool,
            )
            self._groups[groups] = mask
        return mask


class ExclusionTables:
    """Per process: category tables for one state of the engine's index."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._tables: dict[str, _CategoryTable] = {}

    def table(self, index: matching.OfferIndex, stamp: tuple, category: str) -> _CategoryTable:
        with self._lock:
            if self._stamp != stamp:
                self._stamp, self._tables = stamp, {}
            table = self._tables.get(category)
            if table is None:
                table = _CategoryTable(
                    [o for o in index.live_offers() if category in o.categories]
                )
                self._tables[category] = table
            return table

    def clear(self) -> None:
        with self._lock:
            self._stamp, self._tables = None, {}


tables = ExclusionTables()


def nearest_excluded(
    need: matching.Need,
    index: matching.OfferIndex,
    stamp: tuple,
    *,
    skip: set[str],
    as_of: date,
    shown: int,
) -> list[tuple[str, list[matching.Exclusion]]]:
    """The `shown` excluded offers of the need's category that miss by the fewest rules."""
    t = tables.table(index, stamp, need.category)
    if not t.ids:
        return []
    day = as_of.toordinal()
    coverage = ~t.covering(need.region)
    groups = ~t.admitting(frozenset(need.groups))
    if need.beneficiary_age is None:
        age = np.zeros(len(t.ids), dtype=bool)
    else:
        a = need.beneficiary_age
        age = (t.age_min > a) | (t.age_max < a)  # NaN compares False: no bound
    if need.income_per_capita is None:
        income = np.zeros(len(t.ids), dtype=bool)
    else:
        income = need.income_per_capita > t.income_ceiling
    capacity = t.capacity <= 0
    validity = (day < t.valid_from) | (day > t.valid_until)
    broken = (coverage.astype(int) + groups + age + income + capacity + validity)
    capacity_first = capacity & ~coverage & ~groups & ~age & ~income
    candidates = np.flatnonzero(broken > 0)
    if skip:
        candidates = candidates[[t.ids[i] not in skip for i in candidates]]
    # Fewest broken rules, then capacity-first ones, then index order (a stable sort).
    order = candidates[np.lexsort((~capacity_first[candidates], broken[candidates]))]
    picked = [t.offers[i] for i in order[:shown]]
    found = matching.explain_exclusions(need, picked, as_of=as_of)
    return [(o.id, found[o.id]) for o in picked if o.id in found]
