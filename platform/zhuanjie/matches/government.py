"""Government first, charity for the gap: how the match page arranges what the engine ranked.

The engine stays pure and knows nothing of offers' structured rules; the page applies them
to the engine's ranking (`zhuanjie.programmes` holds the rules themselves):

1. A government programme (`programmes.is_programme`) whose rules say `government_first`,
   that serves the need's category, is admissible (the engine's hard rules and the
   programme's own: income line, excluded groups) and that the household does not yet
   receive, is listed first, marked 政府救助优先 — even when the engine ranked it below the
   rows shown (it is then scored on its own).
2. An offer the programme rules refuse (income above the line, an excluded group), or one
   that may not be stacked on a programme the household receives
   (`programmes.stacking_refused`), is not proposed: it is shown among the excluded offers
   with the rule.
3. Everything else keeps the engine's order.
4. The gap: where the need's amount is known, the amounts per person of the programmes
   listed first and of the received programmes of the need's category (their offer's amount
   per person, e.g. 医疗救助's share of a bill) are taken from it; what is left is shown as
   the amount for charity. Monthly allowances (低保金 …) are income, already in the
   household's income per person, and are not taken from a need's amount.

Each process keeps the rules of the live offers that have any (a few, mostly programmes) per
state of the engine's index, so the page reads nothing more from the database per request;
beside them, for the same state, the small index that scores the programmes the ranking did
not reach (built on the first request that needs it, not on each).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

import matching
from matching.schema import RankedOffer
from zhuanjie import changes, programmes
from zhuanjie.models import Entitlement, Offer, Organisation
from zhuanjie.offers import service as offers
from zhuanjie.offers.schemas import OfferRules


@dataclass(frozen=True)
class Ruled:
    rules: OfferRules
    programme: bool  # a government standing programme


class RulesTable:
    """Per process: the structured rules of live offers, for one state of the engine's index,
    and (built on first use, for the same state) the small index of the programmes to list
    first, for those the ranking did not reach."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._rules: dict[str, Ruled] = {}
        self._programmes: matching.OfferIndex | None = None

    def get(self, session: Session, stamp: tuple | None) -> dict[str, Ruled]:
        if stamp is None:
            return {}
        with self._lock:
            if self._stamp != stamp:
                rows = session.exec(
                    select(Offer.id, Offer.is_programme, Offer.rules, Organisation.kind)
                    .join(Organisation, Organisation.id == Offer.organisation_id)
                    .where(offers.live())
                ).all()
                self._rules = {
                    str(offer_id): Ruled(
                        programmes.rules_of(rules),
                        programmes.is_programme(is_programme_flag=flag, organisation_kind=kind),
                    )
                    for offer_id, flag, rules, kind in rows
                    if rules or flag
                }
                self._programmes = None
                self._stamp = stamp
            return self._rules

    def programme_index(
        self, stamp: tuple, index: matching.OfferIndex, records: dict[str, matching.Offer],
    ) -> matching.OfferIndex | None:
        """The live programmes whose rules say government_first, as an index scored with the
        city index's encoder and tables (so their scores compare with the ranked rows'), for
        the state `stamp` of that index, after get() with the same stamp. None: there are none.
        """
        with self._lock:
            if self._stamp == stamp and self._programmes is not None:
                return self._programmes
            table = self._rules if self._stamp == stamp else {}
            found = [records[k] for k, ruled in table.items()
                     if ruled.programme and ruled.rules.government_first and k in records]
            if not found:
                return None
            built = matching.OfferIndex(found, encoder=index.encoder, affinity=index.affinity,
                                        provider_stats=index.provider_stats)
            if self._stamp == stamp:  # another state meanwhile: answer, do not keep
                self._programmes = built
            return built

    def clear(self) -> None:
        with self._lock:
            self._stamp, self._rules, self._programmes = None, {}, None


rules_table = RulesTable()
changes.register_cache(rules_table.clear)


