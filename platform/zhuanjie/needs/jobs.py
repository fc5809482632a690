"""Needs that wait too long, and the nightly re-matching of every open need."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

import matching
from zhuanjie.clock import today
from zhuanjie.config import get_settings
from zhuanjie.matches.engine import engine_needs, index_cache
from zhuanjie.models import Need, Offer, Organisation, Referral
from zhuanjie.notifications import service as notifications

# Only a clearly better offer is worth interrupting a caseworker for.
BETTER_BY = 0.10
# Needs ranked per call: at 20,000 the engine's bulk path forks its worker processes
# (matching.rank's own threshold); records are built with two queries per chunk.
CHUNK = 20_000


def surface_stale_needs(session: Session, now: datetime) -> int:
    """Tell supervisors of needs left without any action for the configured number of days."""
    limit = now - timedelta(days=get_settings().stale_need_days)
    stale = session.exec(
        select(Need).where(Need.status != "closed", Need.last_action_at < limit)
    ).all()
    told = 0
    for need in stale:
        idle = (now - need.last_action_at).days
        told += bool(
            notifications.notify(
                session,
                user_ids=notifications.supervisors_of(session, need.region_path),
                kind="need_stale",
                title=f"需求{idle}天无进展：{need.title}",
                body="请督促经办人员跟进。",
                link=f"/needs/{need.id}",
                dedupe_key=f"need_stale:{need.id}:{need.last_action_at:%Y%m%d}",
            )
        )
    session.commit()
    return told


def nightly_rematch(session: Session, now: datetime) -> int:
    """Rank every open need again (the engine's bulk path); tell the caseworker once of an
    offer clearly better than anything they have seen."""
    index = index_cache.get(session)
    if index is None:
        return 0
    scorer = index_cache.scorer(session)  # the promoted model, with the providers' history
    open_needs = list(session.exec(select(Need).where(Need.status == "open")).all())
    told = 0
    for start in range(0, len(open_needs), CHUNK):
        chunk = open_needs[start : start + CHUNK]
        # large chunks fork the engine's own workers (numpy only: no database, no logging)
        rankings = matching.rank(engine_needs(session, chunk), index, as_of=today(), top=5,
                                 scorer=scorer)
        tried = _referred(session, [n.id for n in chunk])
        for need, ranking in zip(chunk, rankings, strict=True):
            best = next(
                (r for r in ranking.ranked if int(r.offer_id) not in tried.get(need.id, set())),
                None,
            )
            if best is None or best.score < (need.best_seen_score or 0) + BETTER_BY:
                continue
            offer = session.get(Offer, int(best.offer_id))
            org = session.get(Organisation, offer.organisation_id)
            told += bool(
                notifications.notify(
                    session,
                    user_ids=[u for u in (need.created_by_id,) if u],
                    kind="better_match",
                    title=f"有更合适的项目：{need.title}",
                    body=f"「{offer.title}」（{org.name}）匹配度 {round(best.score * 100)}。",
                    link=f"/needs/{need.id}/matches",
                    dedupe_key=f"better_match:{need.id}:{offer.id}",
                )
            )
            need.best_seen_score = best.score
            session.add(need)
        session.commit()
    return told


def _referred(session: Session, need_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for need_id, offer_id in session.exec(
        select(Referral.need_id, Referral.offer_id).where(Referral.need_id.in_(need_ids))
    ):
        out.setdefault(need_id, set()).add(offer_id)
    return out
