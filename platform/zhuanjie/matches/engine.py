"""The bridge to the matching engine: rows become engine records, and one offer index per
process is kept in step with the database instead of being rebuilt for every request."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, select

import matching
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.models import Household, Member, Need, Offer, Organisation
from zhuanjie.offers import service as offers
from zhuanjie.policy import LISTED_ORG_STATUSES
from zhuanjie.validators import age_on

# Writes stamp updated_at before they commit; look back this far so none is missed.
_LOOKBACK = timedelta(minutes=2)


def engine_need(session: Session, need: Need) -> matching.Need:
    household = session.get(Household, need.household_id)
    members = session.exec(select(Member).where(Member.household_id == household.id)).all()
    beneficiary = next((m for m in members if m.id == need.member_id), None) or next(
        (m for m in members if m.is_head), None
    )
    age = (
        age_on(beneficiary.birth_date, today()) if beneficiary and beneficiary.birth_date else None
    )
    return matching.Need(
        id=str(need.id),
        title=need.title,
        description=need.description,
        category=need.category,
        region=need.region_path,
        groups=tuple(household.groups),
        beneficiary_age=age,
        household_size=max(len(members), 1),
        income_per_capita=float(household.income_per_capita)
        if household.income_per_capita is not None
        else None,
        urgency=need.urgency,
        amount_needed=float(need.amount_needed) if need.amount_needed is not None else None,
        created_at=need.created_at.date(),
    )


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
    keep = [
        r for r in rows
        if r.status == "published" and orgs[r.organisation_id].status in LISTED_ORG_STATUSES
    ]
    kept = {r.id for r in keep}
    return keep, [r for r in rows if r.id not in kept]


class IndexCache:
    """One OfferIndex per database, refreshed from the offers changed since the last look.

    Validity windows and capacity are judged by the engine on each ranking (hard rules 4
    and 5), so the index holds every published offer of a verified organisation. Each offer's
    change stamps are remembered so a refresh touches only what really changed.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: dict[str, matching.OfferIndex] = {}
        self._synced: dict[str, datetime] = {}
        self._stamps: dict[str, dict[int, tuple]] = {}

    def get(self, session: Session) -> matching.OfferIndex | None:
        bind = session.get_bind()
        key = str(getattr(bind, "url", None) or bind.engine.url)
        with self._lock:
            now = utc_now()
            if key not in self._index:
                self._build(session, key)
            else:
                self._refresh(session, key, since=self._synced[key] - _LOOKBACK)
            if key in self._index:
                self._synced[key] = now
            return self._index.get(key)

    def _build(self, session: Session, key: str) -> None:
        rows = session.exec(
            select(Offer, Organisation.updated_at)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .where(Offer.status == "published", Organisation.status.in_(LISTED_ORG_STATUSES))
        ).all()
        if not rows:
            return  # nothing published yet; look again next time
        self._index[key] = matching.OfferIndex(offers.engine_offers(session, [o for o, _ in rows]))
        self._stamps[key] = {o.id: (o.updated_at, org_at) for o, org_at in rows}

    def _refresh(self, session: Session, key: str, *, since: datetime) -> None:
        stamps = self._stamps[key]
        recent = session.exec(
            select(Offer.id, Offer.updated_at, Organisation.updated_at)
            .join(Organisation, Organisation.id == Offer.organisation_id)
            .where(or_(Offer.updated_at > since, Organisation.updated_at > since))
        ).all()
        changed = {i: (o_at, g_at) for i, o_at, g_at in recent if stamps.get(i) != (o_at, g_at)}
        if not changed:
            return
        rows = list(session.exec(select(Offer).where(Offer.id.in_(list(changed)))).all())
        keep, drop = _indexed(session, rows)
        index = self._index[key]
        for record in offers.engine_offers(session, keep):
            index.update(record)
        for row in drop:
            if str(row.id) in index.positions:
                index.remove(str(row.id))
        stamps.update(changed)
        if len(index.offers) > 2 * len(index) + 1000:  # compact replaced slots
            self._index[key] = index.rebuilt()

    def clear(self) -> None:
        with self._lock:
            self._index.clear()
            self._synced.clear()
            self._stamps.clear()


index_cache = IndexCache()