def received_of(current: list[Entitlement], table: dict[str, Ruled]) -> list[programmes.Received]:
    """The household's current entitlements, with whether their programme refuses charity."""
    out = []
    for e in current:
        ruled = table.get(str(e.offer_id)) if e.offer_id else None
        out.append(programmes.Received(
            e.category, e.programme, e.offer_id, e.monthly_amount,
            refuses_charity=ruled is not None and not ruled.rules.stacks_with_charity,
        ))
    return out


def _first(ruled: Ruled | None, need: matching.Need, offer: matching.Offer) -> bool:
    return (ruled is not None and ruled.programme and ruled.rules.government_first
            and need.category in offer.categories)


@dataclass
class Arranged:
    priority: list[tuple[RankedOffer, matching.Offer]] = field(default_factory=list)
    rest: list[tuple[RankedOffer, matching.Offer]] = field(default_factory=list)
    set_aside: list[tuple[str, list[matching.Exclusion]]] = field(default_factory=list)


def refusals(
    need: matching.Need, offer: matching.Offer, ruled: Ruled | None,
    received: list[programmes.Received],
) -> list[matching.Exclusion]:
    """The structured rules (beyond the engine's) that keep `offer` from being proposed."""
    out = []
    if ruled is not None:
        out += programmes.rule_exclusions(ruled.rules, groups=need.groups,
                                          income=need.income_per_capita)
    blocker = programmes.stacking_refused(
        received, categories=offer.categories, government=offer.provider_type == "government",
        refuses_stacking=ruled is not None and not ruled.rules.stacks_with_charity,
        offer_id=int(offer.id),
    )
    if blocker is not None:
        out.append(programmes.stacking_exclusion(blocker))
    return out


def arrange(
    need: matching.Need, ranked: list[tuple[RankedOffer, matching.Offer]],
    table: dict[str, Ruled], received: list[programmes.Received],
) -> Arranged:
    """Split the engine's ranking into programmes listed first, the rest, and the set aside."""
    out = Arranged()
    for r, offer in ranked:
        ruled = table.get(offer.id)
        if programmes.receives(received, offer_id=int(offer.id), title=offer.title):
            out.rest.append((r, offer))  # shown as received, never proposed again
            continue
        refused = refusals(need, offer, ruled, received)
        if refused:
            out.set_aside.append((offer.id, refused))
        elif _first(ruled, need, offer):
            out.priority.append((r, offer))
        else:
            out.rest.append((r, offer))
    return out


def unranked_programmes(
    need: matching.Need, records: dict[str, matching.Offer], table: dict[str, Ruled],
    received: list[programmes.Received], *, seen: set[str], keep, as_of: date,
) -> list[matching.Offer]:
    """Programmes to list first that the engine's ranking did not reach (`seen`), that the
    page's filters (`keep`) allow."""
    out = []
    for offer_id, ruled in table.items():
        offer = records.get(offer_id)
        if (offer is None or offer_id in seen or not _first(ruled, need, offer)
                or not keep(offer) or refusals(need, offer, ruled, received)
                or programmes.receives(received, offer_id=int(offer_id), title=offer.title)
                or not matching.admissible(need, offer, as_of)):
            continue
        out.append(offer)
    return out


def gap(
    amount_needed: float | None, priority: list[matching.Offer],
    received: list[programmes.Received], records: dict[str, matching.Offer], category: str,
) -> tuple[float, float] | None:
    """(government's part, what is left for charity) of the need's amount, where known."""
    if amount_needed is None:
        return None
    parts = [o.amount_per_beneficiary for o in priority]
    for r in received:
        linked = records.get(str(r.offer_id)) if r.offer_id else None
        if r.category == category and linked is not None:
            parts.append(linked.amount_per_beneficiary)
    known = [p for p in parts if p is not None]
    if not known:
        return None
    government = sum(known)
    return government, max(amount_needed - government, 0.0)

