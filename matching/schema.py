"""Records of the exchange format (shared spec ``matching-io.md``) and the ranking result.

Need and Offer are plain slotted dataclasses so the platform can build them straight from its
rows: dates are ``datetime.date`` (or ISO strings, converted on construction), list fields are
lists (or any iterable, stored as tuples).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

CATEGORIES: tuple[str, ...] = (
    "basic_living", "medical", "education", "housing", "employment", "emergency",
    "care", "rehabilitation", "psychological", "legal", "insurance",
)
CATEGORY_CN: dict[str, str] = {
    "basic_living": "基本生活", "medical": "医疗救助", "education": "教育救助",
    "housing": "住房救助", "employment": "就业帮扶", "emergency": "临时救助/急难",
    "care": "照料关爱", "rehabilitation": "康复", "psychological": "心理疏导",
    "legal": "法律援助", "insurance": "保险保障",
}
GROUPS: tuple[str, ...] = (
    "dibao", "tekun", "jiandang", "low_income", "disabled", "serious_illness",
    "expenditure_hardship", "left_behind_child", "left_behind_elderly", "disaster_victim",
)
GROUP_CN: dict[str, str] = {
    "dibao": "低保对象", "tekun": "特困人员", "jiandang": "建档立卡低收入人口",
    "low_income": "低收入家庭", "disabled": "残疾人", "serious_illness": "重病患者",
    "expenditure_hardship": "支出型困难家庭", "left_behind_child": "留守儿童",
    "left_behind_elderly": "留守老人", "disaster_victim": "受灾群众",
}
PROVIDER_TYPES: tuple[str, ...] = ("government", "ngo", "donor", "enterprise")
MODES: tuple[str, ...] = ("cash", "in_kind", "service", "volunteer")
CAT_INDEX = {c: i for i, c in enumerate(CATEGORIES)}
GROUP_BIT = {g: 1 << i for i, g in enumerate(GROUPS)}


def _round4(x: float) -> float:
    # numpy's rounding, as the bulk JSON renderer (rank_lines) rounds whole arrays with it
    return float(np.round(np.float64(x), 4))


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@dataclass(slots=True)
class Need:
    """One need (救助需求); fields as in the spec."""

    id: str
    title: str
    description: str
    category: str
    region: str
    groups: tuple[str, ...] = ()
    beneficiary_age: int | None = None
    household_size: int | None = None
    income_per_capita: float | None = None
    urgency: int = 1
    amount_needed: float | None = None
    created_at: dt.date | None = None
    # not in the spec's format (its files have no sex): the platform knows the beneficiary's
    # sex from the ID number and passes it ("男"/"女"); without it the text is read
    # (beneficiary.py)
    beneficiary_sex: str | None = None

    def __post_init__(self) -> None:
        self.groups = tuple(self.groups or ())
        self.created_at = _date(self.created_at)
        if self.urgency is None:
            self.urgency = 1


@dataclass(slots=True)
class Offer:
    """One offer (救助资源 / 帮扶项目); fields as in the spec."""

    id: str
    title: str
    description: str
    provider_type: str
    provider_name: str
    categories: tuple[str, ...]
    coverage: tuple[str, ...]
    eligible_groups: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    income_ceiling: float | None = None
    capacity_remaining: int | None = None
    amount_per_beneficiary: float | None = None
    mode: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def __post_init__(self) -> None:
        self.categories = tuple(self.categories or ())
        self.coverage = tuple(self.coverage or ())
        self.eligible_groups = tuple(self.eligible_groups or ())
        self.valid_from = _date(self.valid_from)
        self.valid_until = _date(self.valid_until)


@dataclass(slots=True)
class RankedOffer:
    """An admissible offer for a need: its score in [0, 1] and the Chinese reasons."""

    offer_id: str
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class NeedRanking:
    """The ranked admissible offers of one need, best first."""

    need_id: str
    ranked: list[RankedOffer] = field(default_factory=list)

    def to_json(self) -> dict:
        """The spec's output line as a dict."""
        return {
            "need_id": self.need_id,
            "ranked": [
                {"offer_id": r.offer_id, "score": _round4(r.score), "reasons": r.reasons}
                for r in self.ranked
            ],
        }
