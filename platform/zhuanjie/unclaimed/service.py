"""应享未享: the caseworker's worklist, the supervisor's totals, and marking a finding.

Every list and lookup starts from `visible_unclaimed(user)`: the findings of households in
the user's region (caseworkers their township, supervisors their county or city).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from zhuanjie import audit
from zhuanjie.codes import UnclaimedStatus
from zhuanjie.models import Household, Member, Offer, Organisation, UnclaimedBenefit, User
from zhuanjie.pagination import paginate
from zhuanjie.policy import ensure_role, one_visible, region_filter
from zhuanjie.unclaimed import flow
from zhuanjie.unclaimed.schemas import MarkIn, UnclaimedPublic, UnclaimedTotal

READERS = ("caseworker", "supervisor", "admin")


def visible_unclaimed(user: User):
    """The one query every 应享未享 list and lookup starts from."""
    return select(UnclaimedBenefit).where(region_filter(user, UnclaimedBenefit.region_path))


def worklist(
    session: Session, *, actor: User, status: str = "open", offset: int = 0, limit: int = 30
) -> tuple[list[UnclaimedPublic], int]:
    """Findings in scope with the given status (open: the programmes still to apply for)."""
    ensure_role(actor, *READERS)
    status = status if status in set(UnclaimedStatus) else UnclaimedStatus.OPEN
    query = (
        visible_unclaimed(actor)
        .where(UnclaimedBenefit.status == status)
        .order_by(UnclaimedBenefit.region_path, UnclaimedBenefit.household_id,
                  UnclaimedBenefit.offer_id)
    )
    rows, total = paginate(session, query, offset=offset, limit=limit)
    return _public(session, rows), total


def _public(session: Session, rows: list[UnclaimedBenefit]) -> list[UnclaimedPublic]:
    if not rows:
        return []
    households = {h.id: h for h in session.exec(
        select(Household).where(Household.id.in_({r.household_id for r in rows})))}
    heads = {m.household_id: m.name for m in session.exec(
        select(Member).where(Member.household_id.in_(set(households)), Member.is_head))}
    programmes = {o.id: (o, org) for o, org in session.exec(
        select(Offer, Organisation).join(Organisation, Organisation.id == Offer.organisation_id)
        .where(Offer.id.in_({r.offer_id for r in rows})))}
    out = []
    for r in rows:
        offer, org = programmes[r.offer_id]
        out.append(UnclaimedPublic(
            id=r.id, household_id=r.household_id, village=households[r.household_id].village,
            region_path=r.region_path, head_name=heads.get(r.household_id, ""),
            offer_id=r.offer_id, programme=offer.title, organisation=org.name,
            reason=r.reason, status=r.status, found_at=r.found_at, marked_at=r.marked_at,
            note=r.note,
        ))
    return out


def totals(session: Session, *, actor: User) -> dict[str, list[UnclaimedTotal]]:
    """Findings in scope counted by township and by programme, each by status."""
    ensure_role(actor, *READERS)
    scoped = visible_unclaimed(actor).subquery()
    by_town: dict[str, UnclaimedTotal] = {}
    for region, status, n in session.exec(
        select(scoped.c.region_path, scoped.c.status, func.count())
        .group_by(scoped.c.region_path, scoped.c.status)
    ):
        row = by_town.setdefault(region, UnclaimedTotal(key=region, label=region))
        setattr(row, status, n)
    by_programme: dict[int, UnclaimedTotal] = {}
    for offer_id, title, status, n in session.exec(
        select(scoped.c.offer_id, Offer.title, scoped.c.status, func.count())
        .join(Offer, Offer.id == scoped.c.offer_id)
        .group_by(scoped.c.offer_id, Offer.title, scoped.c.status)
    ):
        row = by_programme.setdefault(offer_id, UnclaimedTotal(key=str(offer_id), label=title))
        setattr(row, status, n)
    return {"townships": sorted(by_town.values(), key=_most_open),
            "programmes": sorted(by_programme.values(), key=_most_open)}


def _most_open(total: UnclaimedTotal) -> tuple:
    return (-total.open, total.label)


@dataclass
class Overview:
    """The page: a worklist for those who apply (caseworkers), totals for those who oversee."""

    status: str
    rows: list[UnclaimedPublic] = field(default_factory=list)
    total: int = 0
    totals: dict[str, list[UnclaimedTotal]] = field(default_factory=dict)
    can_mark: bool = False


def overview(
    session: Session, *, actor: User, status: str = "open", offset: int = 0, limit: int = 30
) -> Overview:
    """The 应享未享 page: the worklist in scope, and for supervisors and admins the totals."""
    ensure_role(actor, *READERS)
    status = status if status in set(UnclaimedStatus) else UnclaimedStatus.OPEN
    rows, total = worklist(session, actor=actor, status=status, offset=offset, limit=limit)
    return Overview(
        status=str(status), rows=rows, total=total,
        totals=totals(session, actor=actor) if actor.role != "caseworker" else {},
        can_mark=actor.role in ("caseworker", "admin"),
    )


def mark(session: Session, *, actor: User, unclaimed_id: int, data: MarkIn) -> UnclaimedPublic:
    """Record what came of a finding; a marked finding stays off the worklist."""
    ensure_role(actor, "caseworker", "admin")
    row = one_visible(session, visible_unclaimed(actor), UnclaimedBenefit, unclaimed_id,
                      missing="该线索不存在", hidden="该记录不在您的辖区范围内")
    flow.move(session, row, to=data.outcome, by=actor, note=data.note)
    audit.record(session, actor, "unclaimed_marked", object_type="household",
                 object_id=row.household_id,
                 detail={"offer_id": row.offer_id, "outcome": data.outcome})
    (public,) = _public(session, [row])
    session.commit()
    return public
