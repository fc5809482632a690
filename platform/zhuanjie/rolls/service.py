"""Roll imports: who may import which roll for which county, the preview (nothing written),
the confirmed import (idempotent) and its history.

A department user imports the roll of their own department (codes.ROLL_DEPARTMENT) for a
county their body serves. The file is the county's whole roll: a person in it is added or
updated, a person on the county's roll before and absent from it has left (ended), and a file
whose bytes are those of the county's last import changes nothing at all. Rows with errors are
shown in the preview and never written; the others are written on confirmation. A row is
linked to the platform's household of the member with the same ID number (by its keyed lookup
hash); no household is created for a roll row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from zhuanjie import audit, crypto, regions
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict, Forbidden, Invalid
from zhuanjie.models import Member, Organisation, RollEntry, RollImport, User
from zhuanjie.organisations import service as organisations
from zhuanjie.rolls.layouts import LAYOUT_OF_DEPARTMENT, Layout, ParsedRoll, read_roll

CHUNK = 500  # ids per IN (...) list


# --- who may do what ----------------------------------------------------------------------------


def served_counties(session: Session, user: User) -> list[str]:
    """The counties a department user's body serves (its service area, or the counties of
    the city when the body is the city's)."""
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    area = org.service_area if org else None
    if not area:
        return []
    return [c.path for c in regions.counties() if regions.within(c.path, area)
            or regions.within(area, c.path)]


def import_scope(session: Session, *, actor: User) -> tuple[Layout, list[str]]:
    """The roll layout the actor's department keeps and the counties it may import for."""
    department = organisations.ensure_department(
        session, actor=actor, allowed=tuple(LAYOUT_OF_DEPARTMENT)
    )
    counties = served_counties(session, actor)
    if not counties:
        raise Forbidden("本部门未设置服务区域，不能导入台帐")
    return LAYOUT_OF_DEPARTMENT[department], counties


def _county(session: Session, actor: User, county: str) -> tuple[Layout, str]:
    layout, counties = import_scope(session, actor=actor)
    if not county and len(counties) == 1:
        county = counties[0]
    if county not in counties:
        raise Invalid("请选择本部门服务的县（市、区）", field="county")
    return layout, county


def department_users_may_see(session: Session, actor: User | None) -> bool:
    return bool(actor) and organisations.department_of(session, actor=actor) is not None


# --- preview ------------------------------------------------------------------------------------


@dataclass
class Preview:
    parsed: ParsedRoll
    same_as: RollImport | None = None  # the last import, when this file is the same
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0
    linked: int = 0
    samples: list = field(default_factory=list)


def last_import(session: Session, kind: str, county: str) -> RollImport | None:
    return session.exec(
        select(RollImport).where(RollImport.roll_kind == kind, RollImport.county_path == county)
        .order_by(RollImport.id.desc()).limit(1)
    ).first()


def preview(session: Session, *, actor: User, county: str, filename: str,
            content: bytes) -> Preview:
    """Every row checked, and what confirming would do; nothing is written."""
    layout, county = _county(session, actor, county)
    parsed = read_roll(layout, county, filename, content)
    result = Preview(parsed)
    if parsed.problem:
        return result
    last = last_import(session, layout.kind, county)
    if last is not None and last.content_hash == parsed.content_hash:
        result.same_as = last
        result.unchanged = len(parsed.good)
        return result
    plan = _plan(session, parsed)
    result.added, result.updated = len(plan.inserts), len(plan.updates)
    result.unchanged, result.ended, result.linked = plan.unchanged, len(plan.ended), plan.linked
    result.samples = parsed.good[:20]
    return result


# --- confirm ------------------------------------------------------------------------------------


@dataclass
class _Plan:
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    unchanged: int = 0
    linked: int = 0


def _digest(county: str, data: dict, household_id: int | None, ring) -> str:
    """A keyed digest of what a row says: equal digests, nothing to write."""
    plain = "\x1f".join([county, str(household_id), *(f"{k}={data[k]}" for k in sorted(data))])
    return ring.hash(plain)


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _plan(session: Session, parsed: ParsedRoll) -> _Plan:
    kind, county = parsed.layout.kind, parsed.county_path
    ring = crypto.keyring()
    hashes = {}  # row number -> current lookup hash
    # Members are found under any hash a stored ID number may carry (mid-rotation too); the
    # first of them is the current key's.
    lookup: dict[str, str] = {}
    for row in parsed.rows:
        number = row.data.get("id_number")
        if number and "id_number" not in row.errors:
            every = ring.lookup_hashes(number)
            hashes[row.number] = every[0]
            if not row.errors:
                lookup.update(dict.fromkeys(every, every[0]))
    households: dict[str, int] = {}
    for part in _chunks(list(lookup)):
        for member_hash, household_id in session.exec(
            select(Member.id_number_hash, Member.household_id)
            .where(Member.id_number_hash.in_(part))
        ).all():
            households[lookup[member_hash]] = household_id
    existing: dict[str, tuple[int, str, object]] = {}
    for part in _chunks(list(hashes.values())):
        for entry_id, entry_hash, digest, ended in session.exec(
            select(RollEntry.id, RollEntry.id_number_hash, RollEntry.row_digest,
                   RollEntry.ended_date)
            .where(RollEntry.roll_kind == kind, RollEntry.id_number_hash.in_(part))
        ).all():
            existing[entry_hash] = (entry_id, digest, ended)
    plan = _Plan()
    for row in parsed.good:
        person = hashes[row.number]
        household_id = households.get(person)
        plan.linked += household_id is not None
        digest = _digest(county, row.data, household_id, ring)
        found = existing.get(person)
        if found and found[1] == digest and found[2] is None:
            plan.unchanged += 1
            continue
        # (encrypted only when written: the preview needs the counts alone)
        values = (row.data, county, person, household_id, digest)
        if found:
            plan.updates.append((found[0], values))
        else:
            plan.inserts.append(values)
    in_file = set(hashes.values())
    plan.ended = [
        entry_id for entry_id, entry_hash in session.exec(
            select(RollEntry.id, RollEntry.id_number_hash).where(
                RollEntry.roll_kind == kind, RollEntry.county_path == county,
                RollEntry.ended_date.is_(None))
        ).all() if entry_hash not in in_file
    ]
    return plan


