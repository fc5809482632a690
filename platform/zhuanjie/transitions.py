"""What every lifecycle's transitions table answers: from which states a row may move to a
given one. Each lifecycle's `flow.py` owns its table and its guarded UPDATE (a test checks no
other module writes those rows), and asks this one function for the allowed sources."""

from __future__ import annotations

from collections.abc import Mapping, Set


def sources(table: Mapping[str, Set[str]], to: str) -> tuple[str, ...]:
    """The states of `table` from which a row may move to `to`."""
    return tuple(state for state, targets in table.items() if to in targets)
