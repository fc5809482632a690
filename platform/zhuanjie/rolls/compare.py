"""台帐比对: a county's rolls compared with each other and with the platform's households on a
day, kept as a dated report with a worklist per township.

The rules (codes.ROLL_REASONS), each giving one worklist row per household or person:
- not_registered: a 低保/特困/建档立卡 roll household none of whose people is a member of a
  household on the platform;
- group_missing: the platform household of a roll household lacks the roll's group;
- not_on_roll: a platform household with the group 低保, 特困 or 建档立卡 none of whose members
  is on that roll (only when the county has imported that roll);
- income_above_line / income_above_tekun: income per person above the 低保 line or the 特困
  standard (settings) — 渐退 candidates, with the end of the 渐退 period on the day given;
- should_cover: a 建档立卡 household below the 低保 line none of whose people is on the
  低保/特困 roll (应保尽保);
- disability_not_on_roll / disability_unrecorded: a disability written on one roll (or on the
  platform) and the person absent from the disability roll, or the other way round (only when
  the county has imported the disability roll);
- deceased / moved: a roll says so (on or before the day), and the person is still on another
  roll or a member of an active platform household.

A roll row counts on the day if it was on the roll then (joined by that day, not ended).
Who may run it: administrators, supervisors whose region covers the county, and department
users of civil affairs serving the county (civil affairs keeps 低保/特困 and convenes the
定期会商).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import or_
from sqlmodel import Session, select

from zhuanjie import audit, codes, crypto, regions
from zhuanjie.clock import add_months
from zhuanjie.config import get_settings
from zhuanjie.errors import Forbidden, Invalid
from zhuanjie.models import (
    Household,
    Member,
    RollEntry,
    RollImport,
    RollReview,
    RollReviewItem,
    User,
)
from zhuanjie.organisations import service as organisations
from zhuanjie.rolls import service as imports

ROLL_GROUP = {"dibao": "dibao_tekun", "tekun": "dibao_tekun", "jiandang": "jiandang"}
GROUP_WORD = {"dibao": "低保", "tekun": "特困", "jiandang": "建档立卡", "disabled": "残疾人"}
ROLL_WORD = {"dibao_tekun": "民政台帐", "jiandang": "建档立卡台帐", "disability": "残联台帐"}


def comparison_counties(session: Session, actor: User) -> list[str]:
    """The counties the actor may compare (empty: may not)."""
    if actor.role == "admin":
        return [c.path for c in regions.counties()]
    if actor.role == "supervisor" and actor.region_path:
        return [c.path for c in regions.counties() if regions.within(c.path, actor.region_path)]
    if organisations.department_of(session, actor=actor) == "civil_affairs":
        return imports.served_counties(session, actor)
    return []


def ensure_may_compare(session: Session, actor: User, county: str) -> None:
    counties = comparison_counties(session, actor)
    if not counties:
        raise Forbidden("仅限县级以上监管人员和民政部门工作人员进行台帐比对")
    if county not in counties:
        raise Invalid("请选择您辖区内的县（市、区）", field="county")


@dataclass
class _Person:
    entry: RollEntry
    name: str = ""


@dataclass
class _Found:
    rows: list[dict] = field(default_factory=list)
    seen: set = field(default_factory=set)

    def add(self, key, **row) -> None:
        if key not in self.seen:
            self.seen.add(key)
            self.rows.append(row)


def _on_day(entry: RollEntry, day: date) -> bool:
    joined = entry.since_date is None or entry.since_date <= day
    return joined and (entry.ended_date is None or entry.ended_date > day)


def _gone(entry: RollEntry, day: date) -> bool:
    return entry.person_status != "active" and (entry.status_date is None
                                                 or entry.status_date <= day)


def _label(name: str, last4: str) -> str:
    return f"{crypto.mask_name(name)}（****{last4}）"


def run_review(session: Session, *, actor: User, county: str, as_of: date,
               commit: bool = True) -> RollReview:
    """Compare and keep the report with its worklist; one transaction."""
    ensure_may_compare(session, actor, county)
    items = compare(session, county=county, as_of=as_of)
    used = {}
    for kind in ROLL_WORD:
        last = imports.last_import(session, kind, county)
        if last is not None:
            used[kind] = last.id
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item["reason"]] += 1
    review = RollReview(county_path=county, as_of_date=as_of, run_by_id=actor.id,
                        imports=used, counts=dict(counts))
    session.add(review)
    session.flush()
    session.add_all([RollReviewItem(review_id=review.id, **item) for item in items])
    audit.record(session, actor, "roll_compared", object_type="roll_review",
                 object_id=review.id,
                 detail={"county": county, "as_of": as_of.isoformat(), "rows": len(items)})
    if commit:
        session.commit()
    return review


def compare(session: Session, *, county: str, as_of: date) -> list[dict]:
    """The worklist rows (RollReviewItem fields), ordered by township, village and reason."""
    settings = get_settings()
    line, tekun_line = Decimal(settings.dibao_line), Decimal(settings.tekun_standard)
    entries = [e for e in session.exec(
        select(RollEntry).where(RollEntry.county_path == county)
        .order_by(RollEntry.roll_kind, RollEntry.household_key, RollEntry.is_head.desc(),
                  RollEntry.id)
    ).all() if _on_day(e, as_of)]
    imported = set(session.exec(
        select(RollImport.roll_kind).where(RollImport.county_path == county)
    ).all())
    # the platform: households of the county that are not exited, and their members
    households = {h.id: h for h in session.exec(
        select(Household).where(or_(Household.region_path == county,
                                    Household.region_path.like(county + "/%")),
                                Household.status != "exited")
    ).all()}
    members_of: dict[int, list[Member]] = defaultdict(list)
    member_by_hash: dict[str, Member] = {}
    ids = list(households)
    for start in range(0, len(ids), 500):
        for m in session.exec(select(Member).where(
                Member.household_id.in_(ids[start:start + 500])).order_by(Member.id)).all():
            members_of[m.household_id].append(m)
            if m.id_number_hash:
                member_by_hash[m.id_number_hash] = m
    # entries found by a member's ID number, whatever key hashed them (rotation)
    ring = crypto.keyring()

    def member_of(entry: RollEntry) -> Member | None:
        found = member_by_hash.get(entry.id_number_hash)
        if found is None and len(ring.keys) > 1:
            plain = crypto.decrypt(entry.id_number_enc) or ""
            found = next((member_by_hash[h] for h in ring.lookup_hashes(plain)
                          if h in member_by_hash), None)
        return found

    active = [e for e in entries if not _gone(e, as_of)]
    by_kind: dict[str, dict[str, RollEntry]] = defaultdict(dict)
    for e in active:
        by_kind[e.roll_kind][e.id_number_hash] = e
    roll_households: dict[tuple[str, str], list[RollEntry]] = defaultdict(list)
    for e in active:
        if e.roll_kind != "disability":
            roll_households[(e.roll_kind, e.household_key)].append(e)
    names: dict[int, str] = {}

    def name(e: RollEntry) -> str:
        if e.id not in names:
            names[e.id] = crypto.decrypt(e.name_enc) or ""
        return names[e.id]

    found = _Found()

    def from_entry(key, reason: str, e: RollEntry, detail: str, household_id=None) -> None:
        found.add(key, region_path=e.region_path, village=e.village, reason=reason,
                  label=_label(name(e), e.id_last4), detail=detail, household_id=household_id)

    def from_member(key, reason: str, m: Member, detail: str) -> None:
        h = households[m.household_id]
        found.add(key, region_path=h.region_path, village=h.village, reason=reason,
                  label=_label(m.name, m.id_last4), detail=detail, household_id=h.id)

    transition_end = add_months(as_of, settings.transition_months)
    dibao_tekun_people = by_kind.get("dibao_tekun", {})
    for (kind, key), people in roll_households.items():
        head = people[0]
        linked = {m.household_id for m in (member_of(e) for e in people) if m}
        word = GROUP_WORD[head.category]
        size = head.household_size or len(people)
        if not linked:
            from_entry(("not_registered", kind, key), "not_registered", head,
                       f"{ROLL_WORD[kind]}{word}户（户编号 {key}，{size}人），"
                       "平台上没有任何成员的身份证号", None)
        for household_id in sorted(linked):
            groups = households[household_id].groups or []
            if head.category not in groups:
                from_entry(("group_missing", household_id, head.category), "group_missing",
                           head, f"{ROLL_WORD[kind]}为{word}户，平台家庭未标记“{word}”",
                           household_id)
        some = min(linked) if linked else None
        income = head.income_per_capita
        if income is None:
            continue
        if head.category == "dibao" and income > line:
            from_entry(("income_above_line", kind, key), "income_above_line", head,
                       f"人均月收入 {income} 元，高于低保标准 {line} 元；"
                       f"如确认，渐退期至 {transition_end:%Y-%m-%d}", some)
        if head.category == "tekun" and income > tekun_line:
            from_entry(("income_above_tekun", kind, key), "income_above_tekun", head,
                       f"人均月收入 {income} 元，高于特困供养标准 {tekun_line} 元", some)
        if kind == "jiandang" and income < line and not any(
                e.id_number_hash in dibao_tekun_people for e in people):
            from_entry(("should_cover", key), "should_cover", head,
                       f"建档立卡户人均月收入 {income} 元（年收入折算），低于低保标准 {line} 元，"
                       "家庭成员均不在低保、特困台帐", some)
    # platform households marked with a group none of whose members is on that roll
    for household in households.values():
        for group in household.groups or []:
            kind = ROLL_GROUP.get(group)
            if kind is None or kind not in imported:
                continue
            people = members_of.get(household.id, [])
            on_roll = [m for m in people if m.id_number_hash in by_kind.get(kind, {})
                       and by_kind[kind][m.id_number_hash].category == group]
            if people and not on_roll:
                head = next((m for m in people if m.is_head), people[0])
                from_member(("not_on_roll", household.id, group), "not_on_roll", head,
                            f"平台家庭标记为“{GROUP_WORD[group]}”，{ROLL_WORD[kind]}中没有该户成员")
    # disability on one roll (or the platform) and not the other
    disabled_roll = by_kind.get("disability", {})
    if "disability" in imported:
        for kind in ("dibao_tekun", "jiandang"):
            for person, e in by_kind.get(kind, {}).items():
                if e.disability and person not in disabled_roll:
                    m = member_of(e)
                    from_entry(("disability", person), "disability_not_on_roll", e,
                               f"{ROLL_WORD[kind]}记载残疾“{e.disability}”，残联台帐中无此人",
                               m.household_id if m else None)
        for person, m in member_by_hash.items():
            if m.disability and person not in disabled_roll:
                from_member(("disability", person), "disability_not_on_roll", m,
                            f"平台记载残疾“{m.disability}”，残联台帐中无此人")
    for person, e in disabled_roll.items():
        elsewhere = [k for k in ("dibao_tekun", "jiandang")
                     if person in by_kind.get(k, {}) and not by_kind[k][person].disability]
        m = member_of(e)
        if m is not None and not m.disability:
            elsewhere.append("platform")
        if elsewhere:
            where = "、".join("平台" if k == "platform" else ROLL_WORD[k] for k in elsewhere)
            from_entry(("disability", person), "disability_unrecorded", e,
                       f"残联台帐记载“{e.disability}”，{where}未记载残疾",
                       m.household_id if m else None)
    # deceased or moved on one roll, still on another or on the platform
    for e in entries:
        if not _gone(e, as_of):
            continue
        still = [ROLL_WORD[k] for k in ROLL_WORD
                 if k != e.roll_kind and e.id_number_hash in by_kind.get(k, {})]
        m = member_of(e)
        if m is not None:
            still.append("平台家庭成员")
        if still:
            when = f"{e.status_date:%Y-%m-%d}" if e.status_date else "（日期未填）"
            word = "死亡" if e.person_status == "deceased" else "迁出"
            from_entry((e.person_status, e.id_number_hash), e.person_status, e,
                       f"{ROLL_WORD[e.roll_kind]}记载于{when}{word}，仍在{'、'.join(still)}",
                       m.household_id if m else None)
    reasons = list(codes.ROLL_REASONS)
    found.rows.sort(key=lambda r: (r["region_path"], r["village"], reasons.index(r["reason"]),
                                   r["label"]))
    return found.rows
