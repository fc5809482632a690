"""Statements built once per process for each user scope: for the start page, building its
statements (visibility joins, subqueries) cost more than running them. The day and the moment
come in as bound parameters, so a built statement stays right; the scope is what a caseworker,
supervisor or administrator sees (id, role, region), so a user moved to another township gets
new ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhuanjie.models import User


class PerScope:
    def __init__(self, build: Callable[[User], Any], limit: int = 1024) -> None:
        self._build = build
        self._limit = limit
        self._built: dict[tuple, Any] = {}

    def __call__(self, user: User) -> Any:
        key = (user.id, user.role, user.region_path)
        built = self._built.get(key)
        if built is None:
            if len(self._built) >= self._limit:
                self._built.clear()  # rare: a fresh start beats bookkeeping an LRU here
            built = self._built[key] = self._build(user)
        return built
