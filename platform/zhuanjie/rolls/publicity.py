"""The long-term 公示 of the rolls: per township, the 低保, 特困 and 建档立卡 households as the
rules publish them — the head's masked name, village, category, number of people, monthly
amount and since when; never an ID number, a phone or an address line. Only households whose
roll says 是否公示 = 是, and not those withheld with a reason (e.g. a minor at risk). The
changes of the last three months are dated: households that joined, and those that left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from zhuanjie import audit, crypto, policy, regions
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.errors import Forbidden, Invalid, NotFound
from zhuanjie.models import RollEntry, RollImport, RollWithholding, User
from zhuanjie.organisations import service as organisations
from zhuanjie.rolls import service as imports

PUBLISHED_KINDS = ("dibao_tekun", "jiandang")
CATEGORY_WORD = {"dibao": "低保", "tekun": "特困", "jiandang": "建档立卡"}
RECENT_DAYS = 92


@dataclass
class PublicRow:
    roll_kind: str
    household_key: str  # for the managing page only; never printed on the public one
    name: str  # masked
    village: str
    category: str
    people: int
    amount: Decimal | None
    since: date | None
    withheld: RollWithholding | None = None


@dataclass
class Change:
    day: date
    what: str  # 纳入 / 退出
    row: PublicRow


@dataclass
class Sheet:
    township: str
    rows: list[PublicRow] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    updated: dict[str, object] = field(default_factory=dict)  # roll word → last import time
    withheld: list[PublicRow] = field(default_factory=list)


def township_by_names(county_name: str, town_name: str) -> str:
    for county in regions.counties():
        if county.name == county_name:
            for town in regions.townships(county.path):
                if town.name == town_name:
                    return town.path
    raise NotFound("没有这个镇（街道）")


def _households(session: Session, township: str, day: date) -> dict[tuple, list[RollEntry]]:
    """The township's published-kind entries of the households the sheet may show: those
    with someone on the roll now, or whose last person left within RECENT_DAYS (a roll's
    long-gone households stay in the table and are never read)."""
    other = aliased(RollEntry)
    shown = (
        select(other.id)
        .where(other.roll_kind == RollEntry.roll_kind, other.county_path == RollEntry.county_path,
               other.household_key == RollEntry.household_key, other.region_path == township,
               or_(and_(other.ended_date.is_(None), other.person_status == "active"),
                   func.coalesce(other.ended_date, other.status_date, day)
                   >= day - timedelta(days=RECENT_DAYS)))
        .exists()
    )  # fmt: skip
    entries = session.exec(
        select(RollEntry).where(RollEntry.region_path == township,
                                RollEntry.roll_kind.in_(PUBLISHED_KINDS), shown)
        .order_by(RollEntry.roll_kind, RollEntry.household_key, RollEntry.is_head.desc(),
                  RollEntry.id)
    ).all()
    out: dict[tuple, list[RollEntry]] = defaultdict(list)
    for e in entries:
        out[(e.roll_kind, e.county_path, e.household_key)].append(e)
    return out


def _row(kind: str, key: str, people: list[RollEntry]) -> PublicRow:
    head = people[0]
    return PublicRow(
        roll_kind=kind, household_key=key, name=crypto.mask_name(crypto.decrypt(head.name_enc)),
        village=head.village, category=CATEGORY_WORD.get(head.category, head.category),
        people=head.household_size or len(people), amount=head.monthly_amount,
        since=min((e.since_date for e in people if e.since_date), default=None),
    )


def sheet(session: Session, township: str, *, with_withheld: bool = False) -> Sheet:
    day = today()
    out = Sheet(township)
    county = "/".join(township.split("/")[:2])
    holds = {(w.roll_kind, w.household_key): w for w in session.exec(
        select(RollWithholding).where(RollWithholding.county_path == county,
                                      RollWithholding.lifted_at.is_(None))).all()}
    recent = day - timedelta(days=RECENT_DAYS)
    for (kind, _county, key), people in _households(session, township, day).items():
        current = [e for e in people if e.ended_date is None and e.person_status == "active"]
        if current:
            if not current[0].publish:
                continue
            row = _row(kind, key, current)
            row.withheld = holds.get((kind, key))
            if row.withheld is not None:
                if with_withheld:
                    out.withheld.append(row)
                continue
            out.rows.append(row)
            if row.since and row.since >= recent:
                out.changes.append(Change(row.since, "纳入", row))
        else:
            left = max((e.ended_date or e.status_date or day for e in people), default=day)
            if left >= recent and people[0].publish and (kind, key) not in holds:
                out.changes.append(Change(left, "退出", _row(kind, key, people)))
    out.rows.sort(key=lambda r: (r.village, r.category, r.since or date.min))
    out.changes.sort(key=lambda c: c.day, reverse=True)
    for kind, at in session.exec(
        select(RollImport.roll_kind, func.max(RollImport.imported_at))
        .where(RollImport.county_path == county, RollImport.roll_kind.in_(PUBLISHED_KINDS))
        .group_by(RollImport.roll_kind)
    ).all():
        out.updated[kind] = at
    return out


def public_sheet(session: Session, *, county_name: str, town_name: str) -> Sheet:
    return sheet(session, township_by_names(county_name, town_name))


def county_index(session: Session, *, county_name: str) -> tuple[str, list[tuple[str, int]]]:
    """A county's townships with the number of people on its published rolls."""
    county = next((c.path for c in regions.counties() if c.name == county_name), None)
    if county is None:
        raise NotFound("没有这个县（市、区）")
    counts = dict(session.exec(
        select(RollEntry.region_path, func.count()).where(
            RollEntry.county_path == county, RollEntry.roll_kind.in_(PUBLISHED_KINDS),
            RollEntry.ended_date.is_(None), RollEntry.publish)
        .group_by(RollEntry.region_path)).all())
    return county, [(t.name, counts.get(t.path, 0)) for t in regions.townships(county)]


