"""Region paths (``南通市/如皋市/白蒲镇``) and coverage."""

from __future__ import annotations


def segments(path: str) -> tuple[str, ...]:
    """The non-empty segments of a ``/``-separated region path."""
    return tuple(s for s in path.strip().strip("/").split("/") if s)


def prefixes(region: str) -> list[str]:
    """Every ancestor path of ``region`` including itself, shortest first."""
    seg = segments(region)
    return ["/".join(seg[: i + 1]) for i in range(len(seg))]


def covers(coverage_path: str, region: str) -> bool:
    """True when ``region`` equals ``coverage_path`` or lies below it."""
    c, r = segments(coverage_path), segments(region)
    return len(c) <= len(r) and r[: len(c)] == c


def covering_depth(coverage: tuple[str, ...] | list[str], region: str) -> int:
    """Depth (1 city, 2 county, 3 township …) of the most specific covering path; 0: none."""
    r = segments(region)
    best = 0
    for p in coverage:
        c = segments(p)
        if len(c) <= len(r) and r[: len(c)] == c and len(c) > best:
            best = len(c)
    return best
