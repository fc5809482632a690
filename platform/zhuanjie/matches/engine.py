"""The bridge to the matching engine: rows become engine records, and one offer index per
process is kept in step with the database instead of being rebuilt for every request."""

from __future__ import annotations

import threading

from sqlmodel import Session, select

import matching
from zhuanjie import changes
from zhuanjie.clock import today
from zhuanjie.learning import active
from zhuanjie.models import Household, Member, Need, Offer, Organisation
from zhuanjie.offers import service as offers
from zhuanjie.validators import age_on


def engine_need(session: Session, need: Need) -> matching.Need:
    return engine_needs(session, [need])[0]


def engine_needs(session: Session, needs) -> list[matching.Need]:
    """`engine_need` for many needs (rows or NEED_COLUMNS tuples), reading the households'
    and members' columns in chunks, not ORM objects: training and allocation read thousands."""
    house_ids = sorted({n.household_id for n in needs})
    houses, members = {}, {}
    for start in range(0, len(house_ids), 500):   # bound the IN list
        part = house_ids[start : start + 500]
        houses.update((h.id, h) for h in session.exec(
            select(Household.id, Household.groups, Household.income_per_capita)
            .where(Household.id.in_(part))))
        for m in session.exec(select(Member.household_id, Member.id, Member.is_head,
                                     Member.birth_date, Member.sex)
                              .where(Member.household_id.in_(part),
                                     Member.removed_at.is_(None))  # left the household
                              .order_by(Member.id)):
            members.setdefault(m.household_id, []).append(m)
    day = today()
    return [_record(n, houses[n.household_id], members.get(n.household_id, []), day)
            for n in needs]


def _record(need, household, people: list, day) -> matching.Need:
    beneficiary = next((m for m in people if m.id == need.member_id), None) or next(
        (m for m in people if m.is_head), None
    )
    age = age_on(beneficiary.birth_date, day) if beneficiary and beneficiary.birth_date else None
    return matching.Need(
        id=str(need.id), title=need.title, description=need.description,
        category=need.category, region=need.region_path, groups=tuple(household.groups),
        beneficiary_age=age, household_size=max(len(people), 1),
        income_per_capita=float(household.income_per_capita)
        if household.income_per_capita is not None else None,
        urgency=need.urgency,
        amount_needed=float(need.amount_needed) if need.amount_needed is not None else None,
        created_at=need.created_at.date(),
        beneficiary_sex=(beneficiary.sex or None) if beneficiary else None,
    )


# What engine_needs reads of a need, for callers that select columns instead of rows.
NEED_COLUMNS = (Need.id, Need.household_id, Need.member_id, Need.title, Need.description,
                Need.category, Need.region_path, Need.urgency, Need.amount_needed,
                Need.created_at)


def _indexed(session: Session, rows: list[Offer]) -> tuple[list[Offer], list[Offer]]:
    """Split rows into those the index should hold (published, verified) and the rest."""
    orgs = (
        {
            o.id: o
            for o in session.exec(
                select(Organisation).where(Organisation.id.in_({r.organisation_id for r in rows}))
            ).all()
        }
        if rows
        else {}
    )
    keep = [r for r in rows if offers.is_live(r, orgs[r.organisation_id])]
    kept = {r.id for r in keep}
    return keep, [r for r in rows if r.id not in kept]


