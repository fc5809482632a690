"""The public board: published needs anyone may read, filtered and paged in SQL.

Every public read starts from `visible_publications()`: published and the household's consent
still valid. A need past its deadline stays visible (the caseworker may still welcome help)
but is shown so and sorted last. Nothing here reads households, members or the need's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Engine, case, create_engine, event
from sqlmodel import Session, func, select

from zhuanjie import codes, regions
from zhuanjie.clock import today
from zhuanjie.donors import cache
from zhuanjie.donors.schemas import BoardQuery, PublicationPublic
from zhuanjie.errors import NotFound
from zhuanjie.models import Consent, NeedPublication

CENT = Decimal("0.01")


@lru_cache(maxsize=8)
def _sqlite_reader(url) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _autocommit(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # each SELECT reads its own WAL snapshot

    return engine


@contextmanager
def _reads(session: Session) -> Iterator[Session]:
    """Where public reads run. On SQLite every transaction of the app's engine begins
    IMMEDIATE (takes the write lock), so concurrent visitors would queue behind one another;
    public, read-only queries use a plain autocommit reader instead. PostgreSQL reads never
    block, and a session bound to a connection (tests) is used as it is."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        yield session
        return
    with Session(_sqlite_reader(bind.url), expire_on_commit=False) as reader:
        yield reader


def visible_publications():
    """The one query every public list and lookup starts from."""
    on = today()
    return (
        select(NeedPublication)
        .join(Consent, Consent.id == NeedPublication.consent_id)
        .where(
            NeedPublication.status == "published",
            Consent.revoked_at.is_(None),
            Consent.valid_until >= on,
        )
    )


def county_path(county: str) -> str | None:
    """如皋市 or 南通市/如皋市 → 南通市/如皋市; None when it is not a county."""
    county = (county or "").strip().strip("/")
    for node in regions.counties():
        if county in (node.name, node.path):
            return node.path
    return None


def remaining(pub: NeedPublication) -> Decimal | None:
    """Yuan still needed, never below zero; None when the need asks for no money."""
    if pub.amount_goal is None:
        return None
    left = Decimal(pub.amount_goal) - Decimal(pub.amount_pledged or 0)
    return max(left, Decimal(0)).quantize(CENT)


def public_view(pub: NeedPublication) -> PublicationPublic:
    return PublicationPublic(
        id=pub.id,
        title=pub.title,
        story=pub.story,
        region=regions.short_name(pub.region_path),
        region_path=pub.region_path,
        category=pub.category,
        category_label=codes.CATEGORIES.get(pub.category, pub.category),
        urgency=pub.urgency,
        urgency_label=codes.URGENCY.get(pub.urgency, ""),
        amount_goal=None if pub.amount_goal is None else Decimal(pub.amount_goal).quantize(CENT),
        amount_pledged=Decimal(pub.amount_pledged or 0).quantize(CENT),
        amount_remaining=remaining(pub),
        goods_needed=pub.goods_needed,
        deadline_date=pub.deadline_date,
        deadline_passed=bool(pub.deadline_date and pub.deadline_date < today()),
        published_at=pub.published_at,
        status=pub.status,
    )


def search(session: Session, *, query: BoardQuery) -> tuple[list[NeedPublication], int]:
    """One page of the board and the total, all filtering and ordering in SQL."""
    stmt = visible_publications()
    if query.county:
        path = county_path(query.county)
        if path is None:
            return [], 0
        # One IN over exact paths (the county and its townships) uses the region index;
        # a LIKE prefix beside an OR does not.
        paths = [path] + [t.path for t in regions.townships(path)]
        stmt = stmt.where(NeedPublication.region_path.in_(paths))
    if query.category:
        stmt = stmt.where(NeedPublication.category == query.category)
    if query.urgency:
        stmt = stmt.where(NeedPublication.urgency == query.urgency)
    left = NeedPublication.amount_goal - NeedPublication.amount_pledged
    if query.amount_min is not None:
        stmt = stmt.where(left >= query.amount_min)
    if query.amount_max is not None:
        stmt = stmt.where(left <= query.amount_max)
    with _reads(session) as reader:
        return _page(reader, stmt, query)


def _page(session: Session, stmt, query: BoardQuery) -> tuple[list[NeedPublication], int]:
    filters = query.model_dump_json(exclude={"page", "size", "sort"})
    total = cache.count(filters, lambda: session.exec(
        select(func.count()).select_from(stmt.subquery())).one())
    # Upcoming deadlines first, then none, then those already past.
    no_deadline_last = case(
        (NeedPublication.deadline_date.is_(None), 1),
        (NeedPublication.deadline_date < today(), 2),
        else_=0,
    )
    if query.sort == "deadline":
        order = (no_deadline_last, NeedPublication.deadline_date, NeedPublication.id.desc())
    elif query.sort == "newest":
        order = (NeedPublication.published_at.desc(), NeedPublication.id.desc())
    else:
        order = (
            NeedPublication.urgency.desc(),
            no_deadline_last,
            NeedPublication.deadline_date,
            NeedPublication.id.desc(),
        )
    rows = session.exec(
        stmt.order_by(*order).offset((query.page - 1) * query.size).limit(query.size)
    ).all()
    return list(rows), total


def get_public(session: Session, *, publication_id: int) -> NeedPublication:
    """One published need, or NotFound (taken down, expired and unknown look the same)."""
    with _reads(session) as reader:
        pub = reader.exec(
            visible_publications().where(NeedPublication.id == publication_id)
        ).first()
    if pub is None:
        raise NotFound("该求助信息不存在或已下线")
    return pub
