"""The data overview's narrow copies of needs and referrals, kept in step with every write.

`insight_needs` holds per need what the overview counts by (region, category, status,
outcome, registration and closing) and its first referral sent and first help delivered;
`insight_referrals` holds per referral its need's region. A period's figures are then one
range scan of an index on an instant, with no join of referrals to needs and no pass over a
need's referrals (bench/bench_insight.py: a join of 25,000 referrals to 200,000 needs cost more
than the whole overview may).

In step: a session hook (after each flush) re-copies the needs that flush touched (needs,
referrals and referral events written through the ORM, including referrals/flow.py's UPDATE,
which always writes a ReferralEvent) in the same transaction. Bulk statements that bypass the
ORM (bench fills, bulk SQL) need `rebuild` (command `zhuanjie insight-rebuild`) afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session as OrmSession

from zhuanjie.models import InsightNeed, InsightReferral, Need, Referral, ReferralEvent

CHUNK = 500  # need ids per statement on a refresh


def _firsts(need_ids: list[int] | None):
    query = select(
        Referral.need_id,
        func.min(Referral.sent_at).label("first_sent"),
        func.min(Referral.delivered_at).label("first_delivered"),
    ).group_by(Referral.need_id)
    if need_ids is not None:
        query = query.where(Referral.need_id.in_(need_ids))
    return query.subquery()


def _copy(conn, need_ids: list[int] | None) -> None:
    firsts = _firsts(need_ids)
    needs = (
        select(Need.id, Need.region_path, Need.category, Need.status, Need.outcome,
               Need.created_at, Need.closed_at, firsts.c.first_sent, firsts.c.first_delivered)
        .join(firsts, firsts.c.need_id == Need.id, isouter=True)
    )  # fmt: skip
    refs = (
        select(Referral.id, Referral.need_id, Need.region_path, Referral.organisation_id,
               Referral.status, Referral.sent_at, Referral.respond_by_at, Referral.responded_at,
               Referral.decline_reason, Referral.delivered_at, Referral.deliver_by_date)
        .join(Need, Need.id == Referral.need_id)
    )  # fmt: skip
    if need_ids is not None:
        needs = needs.where(Need.id.in_(need_ids))
        refs = refs.where(Referral.need_id.in_(need_ids))
    n, r = InsightNeed.__table__, InsightReferral.__table__
    conn.execute(insert(n).from_select(
        ["need_id", "region_path", "category", "status", "outcome", "created_at", "closed_at",
         "first_sent_at", "first_delivered_at"], needs))  # fmt: skip
    conn.execute(insert(r).from_select(
        ["referral_id", "need_id", "region_path", "organisation_id", "status", "sent_at",
         "respond_by_at", "responded_at", "decline_reason", "delivered_at", "deliver_by_date"],
        refs))  # fmt: skip


def refresh(conn, need_ids: Iterable[int]) -> None:
    """Re-copy these needs and all their referrals (rows gone from the source go here too)."""
    ids = sorted({i for i in need_ids if i is not None})
    n, r = InsightNeed.__table__, InsightReferral.__table__
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        conn.execute(delete(r).where(r.c.need_id.in_(part)))
        conn.execute(delete(n).where(n.c.need_id.in_(part)))
        _copy(conn, part)


def rebuild(conn) -> tuple[int, int]:
    """Copy everything afresh; returns (needs, referrals) copied."""
    conn.execute(delete(InsightReferral.__table__))
    conn.execute(delete(InsightNeed.__table__))
    _copy(conn, None)
    return (
        conn.execute(select(func.count()).select_from(InsightNeed.__table__)).scalar_one(),
        conn.execute(select(func.count()).select_from(InsightReferral.__table__)).scalar_one(),
    )


# --- in step with ORM writes ----------------------------------------------------------------------

_NEED_COLUMNS = ("region_path", "category", "status", "outcome", "created_at", "closed_at")
_REFERRAL_COLUMNS = ("need_id", "organisation_id", "status", "sent_at", "respond_by_at",
                     "responded_at", "decline_reason", "delivered_at", "deliver_by_date")


def _moved(obj, columns) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[c].history.has_changes() for c in columns)


@event.listens_for(OrmSession, "after_flush")
def _follow(session, _context) -> None:
    """Re-copy the needs this flush wrote to (its new/dirty/deleted lists still hold them)."""
    need_ids: set = set()
    referral_ids: set = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Need):
            need_ids.add(obj.id)
        elif isinstance(obj, Referral):
            need_ids.add(obj.need_id)
        elif isinstance(obj, ReferralEvent):
            referral_ids.add(obj.referral_id)
    for obj in session.dirty:  # only when a copied column moved (not best_seen_score, say)
        if isinstance(obj, Need) and _moved(obj, _NEED_COLUMNS):
            need_ids.add(obj.id)
        elif isinstance(obj, Referral) and _moved(obj, _REFERRAL_COLUMNS):
            need_ids.add(obj.need_id)
            need_ids.update(inspect(obj).attrs.need_id.history.deleted or ())
    if not need_ids and not referral_ids:
        return
    conn = session.connection()
    if referral_ids:
        need_ids |= set(conn.execute(
            select(Referral.need_id).where(Referral.id.in_(referral_ids))).scalars())  # fmt: skip
    refresh(conn, need_ids)