class IndexCache:
    """One OfferIndex per database, refreshed from the offers changed since the last look.

    Validity windows and capacity are judged by the engine on each ranking (hard rules 4
    and 5), so the index holds every published offer of a verified organisation. Freshness
    is one read of the change counters (zhuanjie.changes); when offers or organisations
    moved, the change log names them and only those are reloaded; a change of regions or of
    the model in use rebuilds the index. The model in use (zhuanjie.learning: its scorer and
    category affinity) and the providers' history are read at each build, so promoting or
    rolling back a model, or the weekly refresh of the history, reaches every process.
    """

    WATCHED = ("offers", "organisations", "regions", "model")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: dict[str, matching.OfferIndex | None] = {}
        self._seen: dict[str, dict[str, int]] = {}
        # Offers read from another transaction's uncommitted writes: reload them next time.
        self._unsettled: dict[str, set[int] | None] = {}
        self._generation = 0  # moves whenever an index is built or changed
        self._records: dict[str, dict[str, matching.Offer]] = {}
        self._model: dict[str, active.Loaded] = {}

    def records(self, session: Session) -> dict[str, matching.Offer]:
        """The engine records in the index, by offer id (after get())."""
        return self._records.get(changes.db_key(session), {})

    def scorer(self, session: Session) -> matching.MatchScorer:
        """The scorer of the model in use, as loaded with the index (after get())."""
        return self._model.get(changes.db_key(session), active.DEFAULT).scorer

    def model_id(self, session: Session) -> int | None:
        """The promoted model ranking now (None: the packaged default), after get()."""
        return self._model.get(changes.db_key(session), active.DEFAULT).row_id

    def stamp(self, index: matching.OfferIndex | None) -> tuple:
        """Identifies one state of an index, for caches derived from it."""
        return (id(index), self._generation)

    def get(self, session: Session) -> matching.OfferIndex | None:
        key = changes.db_key(session)
        with self._lock:
            now = changes.versions(session)  # before reading any offer: no change is missed
            seen = self._seen.get(key)
            if key not in self._index or seen is None:
                self._build(session, key)
            else:
                self._refresh(session, key, seen, now)
            self._seen[key] = {k: changes.version_of(now, k) for k in self.WATCHED}
            self._note_unsettled(session, key)
            return self._index.get(key)

    def _note_unsettled(self, session: Session, key: str) -> None:
        offers_ = changes.pending(session, "offers")
        orgs = changes.pending(session, "organisations")
        if offers_ is None or orgs is None or changes.pending(session, "regions") != set():
            self._unsettled[key] = None
            return
        if orgs:
            offers_ = offers_ | set(
                session.exec(select(Offer.id).where(Offer.organisation_id.in_(orgs))).all()
            )
        if offers_:
            before = self._unsettled.get(key, set())
            self._unsettled[key] = None if before is None else before | offers_

    def _build(self, session: Session, key: str) -> None:
        self._generation += 1
        self._unsettled.pop(key, None)
        rows = session.exec(
            select(Offer)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .where(offers.live())
            .execution_options(populate_existing=True)
        ).all()
        records = offers.engine_offers(session, list(rows))
        self._records[key] = {r.id: r for r in records}
        model = self._model[key] = active.in_use(session)
        # Nothing published yet: no index, until a change says otherwise.
        self._index[key] = (
            matching.OfferIndex(
                records, provider_stats=active.provider_stats(session), affinity=model.affinity
            )
            if records
            else None
        )

    def _refresh(self, session: Session, key: str, seen: dict[str, int], now) -> None:
        if any(changes.since(session, k, seen.get(k, 0), now) != set()
               for k in ("regions", "model")):
            return self._build(session, key)
        changed = changes.since(session, "offers", seen.get("offers", 0), now)
        orgs = changes.since(session, "organisations", seen.get("organisations", 0), now)
        unsettled = self._unsettled.pop(key, set())
        if changed is None or orgs is None or unsettled is None:
            return self._build(session, key)
        changed |= unsettled
        if orgs:
            changed |= set(
                session.exec(select(Offer.id).where(Offer.organisation_id.in_(orgs))).all()
            )
        if not changed:
            return None
        index = self._index.get(key)
        if index is None:
            return self._build(session, key)
        rows = list(session.exec(
            select(Offer).where(Offer.id.in_(sorted(changed)))
            .execution_options(populate_existing=True)
        ).all())
        keep, drop = _indexed(session, rows)
        self._generation += 1
        known = self._records.setdefault(key, {})
        for record in offers.engine_offers(session, keep):
            index.update(record)
            known[record.id] = record
        gone = {str(i) for i in changed} - {str(r.id) for r in keep}
        for offer_id in gone:
            known.pop(offer_id, None)
            if offer_id in index.positions:
                index.remove(offer_id)
        if len(index.offers) > 2 * len(index) + 1000:  # compact replaced slots
            self._index[key] = index.rebuilt()
        return None

    def clear(self) -> None:
        with self._lock:
            self._index.clear()
            self._seen.clear()
            self._unsettled.clear()
            self._records.clear()
            self._model.clear()


index_cache = IndexCache()