def _household_key(data: dict, ring) -> str:
    """The department's key of the household, unless it holds the ID number (a 残疾人证号 is
    the ID number and two digits): then a keyed hash of it, so no ID number is kept in plain."""
    key = data["household_key"]
    if data["id_number"] in key or data["id_number"][:17] in key:
        return "H" + ring.hash(key)[:39]
    return key


def _values(data: dict, county: str, person: str, household_id, digest, *, now, ring) -> dict:
    return {
        "county_path": county, "region_path": data["region_path"], "village": data["village"],
        "household_key": _household_key(data, ring), "relation": data["relation"],
        "is_head": data["is_head"], "name_enc": ring.encrypt(data["name"]),
        "id_number_enc": ring.encrypt(data["id_number"]), "id_number_hash": person,
        "id_last4": data["id_number"][-4:], "category": data["category"],
        "household_size": data.get("household_size"),
        "income_per_capita": data["income_per_capita"],
        "monthly_amount": data["monthly_amount"], "since_date": data["since_date"],
        "disability": data.get("disability", ""), "person_status": data["person_status"],
        "status_date": data["status_date"], "publish": data["publish"],
        "household_id": household_id, "row_digest": digest, "updated_at": now,
    }


@dataclass
class Outcome:
    record: RollImport
    changed: bool  # False: the same file as the county's last import, nothing done
    rejected: list = field(default_factory=list)


def confirm(session: Session, *, actor: User, county: str, filename: str, content: bytes,
            commit: bool = True) -> Outcome:
    """Write the file's good rows (every row re-checked); the same file again changes
    nothing. One transaction; `commit` False leaves it to the caller (the demo)."""
    layout, county = _county(session, actor, county)
    parsed = read_roll(layout, county, filename, content)
    if parsed.problem:
        raise Invalid(parsed.problem, field="file")
    if not parsed.good:
        raise Invalid("没有一行可以导入，请改正文件后重新上传", field="file")
    last = last_import(session, layout.kind, county)
    if last is not None and last.content_hash == parsed.content_hash:
        return Outcome(last, False, parsed.bad)
    plan = _plan(session, parsed)
    record = RollImport(
        roll_kind=layout.kind, department=layout.department, county_path=county,
        filename=filename[:200], content_hash=parsed.content_hash, imported_by_id=actor.id,
        rows_total=len(parsed.rows), rows_added=len(plan.inserts),
        rows_updated=len(plan.updates), rows_unchanged=plan.unchanged,
        rows_ended=len(plan.ended), rows_rejected=len(parsed.bad), linked=plan.linked,
    )
    session.add(record)
    session.flush()
    ring, now = crypto.keyring(), utc_now()
    try:
        for part in _chunks(plan.inserts, 1000):  # Core executemany: no ORM work per row
            session.execute(insert(RollEntry.__table__), [
                {**_values(*v, now=now, ring=ring), "roll_kind": layout.kind,
                 "created_at": now, "import_id": record.id} for v in part])
    except IntegrityError:  # the same people written meanwhile by another import
        session.rollback()
        raise Conflict("该台帐正在由他人导入，请稍后刷新页面查看导入记录") from None
    for part in _chunks(plan.updates, 1000):
        session.execute(update(RollEntry), [
            {"id": entry_id, **_values(*v, now=now, ring=ring), "ended_date": None,
             "import_id": record.id} for entry_id, v in part])
    day = today()
    for part in _chunks(plan.ended):
        session.execute(update(RollEntry).where(RollEntry.id.in_(part))
                        .values(ended_date=day, updated_at=utc_now()))
    audit.record(session, actor, "roll_imported", object_type="roll_import",
                 object_id=record.id,
                 detail={"kind": layout.kind, "county": county, "file": filename[:100],
                         "added": record.rows_added, "updated": record.rows_updated,
                         "ended": record.rows_ended, "rejected": record.rows_rejected})
    if commit:
        session.commit()
    return Outcome(record, True, parsed.bad)


# --- history -----------------------------------------------------------------------------------


@dataclass
class ImportRow:
    record: RollImport
    by: str


def history(session: Session, *, actor: User, limit: int = 50) -> list[ImportRow]:
    """The imports of the actor's roll in the counties the actor's body serves, newest first."""
    layout, counties = import_scope(session, actor=actor)
    rows = session.exec(
        select(RollImport, User.display_name)
        .join(User, User.id == RollImport.imported_by_id, isouter=True)
        .where(RollImport.roll_kind == layout.kind, RollImport.county_path.in_(counties))
        .order_by(RollImport.id.desc()).limit(limit)
    ).all()
    return [ImportRow(r, name or "") for r, name in rows]
