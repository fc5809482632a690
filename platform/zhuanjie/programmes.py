"""Government programmes: what their structured rules add to the engine's hard rules.

A *programme* is an offer of a government organisation marked as a standing programme
(`Offer.is_programme`, 常设政策). Its `rules` (`offers.schemas.OfferRules`) say more than the
engine's exchange format can carry; the engine (`matching`) stays pure and this module is the
one place the platform reads them:

- `income_line_monthly`: the household's monthly income per person must not exceed it
  (like the engine's `income_ceiling`: equal to the line is within it);
- `excludes_groups`: a household in any of these groups is not served (特困 are supported by
  供养, not by 低保);
- `requires_local_registration` (本地户籍): a household is registered in the platform at its
  户籍 township (`Household.region_path`), so the engine's coverage rule already answers it;
- `government_first`: on the match page such a programme, admissible and not yet received,
  is listed before everything else, marked 政府救助优先;
- `stacks_with_charity`: see `stacking_refused`.

Eligible groups, age, region, capacity and validity are the engine's own hard rules and are
asked of `matching.violations` (through `matching.explain_exclusions`), never re-implemented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

import matching
from matching.schema import GROUP_CN
from zhuanjie.offers.schemas import OfferRules

EXTRA_LABELS = {
    "income_line": "收入高于政策标准",
    "income_unknown": "未登记家庭收入",
    "excluded_group": "属于政策排除的对象类别",
    "no_stacking": "不与已享受的政府救助叠加",
}


def rules_of(stored: dict | None) -> OfferRules:
    """An offer's stored rules as `OfferRules` (rules that no longer validate count as none)."""
    try:
        return OfferRules.model_validate(stored or {})
    except ValidationError:
        return OfferRules()


def is_programme(*, is_programme_flag: bool, organisation_kind: str) -> bool:
    """A standing programme of a government body (an NGO cannot publish one)."""
    return bool(is_programme_flag) and organisation_kind == "government"


def _ex(code: str, detail: str) -> matching.Exclusion:
    return matching.Exclusion(code, EXTRA_LABELS[code], detail)


def _yuan(value: float | Decimal) -> str:
    return f"{float(value):g}"


def rule_exclusions(
    rules: OfferRules, *, groups: tuple[str, ...] | list[str], income: float | None,
    strict: bool = False,
) -> list[matching.Exclusion]:
    """The programme rules (beyond the engine's) a household breaks.

    `strict` (应享未享): an unknown income does not meet an income line, since the worklist
    states why the household qualifies; the match page, like the engine, lets it pass."""
    out: list[matching.Exclusion] = []
    banned = [g for g in rules.excludes_groups if g in groups]
    if banned:
        out.append(_ex("excluded_group", "、".join(GROUP_CN.get(g, g) for g in banned)))
    line = rules.income_line_monthly
    if line is not None:
        if income is None:
            if strict:
                out.append(_ex("income_unknown", f"标准 {_yuan(line)} 元/人·月"))
        elif income > float(line):
            out.append(_ex("income_line",
                           f"人均月收入 {_yuan(income)} 元，标准 {_yuan(line)} 元"))
    return out


@dataclass(frozen=True)
class HouseholdFacts:
    """What eligibility looks at: the household's region, groups, income and members' ages."""

    region: str
    groups: tuple[str, ...]
    income: float | None
    ages: tuple[int, ...]  # members whose birth date is known


def _probe(household: HouseholdFacts, age: int | None) -> matching.Need:
    # The engine judges needs; a household is judged as a need of any category for one member.
    return matching.Need(
        id="household", title="", description="", category="basic_living",
        region=household.region, groups=household.groups, beneficiary_age=age,
        income_per_capita=household.income,
    )


def eligibility(
    household: HouseholdFacts, record: matching.Offer, rules: OfferRules, *, as_of: date
) -> str | None:
    """Why the household qualifies for the programme, in Chinese (None: it does not).

    Only a programme owed to whoever meets its rules is considered: one with a rule about
    the household itself (eligible groups or an income line; one open to everyone in its
    area says nothing of this household) and without a limit of places (scarce places are
    shared out by allocation, not owed). The engine's hard rules are asked first (for the
    age rule, of each member until one fits), then the programme's own."""
    if not record.eligible_groups and rules.income_line_monthly is None:
        return None
    if record.capacity_remaining is not None:
        return None
    if rule_exclusions(rules, groups=household.groups, income=household.income, strict=True):
        return None
    bounded = record.age_min is not None or record.age_max is not None
    fitting = None
    for age in (household.ages if bounded else (None,)):
        if not matching.explain_exclusions(_probe(household, age), [record], as_of=as_of):
            fitting = age
            break
    else:
        return None
    parts = []
    shared = [g for g in record.eligible_groups if g in household.groups]
    if shared:
        parts.append("属于" + "、".join(GROUP_CN.get(g, g) for g in shared))
    if rules.income_line_monthly is not None:
        parts.append(f"人均月收入 {_yuan(household.income)} 元，"
                     f"不高于标准 {_yuan(rules.income_line_monthly)} 元")
    if fitting is not None:
        parts.append(f"家庭成员 {fitting} 岁，{_age_range(record.age_min, record.age_max)}")
    if rules.excludes_groups:
        parts.append("不属于" + "、".join(GROUP_CN.get(g, g) for g in rules.excludes_groups))
    parts.append("户籍在服务范围内")
    if rules.basis:
        parts.append(f"依据{rules.basis}")
    return "；".join(parts)


def _age_range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"在 {lo}–{hi} 岁范围内"
    return f"不低于 {lo} 岁" if lo is not None else f"不超过 {hi} 岁"


@dataclass(frozen=True)
class Received:
    """A government programme the household receives now (an entitlement row)."""

    category: str
    programme: str
    offer_id: int | None
    monthly_amount: Decimal | None
    refuses_charity: bool  # the programme's rules say stacks_with_charity=false


def receives(received: list[Received], *, offer_id: int, title: str) -> bool:
    """Whether one of the entitlements is this programme: linked to it, or (typed by hand,
    without a link) named exactly as it is."""
    return any(r.offer_id == offer_id or (r.offer_id is None and r.programme == title)
               for r in received)


def stacking_refused(
    received: list[Received], *, categories: tuple[str, ...] | list[str], government: bool,
    refuses_stacking: bool, offer_id: int,
) -> Received | None:
    """The received programme an offer may not be proposed beside (None: it may).

    Charity for the gap: a household that receives a government programme of a category may
    still be proposed other offers of that category to add to it. Stacking is refused, for
    a received programme of one of the offer's categories (other than the offer itself),
    when either side says so:

    - the offer's own rules say `stacks_with_charity=false`: it is not given on top of
      government help of its category (issue 14's wording);
    - the received programme's rules say `stacks_with_charity=false` ("charity may add to
      it": `OfferRules`) and the offer is not a government body's, i.e. it is charity.

    An entitlement typed without a link to a programme has no rules and refuses nothing by
    itself.
    """
    for r in received:
        if r.category not in categories or r.offer_id == offer_id:
            continue
        if refuses_stacking or (r.refuses_charity and not government):
            return r
    return None


def stacking_exclusion(blocker: Received) -> matching.Exclusion:
    amount = (f"（每月 {_yuan(blocker.monthly_amount)} 元）"
              if blocker.monthly_amount is not None else "")
    return _ex("no_stacking", f"该家庭已享受{blocker.programme}{amount}")
