"""Public display (公示) per county: what was given through the board, by category and
month; and the recipients who agreed to be listed, in masked form only (张*明), with their
township (never the village), the category and the month, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, case, cast, or_
from sqlmodel import Session, func, select

from zhuanjie import codes, crypto, regions
from zhuanjie.clock import today
from zhuanjie.config import get_settings
from zhuanjie.donors.board import county_path
from zhuanjie.errors import NotFound
from zhuanjie.models import Consent, Member, Need, NeedPublication, Pledge


@dataclass
class Line:
    month: str  # 2026-03
    category: str
    category_label: str
    count: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class Recipient:
    """One line of the 公示: the masked name, the township (never the village), the category
    of help and the month it was delivered."""

    masked_name: str
    township: str
    category: str  # Chinese
    month: str


@dataclass
class Display:
    county: str
    county_path: str
    total_count: int = 0
    total_amount: Decimal = Decimal(0)
    lines: list[Line] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    recipients_total: int = 0


RECIPIENTS_PER_PAGE = 20


def county_display(session: Session, *, county: str, page: int = 1) -> Display:
    """Delivered pledges of needs in the county, summed by category and month; and, page by
    page, the recipients whose household agreed to the 公示 (a live publication consent that
    covers display), masked."""
    path = county_path(county)
    if path is None:
        raise NotFound("没有这个县（市、区）")
    zone = ZoneInfo(get_settings().timezone)
    in_county = (
        select(Pledge, NeedPublication, Need)
        .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
        .join(Need, Need.id == NeedPublication.need_id)
        .where(
            Pledge.status == "delivered",
            or_(Need.region_path == path, Need.region_path.like(path + "/%")),
        )
    )
    out = Display(county=regions.short_name(path), county_path=path)
    # The sums name nobody; counted by the database, per local month and category.
    when = func.coalesce(Pledge.delivered_at, Pledge.created_at)
    first, last, out.total_count, total = session.exec(in_county.with_only_columns(
        func.min(when), func.max(when), func.count(),
        func.coalesce(func.sum(Pledge.amount), 0))).one()
    out.total_amount = Decimal(total or 0)
    months = _months(first, last, zone)
    if months:
        month = case(*[(and_(when >= lo, when < hi), label) for label, lo, hi in months],
                     else_=None)
        out.lines = [
            Line(m, category, codes.CATEGORIES.get(category, category), int(n),
                 Decimal(amount or 0))
            for m, category, n, amount in session.exec(
                in_county.with_only_columns(month, NeedPublication.category, func.count(),
                                            func.coalesce(func.sum(Pledge.amount), 0))
                .group_by(month, NeedPublication.category))
        ]
    out.lines.sort(key=lambda x: (x.month, x.category), reverse=True)

    listed = (
        in_county.join(Consent, Consent.id == NeedPublication.consent_id)
        .where(
            NeedPublication.status != "taken_down",
            Consent.revoked_at.is_(None),
            Consent.valid_until >= today(),
            # the consent's field codes are a JSON list; the text form names "display"
            cast(Consent.fields, String).like('%"display"%'),
        )
    )
    out.recipients_total = session.exec(
        select(func.count()).select_from(listed.subquery())
    ).one()
    out.pages = max(1, -(-out.recipients_total // RECIPIENTS_PER_PAGE))
    out.page = min(max(page, 1), out.pages)
    rows = session.exec(
        listed.order_by(Pledge.delivered_at.desc(), Pledge.id.desc())
        .offset((out.page - 1) * RECIPIENTS_PER_PAGE).limit(RECIPIENTS_PER_PAGE)
    ).all()
    for p, pub, need in rows:
        member = session.get(Member, need.member_id) if need.member_id else session.exec(
            select(Member).where(Member.household_id == need.household_id)
            .order_by(Member.is_head.desc(), Member.id)
        ).first()
        out.recipients.append(Recipient(
            masked_name=crypto.mask_name(member.name if member else ""),
            township=regions.short_name(need.region_path).removeprefix(out.county),
            category=codes.CATEGORIES.get(pub.category, pub.category),
            month=_month(p, zone),
        ))
    return out


def _month(p: Pledge, zone: ZoneInfo) -> str:
    return (p.delivered_at or p.created_at).astimezone(zone).strftime("%Y-%m")


def _months(first: datetime | None, last: datetime | None,
            zone: ZoneInfo) -> list[tuple[str, datetime, datetime]]:
    """(2026-03, start, end) of each local month from `first`'s to `last`'s, as UTC instants."""
    if first is None or last is None:
        return []
    day = first.astimezone(zone).date().replace(day=1)
    end = last.astimezone(zone).date()
    out = []
    while day <= end:
        following = (day + timedelta(days=32)).replace(day=1)
        out.append((f"{day:%Y-%m}", datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC),
                    datetime.combine(following, time(0), tzinfo=zone).astimezone(UTC)))
        day = following
    return out
