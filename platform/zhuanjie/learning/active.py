"""What the engine ranks with: the promoted model (or the packaged default) and the providers'
history, both read from the database when the offer index is built (matches/engine.py) and
refreshed when the change counter "model" moves."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, select

import matching
from matching.features import FEATURES, affinity_from_mapping
from matching.schema import CATEGORIES
from zhuanjie.models import MatchModel, Organisation, Referral

log = logging.getLogger("zhuanjie.learning")

PROMOTED = "promoted"
# Declines that say nothing about whether the offer fits the household: the organisation had
# no place left, could not reach the family, or the family was helped elsewhere.
NO_EVIDENCE_DECLINES = frozenset({"full", "unreachable", "referred_elsewhere"})
POSITIVE = 0.75  # a target at or above this counts as a success (accepted, delivered)


def outcome(status: str, decline_reason: str | None, delivered: bool) -> float | None:
    """The training target of one referral: 1 delivered, 0.75 accepted and still running,
    0 declined as not a fit / failed / withdrawn; None when it is no evidence about fit
    (still waiting for an answer, or declined for want of places and the like)."""
    if delivered:
        return 1.0
    if status in ("accepted", "in_service"):
        return POSITIVE
    if status in ("failed", "withdrawn"):
        return 0.0
    if status == "declined" or (status == "closed" and decline_reason):
        return None if decline_reason in NO_EVIDENCE_DECLINES else 0.0
    if status == "closed":  # closed without delivery or a decline: it had failed
        return 0.0
    return None


def stats_of(rows: Iterable[tuple[str, str, str | None, bool, int]]) -> dict:
    """``provider_name -> (accepted, completed, declined)`` from ``(name, status, decline
    reason, delivered, count)`` rows: accepted counts the answered-and-finished ones
    (delivered or failed), declined only the declines that are evidence about fit."""
    out: dict[str, list[int]] = {}
    for name, status, reason, delivered, n in rows:
        y = outcome(status, reason, delivered)
        if y is None or y == POSITIVE:
            continue  # no evidence, or still in service: not finished either way
        acc = out.setdefault(name, [0, 0, 0])
        if delivered:
            acc[0] += n
            acc[1] += n
        elif status in ("declined",) or (status == "closed" and reason):
            acc[2] += n
        elif status != "withdrawn":  # failed after accepting
            acc[0] += n
    return {k: tuple(v) for k, v in out.items()}


def provider_stats(session: Session) -> dict:
    """Every organisation's referral history, in one grouped query."""
    delivered = Referral.delivered_at.is_not(None)
    rows = session.exec(
        select(Organisation.name, Referral.status, Referral.decline_reason, delivered,
               func.count())
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .group_by(Organisation.name, Referral.status, Referral.decline_reason, delivered)
    ).all()
    return stats_of((name, s, r, bool(d), int(n)) for name, s, r, d, n in rows)


def fingerprint() -> str:
    """The engine's feature list (and major version): a model fits only an equal one."""
    key = json.dumps([matching.__version__.split(".")[0], list(FEATURES)])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def affinity_mapping(a: np.ndarray) -> dict[str, dict[str, float]]:
    return {nc: {oc: round(float(a[i, j]), 6) for j, oc in enumerate(CATEGORIES)}
            for i, nc in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class Loaded:
    """A model ready for the engine (row None: the packaged default)."""

    row_id: int | None
    scorer: matching.MatchScorer
    affinity: np.ndarray | None


DEFAULT = Loaded(None, matching.MatchScorer.default(), None)


def loaded(row: MatchModel) -> Loaded:
    """The row's scorer and affinity; ModelMismatchError when it does not fit this engine."""
    if row.fingerprint and row.fingerprint != fingerprint():
        raise matching.ModelMismatchError(f"model {row.id} fingerprint {row.fingerprint}")
    scorer = matching.MatchScorer.from_dict(row.scorer)
    return Loaded(row.id, scorer, affinity_from_mapping(row.affinity) if row.affinity else None)


def promoted_row(session: Session) -> MatchModel | None:
    return session.exec(
        select(MatchModel).where(MatchModel.status == PROMOTED)
        .order_by(MatchModel.promoted_at.desc(), MatchModel.id.desc()).limit(1)
    ).first()


def in_use(session: Session) -> Loaded:
    """The promoted model, or the default when none is, or when it no longer fits the engine
    (the weekly training marks such a model refused)."""
    row = promoted_row(session)
    if row is None:
        return DEFAULT
    try:
        return loaded(row)
    except matching.ModelMismatchError:
        log.warning("promoted model %s does not fit the engine; ranking with the default", row.id)
        return DEFAULT
