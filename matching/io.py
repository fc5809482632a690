"""Reading the exchange format (JSONL) into records, with file/line/field errors."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .schema import CATEGORIES, GROUPS, MODES, PROVIDER_TYPES, Need, NeedRanking, Offer

_CATS = frozenset(CATEGORIES)
_GROUPS = frozenset(GROUPS)
_MODES = frozenset(MODES)
_PTYPES = frozenset(PROVIDER_TYPES)


class InputError(ValueError):
    """Bad input: names the file, the line (1-based) and the field."""

    def __init__(self, path: str, line: int, field: str | None, message: str) -> None:
        self.path, self.line, self.field, self.message = path, line, field, message
        where = f"{path}:{line}"
        super().__init__(f"{where}: field '{field}': {message}" if field else f"{where}: {message}")


class _Bad(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field, self.message = field, message


def _str(row: dict, key: str, required: bool = True) -> str | None:
    v = row.get(key)
    if v is None:
        if required:
            raise _Bad(key, "missing required field")
        return None
    if not isinstance(v, str):
        raise _Bad(key, f"expected a string, got {type(v).__name__}")
    if required and not v.strip():
        raise _Bad(key, "must not be empty")
    return v


def _int(row: dict, key: str, lo: int | None = None, hi: int | None = None) -> int | None:
    v = row.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        else:
            raise _Bad(key, f"expected an integer, got {v!r}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        rng = f">= {lo}" if hi is None else f"in {lo}..{hi}"
        raise _Bad(key, f"must be {rng}, got {v}")
    return v


def _num(row: dict, key: str) -> float | None:
    v = row.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _Bad(key, f"expected a number, got {v!r}")
    if v != v or v < 0 or v == float("inf"):
        raise _Bad(key, f"must be a number >= 0, got {v}")
    return v


def _date(row: dict, key: str) -> dt.date | None:
    v = row.get(key)
    if v is None:
        return None
    if not isinstance(v, str):
        raise _Bad(key, f"expected a date YYYY-MM-DD, got {v!r}")
    try:
        if len(v) != 10:
            raise ValueError
        return dt.date.fromisoformat(v)
    except ValueError:
        raise _Bad(key, f"bad date {v!r} (expected YYYY-MM-DD)") from None


def _codes(row: dict, key: str, allowed: frozenset, what: str, required: bool = False) -> tuple:
    v = row.get(key)
    if v is None:
        if required:
            raise _Bad(key, "missing required field")
        return ()
    if not isinstance(v, list):
        raise _Bad(key, f"expected a list of strings, got {type(v).__name__}")
    if required and not v:
        raise _Bad(key, "must list at least one code")
    for c in v:
        if c not in allowed:
            raise _Bad(key, f"unknown {what} code {c!r}")
    return tuple(v)


def need_from_dict(row: dict[str, Any]) -> Need:
    """Validate one decoded JSON object as a need (raises _Bad on the first bad field)."""
    if not isinstance(row, dict):
        raise _Bad("-", "expected a JSON object")
    cat = _str(row, "category")
    if cat not in _CATS:
        raise _Bad("category", f"unknown category code {cat!r}")
    urgency = _int(row, "urgency", 1, 3)
    return Need(
        id=_str(row, "id"), title=_str(row, "title"), description=_str(row, "description"),
        category=cat, region=_str(row, "region").strip().strip("/"),
        groups=_codes(row, "groups", _GROUPS, "group"),
        beneficiary_age=_int(row, "beneficiary_age", 0, 150),
        household_size=_int(row, "household_size", 1),
        income_per_capita=_num(row, "income_per_capita"),
        urgency=1 if urgency is None else urgency,
        amount_needed=_num(row, "amount_needed"),
        created_at=_date(row, "created_at"),
    )


def offer_from_dict(row: dict[str, Any]) -> Offer:
    """Validate one decoded JSON object as an offer (raises _Bad on the first bad field)."""
    if not isinstance(row, dict):
        raise _Bad("-", "expected a JSON object")
    ptype = _str(row, "provider_type")
    if ptype not in _PTYPES:
        raise _Bad("provider_type", f"unknown provider type {ptype!r}")
    mode = _str(row, "mode", required=False)
    if mode is not None and mode not in _MODES:
        raise _Bad("mode", f"unknown mode {mode!r}")
    cov = row.get("coverage")
    if cov is None:
        raise _Bad("coverage", "missing required field")
    if not isinstance(cov, list) or not cov:
        raise _Bad("coverage", "expected a non-empty list of region paths")
    for c in cov:
        if not isinstance(c, str) or not c.strip("/ "):
            raise _Bad("coverage", f"bad region path {c!r}")
    amin, amax = _int(row, "age_min", 0, 150), _int(row, "age_max", 0, 150)
    return Offer(
        id=_str(row, "id"), title=_str(row, "title"), description=_str(row, "description"),
        provider_type=ptype, provider_name=_str(row, "provider_name"),
        categories=_codes(row, "categories", _CATS, "category", required=True),
        coverage=tuple(c.strip().strip("/") for c in cov),
        eligible_groups=_codes(row, "eligible_groups", _GROUPS, "group"),
        age_min=amin, age_max=amax,
        income_ceiling=_num(row, "income_ceiling"),
        capacity_remaining=_int(row, "capacity_remaining", 0),
        amount_per_beneficiary=_num(row, "amount_per_beneficiary"),
        mode=mode,
        valid_from=_date(row, "valid_from"), valid_until=_date(row, "valid_until"),
    )


def _read(path: str, make) -> list:
    out, seen = [], set()
    loads = json.loads
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(path, 0, None, f"cannot open: {e.strerror}") from None
    with f:
        n = 0
        try:
            for n, line in enumerate(f, 1):  # noqa: B007 - n is used after the loop on errors
                if not line.strip():
                    continue
                try:
                    row = loads(line)
                except ValueError as e:
                    raise InputError(path, n, None, f"not JSON ({e})") from None
                try:
                    rec = make(row)
                except _Bad as e:
                    raise InputError(path, n, e.field, e.message) from None
                if rec.id in seen:
                    raise InputError(path, n, "id", f"duplicate id {rec.id!r}")
                seen.add(rec.id)
                out.append(rec)
        except UnicodeDecodeError:
            raise InputError(path, n + 1, None, "not UTF-8 text") from None
    return out


def read_needs(path: str) -> list[Need]:
    """Read and validate a needs JSONL file; raises InputError naming file, line and field."""
    return _read(path, need_from_dict)


def read_offers(path: str) -> list[Offer]:
    """Read and validate an offers JSONL file; raises InputError naming file, line and field."""
    return _read(path, offer_from_dict)


def iter_lines(rankings: Iterable[NeedRanking]) -> Iterator[str]:
    """The spec's output lines (JSON, Chinese as-is), one per need."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    for r in rankings:
        yield dumps(r.to_json()) + "\n"


def write_ranked(rankings: Iterable[NeedRanking] | Iterable[str], path: str) -> None:
    """Write the ranked output atomically: a temporary file beside ``path``, then os.replace.
    ``rankings`` are NeedRanking objects or lines already rendered (``rank_lines``)."""
    d = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(d, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        rankings = list(rankings)
        lines = rankings if rankings and isinstance(rankings[0], str) else iter_lines(rankings)
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(lines)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
