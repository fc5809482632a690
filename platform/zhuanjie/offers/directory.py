"""The directory: search published offers by words, category, region, group, mode, kind.

Everything is filtered, counted, scored and paged in SQL, so a request reads one page of rows
whatever the size of the catalogue. Chinese has no word boundaries, so words are matched as
substrings (LIKE); relevance is a weighted count of matches (title 3, organisation 2,
description 1) computed by the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from pydantic import ValidationError
from sqlalchemy import case, literal, or_
from sqlmodel import Session, select

from zhuanjie import changes, regions
from zhuanjie.clock import today
from zhuanjie.errors import Invalid
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.models import Offer, OfferCategory, OfferGroup, OfferRegion, Organisation, User
from zhuanjie.offers.schemas import DirectoryQuery, OfferPublic
from zhuanjie.offers.service import live, not_ended, offers_public, visible_offers
from zhuanjie.pagination import count

MAX_TERMS = 5


def terms(q: str) -> list[str]:
    """The search words: split on spaces (full-width too), at most five."""
    return [t for t in q.replace("\u3000", " ").split() if t][:MAX_TERMS]


def word_terms(q: str) -> list[str]:
    """The words of a phrase typed without spaces (jieba), for a second, looser try:
    老人助餐 finds 留守老人的上门助餐 too. Single characters are dropped as too common."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = [w.strip() for t in terms(q) for w in jieba.lcut(t)]
    return list(dict.fromkeys(w for w in words if len(w) >= 2))[:MAX_TERMS]


def covering(region: str):
    """A WHERE clause: the offer covers the region (or, for a county, some place in it).

    The tree is known, so this is one IN over exact paths (the region, the regions above it
    and those below it), which the index on offer_regions.region_path answers.
    """
    paths = regions.ancestors(region) + [
        n.path for n in regions.region_nodes() if n.path.startswith(region + "/")
    ]
    covered = select(OfferRegion.offer_id).where(OfferRegion.region_path.in_(paths))
    return Offer.id.in_(covered)


def _filtered(user: User | None, query: DirectoryQuery, words: list[str] | None = None):
    stmt = visible_offers(user).where(live(), not_ended(today()))
    if query.category:
        stmt = stmt.where(
            Offer.id.in_(select(OfferCategory.offer_id)
                         .where(OfferCategory.category == query.category))
        )
    if query.region:
        stmt = stmt.where(covering(query.region))
    if query.group:
        # An offer that names no groups is open to everyone in its coverage.
        stmt = stmt.where(
            or_(
                Offer.id.in_(select(OfferGroup.offer_id)
                             .where(OfferGroup.group_code == query.group)),
                ~Offer.id.in_(select(OfferGroup.offer_id)),
            )
        )
    if query.mode:
        stmt = stmt.where(Offer.mode == query.mode)
    if query.kind:
        stmt = stmt.where(Organisation.kind == query.kind)
    if query.only_open:
        stmt = stmt.where(or_(Offer.capacity.is_(None), Offer.places_taken < Offer.capacity))
    score = literal(0)
    for term in terms(query.q) if words is None else words:
        in_title = Offer.title.contains(term, autoescape=True)
        in_org = Organisation.name.contains(term, autoescape=True)
        in_text = Offer.description.contains(term, autoescape=True)
        stmt = stmt.where(or_(in_title, in_org, in_text))
        score = (
            score
            + case((in_title, 3), else_=0)
            + case((in_org, 2), else_=0)
            + case((in_text, 1), else_=0)
        )
    return stmt, score


def parse_query(params: dict) -> DirectoryQuery:
    """The filters from request parameters; a bad one is Invalid naming its field."""
    try:
        return DirectoryQuery.model_validate(params)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise Invalid(chinese_message(err), field=field_name(err["loc"])) from None


def search(
    session: Session, *, user: User | None, query: DirectoryQuery, offset: int = 0,
    limit: int = 20,
) -> tuple[list[OfferPublic], int]:
    """One page of matching offers and the total; relevance first, or newest first.

    When words typed as one phrase find nothing, the phrase is split into words (jieba) and
    offers containing all of them are found instead. Answers are cached per process for
    everyone who sees the same offers (see `_cache`), until an offer or organisation changes.
    """
    key = (_scope(user), query.model_dump_json(), offset, limit, today().isoformat())
    return _cache.get(session, key, lambda: _search(session, user=user, query=query,
                                                      offset=offset, limit=limit))


def _search(
    session: Session, *, user: User | None, query: DirectoryQuery, offset: int, limit: int,
) -> tuple[list[OfferPublic], int]:
    words = None
    stmt, score = _filtered(user, query)
    total = count(session, stmt)
    if total == 0 and any(len(t) >= 4 for t in terms(query.q)):
        words = word_terms(query.q)
        if words and words != terms(query.q):
            stmt, score = _filtered(user, query, words)
            total = count(session, stmt)
    newest = (Offer.published_at.desc(), Offer.id.desc())
    if query.sort == "relevance" and query.q.strip():
        ordered = stmt.order_by(score.desc(), *newest)
    else:
        ordered = stmt.order_by(*newest)
    rows = list(session.exec(ordered.offset(offset).limit(limit)
                             .execution_options(populate_existing=True)).all())
    return offers_public(session, rows), total


def _scope(user: User | None) -> str:
    """Who sees the same offers (visible_offers): the public and donors, platform roles, and
    each organisation's staff (who see their own drafts too)."""
    if user is None or user.role == "donor":
        return "public"
    if user.role == "org_staff":
        return f"org:{user.organisation_id}"
    return f"role:{user.role}"


class _AnswerCache:
    """Directory answers kept in the process while no offer or organisation changes anywhere
    (the change counters of zhuanjie.changes, read once per request)."""

    MAX_ENTRIES = 1000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[list[OfferPublic], int]] = OrderedDict()
        self._watch = changes.Watcher(("offers", "organisations"))

    def get(self, session: Session, key: tuple, compute):
        if self._watch.moved(session):
            with self._lock:
                self._entries.clear()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        answer = compute()
        if changes.pending(session, "offers") == set() == changes.pending(
            session, "organisations"
        ):
            with self._lock:
                self._entries[key] = answer
                while len(self._entries) > self.MAX_ENTRIES:
                    self._entries.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        self._watch.clear()


_cache = _AnswerCache()
changes.register_cache(_cache.clear)
