"""Input and output shapes for offers (帮扶项目) and the directory."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from zhuanjie import codes, regions

Money = Decimal | None


def _known(values: list[str], vocabulary: dict[str, str], what: str) -> list[str]:
    unknown = [v for v in values if v not in vocabulary]
    if unknown:
        raise ValueError(f"未知的{what}：" + "、".join(unknown))
    return list(dict.fromkeys(values))


class OfferRules(BaseModel):
    """Structured eligibility of a government programme (and optionally of any offer).

    `government_first` marks a standing programme that is tried before charity fills the gap;
    `income_line_monthly` is the per-person monthly income line of the programme;
    `requires_local_registration` asks for 本地户籍; `excludes_groups` names groups the
    programme does not serve (e.g. 特困 are supported by 供养 rather than 低保).
    """

    model_config = ConfigDict(extra="forbid")

    government_first: bool = False
    basis: str = Field(default="", max_length=200)  # 政策依据
    income_line_monthly: Decimal | None = Field(default=None, ge=0, max_digits=12,
                                                decimal_places=2)
    requires_local_registration: bool = False
    excludes_groups: list[str] = Field(default_factory=list)
    stacks_with_charity: bool = True  # charity may add to it ("charity for the gap")

    @field_validator("excludes_groups")
    @classmethod
    def _groups(cls, v: list[str]) -> list[str]:
        return _known(v, codes.GROUPS, "对象类别")


class OfferCreate(BaseModel):
    """Everything an organisation types about one offer; the same shape edits it."""

    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=4000)
    categories: list[str] = Field(min_length=1)
    coverage: list[str] = Field(min_length=1)
    groups: list[str] = Field(default_factory=list)
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    income_ceiling: Money = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    capacity: int | None = Field(default=None, ge=0, le=1_000_000)
    amount_per_person: Money = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    budget_total: Money = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    mode: str = "service"
    valid_from: date | None = None
    valid_until: date | None = None
    how_to_apply: str = Field(default="", max_length=2000)
    contact: str = Field(default="", max_length=120)
    is_programme: bool = False
    rules: OfferRules = Field(default_factory=OfferRules)

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("此项必填")
        return v

    @field_validator("categories")
    @classmethod
    def _categories(cls, v: list[str]) -> list[str]:
        return _known(v, codes.CATEGORIES, "服务类别")

    @field_validator("groups")
    @classmethod
    def _groups(cls, v: list[str]) -> list[str]:
        return _known(v, codes.GROUPS, "对象类别")

    @field_validator("coverage")
    @classmethod
    def _coverage(cls, v: list[str]) -> list[str]:
        paths = [regions.check_region(p) for p in v]
        # A region already covered by a wider one in the list adds nothing.
        kept = [p for p in paths if not any(q != p and regions.within(p, q) for q in paths)]
        return list(dict.fromkeys(kept))

    @field_validator("mode")
    @classmethod
    def _mode(cls, v: str) -> str:
        if v not in codes.OFFER_MODES:
            raise ValueError("请选择帮扶方式")
        return v

    @field_validator("age_max")
    @classmethod
    def _age_order(cls, v: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("age_min")
        if v is not None and low is not None and v < low:
            raise ValueError("最大年龄不能小于最小年龄")
        return v

    @field_validator("valid_until")
    @classmethod
    def _window(cls, v: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if v is not None and start is not None and v < start:
            raise ValueError("结束日期不能早于开始日期")
        return v


class OfferUpdate(BaseModel):
    """A partial edit through the API: only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    description: str | None = None
    categories: list[str] | None = None
    coverage: list[str] | None = None
    groups: list[str] | None = None
    age_min: int | None = None
    age_max: int | None = None
    income_ceiling: Decimal | None = None
    capacity: int | None = None
    amount_per_person: Decimal | None = None
    budget_total: Decimal | None = None
    mode: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    how_to_apply: str | None = None
    contact: str | None = None
    is_programme: bool | None = None
    rules: dict | None = None


class StatusChange(BaseModel):
    note: str = Field(default="", max_length=500)


class OfferPublic(BaseModel):
    """An offer as the directory, its page and the API show it."""

    id: int
    title: str
    description: str
    status: str
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    organisation_verified: bool
    categories: list[str]
    coverage: list[str]
    groups: list[str]
    age_min: int | None
    age_max: int | None
    income_ceiling: Decimal | None
    capacity: int | None
    places_taken: int
    places_remaining: int | None
    amount_per_person: Decimal | None
    budget_total: Decimal | None
    mode: str
    valid_from: date | None
    valid_until: date | None
    how_to_apply: str
    contact: str
    is_programme: bool
    rules: dict
    published_at: datetime | None
    updated_at: datetime


class RevisionPublic(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    changes: dict


class DirectoryQuery(BaseModel):
    """The directory's filters; unknown codes are refused with a Chinese message."""

    q: str = Field(default="", max_length=100)
    category: str = ""
    region: str = ""
    group: str = ""
    mode: str = ""
    kind: str = ""
    sort: str = "relevance"
    only_open: bool = False

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return _known([v], codes.CATEGORIES, "服务类别")[0] if v else ""

    @field_validator("group")
    @classmethod
    def _group(cls, v: str) -> str:
        return _known([v], codes.GROUPS, "对象类别")[0] if v else ""

    @field_validator("mode")
    @classmethod
    def _mode(cls, v: str) -> str:
        return _known([v], codes.OFFER_MODES, "帮扶方式")[0] if v else ""

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        return _known([v], codes.ORG_KINDS, "机构类型")[0] if v else ""

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        return regions.check_region(v) if v else ""

    @field_validator("sort")
    @classmethod
    def _sort(cls, v: str) -> str:
        if v not in ("relevance", "newest"):
            raise ValueError("排序方式应为 relevance 或 newest")
        return v
