"""The five hard rules of the spec as pure functions, with stable codes and Chinese labels.

An offer that breaks a rule is never ranked for that need. The bulk path (``index.py``)
applies the same rules as vectorised masks; tests check the two agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .regions import covers
from .schema import GROUP_CN, Need, Offer

RULE_LABELS: dict[str, str] = {
    "coverage": "不在服务范围",
    "groups": "不符合对象类别",
    "age": "年龄不符",
    "income": "收入超过上限",
    "capacity": "名额已满",
    "validity": "不在有效期内",
}


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why an offer is not admissible for a need: a stable ``code``, its ``label``, a detail."""

    code: str
    label: str
    detail: str = ""


def _ex(code: str, detail: str) -> Exclusion:
    return Exclusion(code, RULE_LABELS[code], detail)


def violations(need: Need, offer: Offer, as_of: dt.date) -> list[Exclusion]:
    """Every hard rule ``offer`` breaks for ``need`` on ``as_of`` (empty: admissible)."""
    out: list[Exclusion] = []
    if not any(covers(c, need.region) for c in offer.coverage):
        out.append(_ex("coverage", f"服务范围: {'、'.join(offer.coverage)}"))
    if offer.eligible_groups and not set(offer.eligible_groups) & set(need.groups):
        names = "、".join(GROUP_CN.get(g, g) for g in offer.eligible_groups)
        out.append(_ex("groups", f"限于: {names}"))
    age = need.beneficiary_age
    if age is not None and (
        (offer.age_min is not None and age < offer.age_min)
        or (offer.age_max is not None and age > offer.age_max)
    ):
        lo = "" if offer.age_min is None else offer.age_min
        hi = "" if offer.age_max is None else offer.age_max
        out.append(_ex("age", f"年龄要求 {lo}–{hi} 岁，实际 {age} 岁"))
    inc = need.income_per_capita
    if inc is not None and offer.income_ceiling is not None and inc > offer.income_ceiling:
        out.append(_ex("income", f"人均月收入 {inc:g} 元，上限 {offer.income_ceiling:g} 元"))
    if offer.capacity_remaining is not None and offer.capacity_remaining <= 0:
        out.append(_ex("capacity", "剩余名额 0"))
    if (offer.valid_from is not None and as_of < offer.valid_from) or (
        offer.valid_until is not None and as_of > offer.valid_until
    ):
        lo = offer.valid_from.isoformat() if offer.valid_from else ""
        hi = offer.valid_until.isoformat() if offer.valid_until else ""
        out.append(_ex("validity", f"有效期 {lo}–{hi}"))
    return out


def admissible(need: Need, offer: Offer, as_of: dt.date) -> bool:
    """True when ``offer`` breaks no hard rule for ``need`` on ``as_of``."""
    return not violations(need, offer, as_of)


def explain_exclusions(
    need: Need, offers: Iterable[Offer], *, as_of: dt.date
) -> dict[str, list[Exclusion]]:
    """For each offer that ``need`` may not receive, the rules it breaks.

    Parameters
    ----------
    need : Need
    offers : iterable of Offer
    as_of : datetime.date
        The day validity windows are judged against.

    Returns
    -------
    dict
        ``offer_id -> [Exclusion, ...]``, only for excluded offers (admissible ones are absent).

    Examples
    --------
    >>> ex = explain_exclusions(need, offers, as_of=date(2018, 3, 1))   # doctest: +SKIP
    >>> [(e.code, e.label) for e in ex["DO22"]]                          # doctest: +SKIP
    [('coverage', '不在服务范围')]
    """
    out = {}
    for o in offers:
        v = violations(need, o, as_of)
        if v:
            out[o.id] = v
    return out
