"""Nantong's region tree, shipped as data: paths like 南通市/如皋市/白蒲镇."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "regions-nantong.json"
LEVELS = {1: "city", 2: "county", 3: "township"}


@dataclass(frozen=True, slots=True)
class RegionNode:
    path: str
    name: str
    level: int
    parent: str | None


@lru_cache
def region_nodes() -> tuple[RegionNode, ...]:
    tree = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    nodes: list[RegionNode] = []
    for city, counties in tree.items():
        nodes.append(RegionNode(city, city, 1, None))
        for county, townships in counties.items():
            county_path = f"{city}/{county}"
            nodes.append(RegionNode(county_path, county, 2, city))
            for town in townships:
                nodes.append(RegionNode(f"{county_path}/{town}", town, 3, county_path))
    return tuple(nodes)


@lru_cache
def _by_path() -> dict[str, RegionNode]:
    return {n.path: n for n in region_nodes()}


def is_known(path: str) -> bool:
    return path in _by_path()


def check_region(path: str, *, min_level: int = 1) -> str:
    """Return the path if it names a known region at least that deep, else a Chinese error."""
    path = (path or "").strip().strip("/")
    node = _by_path().get(path)
    if node is None:
        raise ValueError("未知的行政区划，请从列表中选择")
    if node.level < min_level:
        raise ValueError("请选择到" + ("县（市、区）" if min_level == 2 else "镇（街道）") + "一级")
    return path


def ancestors(path: str) -> list[str]:
    """The path itself and every region above it, nearest first."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(len(parts), 0, -1)]


def within(path: str, scope: str) -> bool:
    return path == scope or path.startswith(scope + "/")


def counties() -> list[RegionNode]:
    return list(_counties())


@lru_cache
def _counties() -> tuple[RegionNode, ...]:
    return tuple(n for n in region_nodes() if n.level == 2)


def townships(county_path: str | None = None) -> list[RegionNode]:
    return list(_townships(county_path))


@lru_cache(maxsize=64)
def _townships(county_path: str | None) -> tuple[RegionNode, ...]:
    return tuple(
        n
        for n in region_nodes()
        if n.level == 3 and (county_path is None or n.parent == county_path)
    )


def short_name(path: str | None) -> str:
    """Drop the city for display: 南通市/如皋市/白蒲镇 → 如皋市白蒲镇."""
    if not path:
        return ""
    parts = path.split("/")
    return "".join(parts[1:]) if len(parts) > 1 else parts[0]


def sync_regions(session) -> int:
    """Insert the shipped regions that the database lacks; returns how many were added."""
    from sqlmodel import select

    from zhuanjie.models import Region

    have = set(session.exec(select(Region.path)).all())
    added = 0
    for node in region_nodes():  # parents come before children
        if node.path not in have:
            session.add(
                Region(path=node.path, name=node.name, level=node.level, parent_path=node.parent)
            )
            session.flush()
            added += 1
    return added


def path_for(text: str) -> str:
    """A region path from what a file says: a path, or a unique region name (白蒲镇, 如皋市).
    What cannot be resolved comes back as given, for the schema to refuse by name."""
    text = text.strip().strip("/")
    if is_known(text):
        return text
    found = [n.path for n in region_nodes() if text in (n.name, short_name(n.path))]
    return found[0] if len(found) == 1 else text
def root_path() -> str:
    """The city at the top of the tree."""
    return next(n.path for n in region_nodes() if n.level == 1)
