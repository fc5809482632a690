"""Use cases of the learned matching models: train (the weekly job, the command), list and
compare them (admins and supervisors), promote one and roll back (admins, audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

import matching
from zhuanjie import audit, changes
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.learning import active, flow, training
from zhuanjie.models import MatchModel, User
from zhuanjie.pagination import paginate
from zhuanjie.policy import ensure_role, one_visible


def visible_models(user: User):
    """Every model for admins and supervisors (nothing personal is in them); none for others."""
    ensure_role(user, "admin", "supervisor")
    return select(MatchModel)


@dataclass
class Trained:
    model: MatchModel | None  # None: nothing could be fitted (the note says why)
    promoted: bool
    note: str


def train(session: Session, *, now: datetime | None = None, trained_by: str = "job",
          actor: User | None = None) -> Trained:
    """Fit a candidate on the outcomes, judge it against the model in use on the held-out
    weeks and promote it only when it is better by the margin. The providers' history in
    every process is refreshed either way (the "model" counter moves)."""
    settings = get_settings()
    now = now or utc_now()
    flow.lock(session)
    current = active.promoted_row(session)
    if current is not None and not flow.fits(current):
        flow.refuse(session, current, now=now)  # the engine changed under it: default ranks
        audit.record(session, actor, "model_refused", object_type="match_model",
                     object_id=current.id, detail={"by": trained_by})
        current = None
    base = active.loaded(current) if current is not None else active.DEFAULT
    out = training.fit_and_judge(
        session, now=now, base=base, window_weeks=settings.model_window_weeks,
        holdout_weeks=settings.model_holdout_weeks, min_holdout=settings.model_min_holdout)
    changes.bump(session, "model")
    if out.scorer is None or out.scorer.fitted_from_ != "data":
        session.commit()
        return Trained(None, False, out.note)
    row = MatchModel(
        status=flow.CANDIDATE, trained_by=trained_by, created_at=now,
        window_start=out.window_start, window_end=out.window_end, holdout_from=out.holdout_from,
        pairs=out.pairs, positives=out.positives, holdout_pairs=out.holdout_pairs,
        score=out.score, baseline_score=out.baseline_score,
        baseline_id=current.id if current else None, margin=settings.model_margin,
        fingerprint=active.fingerprint(), engine_version=matching.__version__,
        scorer=out.scorer.to_dict(), affinity=active.affinity_mapping(out.affinity),
    )
    better = (not out.note and out.baseline_score is not None
              and out.score >= out.baseline_score + settings.model_margin)
    used = f"模型 #{current.id}" if current else "内置默认模型"
    if out.note:
        row.note = out.note + "保留为候选，未启用。"
    elif better:
        row.note = (f"留出周 AUC {out.score:.3f}，优于{used}的 {out.baseline_score:.3f}"
                    f"（超过阈值 {settings.model_margin:.3f}），已自动启用。")
    else:
        row.note = (f"留出周 AUC {out.score:.3f}，未比{used}的 {out.baseline_score:.3f}"
                    f"高出阈值 {settings.model_margin:.3f}，保留为候选，未启用。")
    session.add(row)
    session.flush()
    if better:
        flow.promote(session, row, now=now, by=trained_by, actor=actor, replaces=current)
    audit.record(session, actor, "model_trained", object_type="match_model", object_id=row.id,
                 detail={"by": trained_by, "score": out.score, "baseline": out.baseline_score,
                         "promoted": better})
    session.commit()
    return Trained(row, better, row.note)


def models(session: Session, *, actor: User, offset: int, limit: int
           ) -> tuple[list[MatchModel], int, MatchModel | None]:
    """One page of models, newest first, the total, and the one in use (None: the default)."""
    query = visible_models(actor).order_by(MatchModel.id.desc())
    rows, total = paginate(session, query, offset=offset, limit=limit)
    return rows, total, active.promoted_row(session)


def get_model(session: Session, *, actor: User, model_id: int) -> MatchModel:
    return one_visible(session, visible_models(actor), MatchModel, model_id,
                       missing="没有这个匹配模型")


@dataclass
class Comparison:
    left: MatchModel | None  # None: the packaged default model
    right: MatchModel | None
    weights: list[tuple[str, float, float]]  # feature, left weight, right weight


def _weights(row: MatchModel | None) -> dict[str, float]:
    if row is None:
        return active.DEFAULT.scorer.weights
    coef = row.scorer.get("coef", {}) if isinstance(row.scorer, dict) else {}
    return {k: float(v) for k, v in coef.items() if isinstance(v, int | float)}


def compare(session: Session, *, actor: User, left_id: int | None, right_id: int | None
            ) -> Comparison:
    """Two models side by side (an id of None is the packaged default)."""
    visible_models(actor)
    left = get_model(session, actor=actor, model_id=left_id) if left_id else None
    right = get_model(session, actor=actor, model_id=right_id) if right_id else None
    a, b = _weights(left), _weights(right)
    names = list(dict.fromkeys([*a, *b]))
    return Comparison(left, right, [(n, a.get(n, 0.0), b.get(n, 0.0)) for n in names])


def promote(session: Session, *, actor: User, model_id: int, ip: str = "") -> MatchModel:
    """Put a candidate or an earlier model in use. One trained for another feature list is
    refused (marked so, audited) and the model in use stays."""
    ensure_role(actor, "admin")
    flow.lock(session)
    model = get_model(session, actor=actor, model_id=model_id)
    if model.status == flow.PROMOTED:
        raise Conflict("该模型已在使用中")
    if model.status == flow.REFUSED:
        raise Conflict(flow.MISMATCH)
    now = utc_now()
    if not flow.fits(model):
        flow.refuse(session, model, now=now)
        audit.record(session, actor, "model_refused", object_type="match_model",
                     object_id=model.id, ip=ip)
        session.commit()
        raise Conflict(flow.MISMATCH)
    current = active.promoted_row(session)
    flow.promote(session, model, now=now, by=actor.username, actor=actor, replaces=current)
    audit.record(session, actor, "model_promoted", object_type="match_model", object_id=model.id,
                 detail={"replaces": current.id if current else None}, ip=ip)
    session.commit()
    return model


def rollback(session: Session, *, actor: User, ip: str = "") -> MatchModel | None:
    """Stop using the model in use and go back to the one it replaced (or to the packaged
    default when it replaced none, or that one no longer fits the engine)."""
    ensure_role(actor, "admin")
    flow.lock(session)
    current = active.promoted_row(session)
    if current is None:
        raise Conflict("当前使用的是内置默认模型，没有可回退的模型")
    now = utc_now()
    previous = session.get(MatchModel, current.replaced_id) if current.replaced_id else None
    if previous is not None and previous.status == flow.RETIRED and flow.fits(previous):
        flow.promote(session, previous, now=now, by=actor.username, actor=actor,
                     replaces=current, rollback=True)
    else:
        if previous is not None and previous.status == flow.RETIRED:
            flow.refuse(session, previous, now=now)
        previous = None
        flow.retire(session, current, now=now)
    audit.record(session, actor, "model_rolled_back", object_type="match_model",
                 object_id=current.id, detail={"restored": previous.id if previous else None},
                 ip=ip)
    session.commit()
    return previous
