"""Matches for one need: the engine's ranked, admissible offers, why the best-looking others
are excluded, and what the household already receives from government."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

import matching
from zhuanjie.clock import today
from zhuanjie.matches.engine import engine_need, index_cache
from zhuanjie.matches.excluded import nearest_excluded
from zhuanjie.models import Entitlement, Need, Offer, OfferCategory, Organisation, Referral, User
from zhuanjie.needs import service as needs
from zhuanjie.offers import service as offers
from zhuanjie.offers.capacity import remaining

POOL = 60  # ranked before the page's filters are applied
SHOWN = 10
EXCLUDED_SHOWN = 6
SET_ASIDE = {"declined": "该机构已拒绝", "withdrawn": "已撤回", "failed": "上次未能完成"}
ALREADY = {
    "sent": "已转介，等待答复",
    "accepted": "已转介并接收",
    "in_service": "正在服务",
    "delivered": "已送达",
    "closed": "已转介并办结",
}


@dataclass
class MatchRow:
    offer: Offer
    organisation: Organisation
    score: float
    reasons: list[str]
    remaining: int | None
    categories: list[str]
    entitled: bool = False  # the household already receives this programme


@dataclass
class ExcludedRow:
    offer: Offer
    organisation: Organisation
    labels: list[str]  # 不在服务范围, 名额已满 …
    details: list[str]


@dataclass
class MatchView:
    need: Need
    ranked: list[MatchRow] = field(default_factory=list)
    excluded: list[ExcludedRow] = field(default_factory=list)
    referred: list[tuple[Offer, Organisation, str]] = field(default_factory=list)
    entitlements: list[Entitlement] = field(default_factory=list)  # covering the need's category


def _rank(record: matching.Need, index: matching.OfferIndex | None) -> list[matching.NeedRanking]:
    if index is None or len(index) == 0:  # nothing published yet
        return [matching.NeedRanking(need_id=record.id, ranked=[])]
    return matching.rank([record], index, as_of=today(), top=POOL, n_jobs=1)


def _categories(session: Session, offer_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in offer_ids}
    if offer_ids:
        for row in session.exec(select(OfferCategory).where(OfferCategory.offer_id.in_(offer_ids))):
            out[row.offer_id].append(row.category)
    return out


def _rows(session: Session, ids: list[int]) -> dict[int, tuple[Offer, Organisation]]:
    if not ids:
        return {}
    pairs = session.exec(
        select(Offer, Organisation)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(Offer.id.in_(ids))
    ).all()
    return {o.id: (o, org) for o, org in pairs}


def matches_for_need(
    session: Session,
    *,
    actor: User,
    need_id: int,
    provider_kind: str = "",
    mode: str = "",
    category: str = "",
) -> MatchView:
    """Rank the current offers for a need, with the page's filters and explanations."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    view = rank_need(session, need, provider_kind=provider_kind, mode=mode, category=category)
    shown = [r.score for r in view.ranked]
    if shown and (need.best_seen_score or 0) < max(shown):
        need.best_seen_score = max(shown)  # nightly re-matching tells only of better ones
        session.add(need)
        session.commit()
    return view


def rank_need(
    session: Session,
    need: Need,
    *,
    provider_kind: str = "",
    mode: str = "",
    category: str = "",
    explain: bool = True,
) -> MatchView:
    """The matches of one need, whoever asks (scope is the caller's to check)."""
    view = MatchView(need=need)
    record = engine_need(session, need)
    index = index_cache.get(session)
    (ranking,) = _rank(record, index)

    history = {
        r.offer_id: r.status
        for r in session.exec(
            select(Referral).where(Referral.need_id == need.id).order_by(Referral.id)
        )
    }
    entitlements = list(
        session.exec(select(Entitlement).where(Entitlement.household_id == need.household_id)).all()
    )
    current = [e for e in entitlements if e.until_date is None or e.until_date >= today()]
    entitled_offers = {e.offer_id for e in current if e.offer_id}
    view.entitlements = [e for e in current if e.category == need.category]

    ids = [int(r.offer_id) for r in ranking.ranked]
    rows = _rows(session, ids + list(history))
    cats = _categories(session, ids)
    for ranked in ranking.ranked:
        if int(ranked.offer_id) not in rows:
            continue  # removed from the database since the index last looked
        offer, org = rows[int(ranked.offer_id)]
        if offer.id in history:
            continue  # shown in its own list below, never offered twice
        if (
            (provider_kind and org.kind != provider_kind)
            or (mode and offer.mode != mode)
            or (category and category not in cats[offer.id])
        ):
            continue
        view.ranked.append(
            MatchRow(
                offer,
                org,
                ranked.score,
                ranked.reasons,
                remaining(offer),
                cats[offer.id],
                offer.id in entitled_offers,
            )
        )
        if len(view.ranked) == SHOWN:
            break
    for offer_id, status in history.items():
        offer, org = rows[offer_id]
        view.referred.append((offer, org, SET_ASIDE.get(status) or ALREADY.get(status, status)))
    if index is not None and explain:
        view.excluded = _best_excluded(session, record, index, skip=set(ids) | set(history))
    return view


def _best_excluded(
    session: Session, record: matching.Need, index: matching.OfferIndex, skip: set[int]
) -> list[ExcludedRow]:
    """The offers a caseworker would expect to see, with the rules that keep them out:
    same category first, then those that miss by the fewest rules (matches/excluded.py
    counts the rules of all of them at once and explains only those shown)."""
    nearest = nearest_excluded(
        record, index, index_cache.stamp(index), skip={str(i) for i in skip}, as_of=today(),
        shown=EXCLUDED_SHOWN,
    )
    rows = _rows(session, [int(k) for k, _ in nearest])
    return [
        ExcludedRow(*rows[int(k)], [e.label for e in ex], [e.detail for e in ex])
        for k, ex in nearest
        if int(k) in rows
    ]


def why_not(session: Session, *, need: Need, offer: Offer) -> list[str]:
    """Why this offer may not receive this need (empty: it may)."""
    organisation = session.get(Organisation, offer.organisation_id)
    if offer.status != "published" or organisation.status != "verified":
        return ["项目未发布或机构未认证"]
    (record,) = offers.engine_offers(session, [offer])
    found = matching.explain_exclusions(engine_need(session, need), [record], as_of=today())
    return [e.label for e in found.get(record.id, [])]


def score_of(session: Session, *, need: Need, offer: Offer) -> float | None:
    """The engine's score for this pair as the match page shows it (None: outside the top)."""
    (ranking,) = matching.rank(
        [engine_need(session, need)], index_cache.get(session), as_of=today(), top=POOL, n_jobs=1
    )
    return next((r.score for r in ranking.ranked if r.offer_id == str(offer.id)), None)
