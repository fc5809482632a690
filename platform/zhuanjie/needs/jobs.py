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
    told, last = 0, 0
    while True:
        # a chunk at a time, by id: holding every open need in the session made each chunk
        # after the first reload its needs one by one (expired by the previous commit), and
        # each autoflush scan the whole identity map
        chunk = list(session.exec(
            select(Need).where(Need.status == "open", Need.id > last).order_by(Need.id)
            .limit(CHUNK)).all())  # fmt: skip
        if not chunk:
            break
        last = chunk[-1].id
        # large chunks fork the engine's own workers (numpy only: no database, no logging)
        rankings = matching.rank(engine_needs(session, chunk), index, as_of=today(), top=5,
                                 scorer=scorer)
        tried = _referred(session, [n.id for n in chunk])
        with session.no_autoflush:  # the scores are written once, at the chunk's commit
            for need, ranking in zip(chunk, rankings, strict=True):
                best = next(
                    (r for r in ranking.ranked
                     if int(r.offer_id) not in tried.get(need.id, set())),
                    None,
                )
                if best is None or best.score < (need.best_seen_score or 0) + BETTER_BY:
                    continue
                if need.created_by_id:  # someone to tell
                    offer = session.get(Offer, int(best.offer_id))
                    org = session.get(Organisation, offer.organisation_id)
                    told += bool(
                        notifications.notify(
                            session,
                            user_ids=[need.created_by_id],
                            kind="better_match",
                            title=f"有更合适的项目：{need.title}",
                            body=f"「{offer.title}」（{org.name}）匹配度 "
                                 f"{round(best.score * 100)}。",
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
