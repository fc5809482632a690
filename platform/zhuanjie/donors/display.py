"""Public display (公示) per county: what was given through the board, by category and
month, and the recipients in masked form only (张*明), with village and kind of help."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, select

from zhuanjie import codes, crypto, regions
from zhuanjie.config import get_settings
from zhuanjie.donors.board import county_path
from zhuanjie.errors import NotFound
from zhuanjie.models import Household, Member, Need, NeedPublication, Pledge


@dataclass
class Line:
    month: str  # 2026-03
    category: str
    category_label: str
    count: int = 0
    amount: Decimal = Decimal(0)


@dataclass
class Recipient:
    masked_name: str
    village: str
    township: str
    help: str  # kind of help, Chinese
    month: str


@dataclass
class Display:
    county: str
    county_path: str
    total_count: int = 0
    total_amount: Decimal = Decimal(0)
    lines: list[Line] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)


def county_display(session: Session, *, county: str) -> Display:
    """Delivered pledges of needs in the county, summed; recipients masked."""
    path = county_path(county)
    if path is None:
        raise NotFound("没有这个县（市、区）")
    zone = ZoneInfo(get_settings().timezone)
    rows = session.exec(
        select(Pledge, NeedPublication, Need)
        .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
        .join(Need, Need.id == NeedPublication.need_id)
        .where(
            Pledge.status == "delivered",
            or_(Need.region_path == path, Need.region_path.like(path + "/%")),
        )
        .order_by(Pledge.delivered_at.desc())
    ).all()
    out = Display(county=regions.short_name(path), county_path=path)
    lines: dict[tuple[str, str], Line] = {}
    for p, pub, need in rows:
        month = (p.delivered_at or p.created_at).astimezone(zone).strftime("%Y-%m")
        line = lines.setdefault(
            (month, pub.category),
            Line(month, pub.category, codes.CATEGORIES.get(pub.category, pub.category)),
        )
        line.count += 1
        line.amount += Decimal(p.amount or 0)
        out.total_count += 1
        out.total_amount += Decimal(p.amount or 0)
        household = session.get(Household, need.household_id)
        member = session.get(Member, need.member_id) if need.member_id else session.exec(
            select(Member).where(Member.household_id == need.household_id)
            .order_by(Member.is_head.desc(), Member.id)
        ).first()
        out.recipients.append(Recipient(
            masked_name=crypto.mask_name(member.name if member else ""),
            village=household.village,
            township=regions.short_name(need.region_path).removeprefix(out.county),
            help=f"{codes.PLEDGE_KINDS.get(p.kind, p.kind)}·"
                 f"{codes.CATEGORIES.get(pub.category, pub.category)}",
            month=month,
        ))
    out.lines = sorted(lines.values(), key=lambda x: (x.month, x.category),
                       reverse=True)
    return out