def city_index(session: Session) -> list[tuple[str, int]]:
    counts = dict(session.exec(
        select(RollEntry.county_path, func.count()).where(
            RollEntry.roll_kind.in_(PUBLISHED_KINDS), RollEntry.ended_date.is_(None),
            RollEntry.publish).group_by(RollEntry.county_path)).all())
    return [(c.name, counts.get(c.path, 0)) for c in regions.counties()]


# --- withholding a household ------------------------------------------------------------------


def _may_manage(session: Session, user: User, township: str, kind: str | None = None) -> bool:
    if user.role in ("admin", "supervisor", "caseworker"):
        return policy.in_region_scope(user, township)
    department = organisations.department_of(session, actor=user)
    if department is None:
        return False
    county = "/".join(township.split("/")[:2])
    owns = {"civil_affairs": "dibao_tekun", "poverty": "jiandang"}.get(department)
    return county in imports.served_counties(session, user) and (
        owns is not None and (kind is None or kind == owns))


def manage_sheet(session: Session, *, actor: User, township: str) -> Sheet:
    try:
        township = regions.check_region(township, min_level=3)
    except ValueError as exc:
        raise Invalid(str(exc), field="township") from None
    if not _may_manage(session, actor, township):
        raise Forbidden("该镇（街道）不在您的辖区范围内")
    return sheet(session, township, with_withheld=True)


def withhold(session: Session, *, actor: User, township: str, roll_kind: str,
             household_key: str, reason: str) -> RollWithholding:
    if roll_kind not in PUBLISHED_KINDS:
        raise Invalid("未知的台帐", field="roll_kind")
    try:
        township = regions.check_region(township, min_level=3)
    except ValueError as exc:
        raise Invalid(str(exc), field="township") from None
    if not _may_manage(session, actor, township, roll_kind):
        raise Forbidden("您不能调整该镇（街道）的公示")
    reason = reason.strip()
    if len(reason) < 2:
        raise Invalid("请写明暂不公示的原因", field="reason")
    county = "/".join(township.split("/")[:2])
    exists = session.exec(select(RollEntry.id).where(
        RollEntry.roll_kind == roll_kind, RollEntry.county_path == county,
        RollEntry.region_path == township, RollEntry.household_key == household_key)).first()
    if exists is None:
        raise NotFound("台帐中没有这一户")
    hold = RollWithholding(roll_kind=roll_kind, county_path=county, region_path=township,
                           household_key=household_key[:40], reason=reason[:500],
                           withheld_by_id=actor.id)
    session.add(hold)
    session.flush()
    audit.record(session, actor, "roll_withheld", object_type="roll_import",
                 detail={"township": township, "kind": roll_kind, "withholding": hold.id})
    session.commit()
    return hold


def lift(session: Session, *, actor: User, withholding_id: int) -> RollWithholding:
    hold = session.get(RollWithholding, withholding_id)
    if hold is None or hold.lifted_at is not None:
        raise NotFound("没有这条暂不公示记录")
    if not _may_manage(session, actor, hold.region_path, hold.roll_kind):
        raise Forbidden("您不能调整该镇（街道）的公示")
    hold.lifted_at, hold.lifted_by_id = utc_now(), actor.id
    session.add(hold)
    audit.record(session, actor, "roll_unwithheld", object_type="roll_import",
                 detail={"withholding": hold.id})
    session.commit()
    return hold
