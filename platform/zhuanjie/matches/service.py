"""Matches for one need: the engine's ranked, admissible offers, why the best-looking others
are excluded, and what the household already receives from government."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

import matching
from zhuanjie import programmes
from zhuanjie.clock import today
from zhuanjie.matches import government
from zhuanjie.matches.engine import engine_need, engine_needs, index_cache
from zhuanjie.matches.excluded import nearest_excluded
from zhuanjie.models import Entitlement, Need, Offer, Organisation, Referral, User
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
    government_first: bool = False  # 政府救助优先: a programme to apply for before charity


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
    government_amount: float | None = None  # of the need's amount, where amounts are known
    uncovered: float | None = None  # what is left for charity


def _rank(
    record: matching.Need,
    index: matching.OfferIndex | None,
    scorer: matching.MatchScorer,
    top: int = POOL,
) -> list[matching.NeedRanking]:
    if index is None or len(index) == 0:  # nothing published yet
        return [matching.NeedRanking(need_id=record.id, ranked=[])]
    return matching.rank([record], index, as_of=today(), top=top, scorer=scorer, n_jobs=1)


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
    """The matches of one need, whoever asks (scope is the caller's to check).

    The page's filters are applied to the engine's own records (cached with its index), so
    only the rows shown are read from the database, in one query. Government programmes
    come first and charity fills the gap as `zhuanjie.matches.government` describes."""
    view = MatchView(need=need)
    record = engine_need(session, need)
    index = index_cache.get(session)
    records = index_cache.records(session)

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
    view.entitlements = [e for e in current if e.category == need.category]

    filtered = bool(provider_kind or mode or category)
    table = government.rules_table.get(session, index_cache.stamp(index) if index else None)
    received = government.received_of(current, table)
    scorer = index_cache.scorer(session)  # the promoted model, or the packaged default

    def keep(found: matching.Offer) -> bool:
        return not (
            (provider_kind and found.provider_type != provider_kind)
            or (mode and found.mode != mode)
            or (category and category not in found.categories)
        )

    # Programmes listed first and offers their rules set aside leave the rest short: rank
    # that many more at once rather than again.
    ruled = sum(1 for k in table if k in records and need.category in records[k].categories)
    top = POOL if filtered else min(SHOWN + len(history) + ruled, POOL)
    while True:
        (ranking,) = _rank(record, index, scorer, top=top)
        arranged = government.arrange(record, [
            (ranked, records[ranked.offer_id]) for ranked in ranking.ranked
            if ranked.offer_id in records and int(ranked.offer_id) not in history
            and keep(records[ranked.offer_id])
        ], table, received)
        # Rows set aside by the programmes' rules leave room: look further down, once.
        if top >= POOL or len(arranged.rest) >= SHOWN or len(ranking.ranked) < top:
            break
        top = POOL
    seen = {r.offer_id for r in ranking.ranked} | {str(i) for i in history}
    missing = government.unranked_programmes(
        record, records, table, received, seen=seen, keep=keep, as_of=today()
    )
    own_index = (government.rules_table.programme_index(index_cache.stamp(index), index, records)
                 if missing else None)
    if own_index is not None:  # ranked below the rows shown: scored on their own, with the
        # city's index's encoder and tables (kept per process with the rules table)
        wanted = {o.id for o in missing}
        (own,) = matching.rank([record], own_index, as_of=today(), top=len(own_index),
                               scorer=scorer, n_jobs=1)
        arranged.priority += [(r, records[r.offer_id]) for r in own.ranked
                              if r.offer_id in wanted]
    arranged.priority.sort(key=lambda pair: -pair[0].score)
    priority = {ranked.offer_id for ranked, _ in arranged.priority}
    picked = arranged.priority + arranged.rest[:SHOWN]
    shares = government.gap(
        record.amount_needed, [found for _, found in arranged.priority], received, records,
        need.category,
    )
    if shares is not None:
        view.government_amount, view.uncovered = shares
    nearest = []
    if index is not None and explain:
        nearest = nearest_excluded(
            record, index, index_cache.stamp(index), skip={str(i) for i in history},
            as_of=today(), shown=EXCLUDED_SHOWN,
        )
    rows = _rows(
        session, [int(r.offer_id) for r, _ in picked] + list(history)
        + [int(k) for k, _ in nearest] + [int(k) for k, _ in arranged.set_aside[:EXCLUDED_SHOWN]]
    )
    for ranked, found in picked:
        if int(ranked.offer_id) not in rows:
            continue  # removed from the database since the index last looked
        offer, org = rows[int(ranked.offer_id)]
        view.ranked.append(
            MatchRow(
                offer,
                org,
                ranked.score,
                ranked.reasons,
                remaining(offer),
                list(found.categories),
                programmes.receives(received, offer_id=offer.id, title=offer.title),
                ranked.offer_id in priority,
            )
        )
    for offer_id, status in history.items():
        offer, org = rows[offer_id]
        view.referred.append((offer, org, SET_ASIDE.get(status) or ALREADY.get(status, status)))
    view.excluded = [
        ExcludedRow(*rows[int(k)], [e.label for e in ex], [e.detail for e in ex])
        for k, ex in arranged.set_aside[:EXCLUDED_SHOWN] + nearest
        if int(k) in rows
    ]
    return view


def next_best(session: Session, needs_: list[Need]) -> dict[int, tuple[Offer, Organisation]]:
    """Each need's best admissible offer it was never referred to, for many needs in a fixed
    number of reads (the start page lists several declined or overdue referrals)."""
    index = index_cache.get(session)
    if not needs_ or index is None or len(index) == 0:
        return {}
    tried: dict[int, set[str]] = {}
    for need_id, offer_id in session.exec(
        select(Referral.need_id, Referral.offer_id).where(
            Referral.need_id.in_([n.id for n in needs_]))
    ):
        tried.setdefault(need_id, set()).add(str(offer_id))
    rankings = matching.rank(engine_needs(session, needs_), index, as_of=today(), top=6,
                             n_jobs=1)
    best = {}
    for need, ranking in zip(needs_, rankings, strict=True):
        pick = next((r for r in ranking.ranked if r.offer_id not in tried.get(need.id, ())), None)
        if pick is not None:
            best[need.id] = int(pick.offer_id)
    rows = _rows(session, list(set(best.values())))
    return {need_id: rows[offer_id] for need_id, offer_id in best.items() if offer_id in rows}


def why_not(session: Session, *, need: Need, offer: Offer) -> list[str]:
    """Why this offer may not receive this need (empty: it may)."""
    organisation = session.get(Organisation, offer.organisation_id)
    if not offers.is_live(offer, organisation):
        return ["项目未发布或机构未认证"]
    (record,) = offers.engine_offers(session, [offer])
    found = matching.explain_exclusions(engine_need(session, need), [record], as_of=today())
    return [e.label for e in found.get(record.id, [])]


def score_of(session: Session, *, need: Need, offer: Offer) -> float | None:
    """The engine's score for this pair as the match page shows it (None: outside the top)."""
    index = index_cache.get(session)
    (ranking,) = matching.rank(
        [engine_need(session, need)], index, as_of=today(), top=POOL,
        scorer=index_cache.scorer(session), n_jobs=1,
    )
    return next((r.score for r in ranking.ranked if r.offer_id == str(offer.id)), None)


@dataclass(frozen=True)
class MatchFilters:
    """The match list's filters, as the page and the API take them (blank: any)."""

    provider_kind: str = ""
    mode: str = ""
    category: str = ""


def filtered_matches(
    session: Session, *, actor: User, need_id: int, filters: MatchFilters
) -> MatchView:
    """`matches_for_need` with the request's filters."""
    return matches_for_need(
        session,
        actor=actor,
        need_id=need_id,
        provider_kind=filters.provider_kind,
        mode=filters.mode,
        category=filters.category,
    )
