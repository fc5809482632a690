"""The one writer of a matching model's status: candidate → promoted → retired, back to
promoted by a rollback, or refused when it does not fit the engine.

Every move first takes the "model" change counter's row (changes.reserve), so two people
promoting or rolling back at once queue instead of leaving two models promoted, and every
process rebuilds its index with the new model once the move commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

import matching
from zhuanjie import changes, codes
from zhuanjie.codes import ModelStatus
from zhuanjie.errors import Conflict
from zhuanjie.learning import active
from zhuanjie.models import MatchModel, User

S = ModelStatus
CANDIDATE, PROMOTED, RETIRED, REFUSED = S.CANDIDATE, S.PROMOTED, S.RETIRED, S.REFUSED
TRANSITIONS: dict[str, frozenset[str]] = {
    CANDIDATE: frozenset({PROMOTED, REFUSED}),
    PROMOTED: frozenset({RETIRED, REFUSED}),
    RETIRED: frozenset({PROMOTED, REFUSED}),
    REFUSED: frozenset(),
}
MISMATCH = (
    "该模型训练时的匹配特征与当前匹配引擎不一致（引擎已升级或特征已变更），不能使用，已标记为拒绝；"
    "平台继续使用原来的模型。请重新训练。"
)


def _move(model: MatchModel, to: str) -> None:
    if to not in TRANSITIONS[model.status]:
        labels = codes.MODEL_STATUSES
        raise Conflict(f"模型 #{model.id} 当前为「{labels.get(model.status, model.status)}」，"
                       f"不能改为「{labels.get(to, to)}」")
    model.status = to


def move(session: Session, model: MatchModel, *, to: str, now: datetime) -> None:
    """One move of the table by its target (promote replaces nothing here: callers that
    replace the model in use call ``promote`` with it)."""
    ModelStatus(to)  # a typo is an error, not a state
    if to == PROMOTED:
        promote(session, model, now=now, by="")
    elif to == RETIRED:
        retire(session, model, now=now)
    elif to == REFUSED:
        refuse(session, model, now=now)
    else:
        _move(model, to)  # nothing moves back to candidate: Conflict


def lock(session: Session) -> int:
    """Queue behind any other change of the model in use (held until commit)."""
    return changes.reserve(session, "model")


def promote(session: Session, model: MatchModel, *, now: datetime, by: str,
            actor: User | None = None, replaces: MatchModel | None = None,
            rollback: bool = False) -> None:
    """Make ``model`` the one in use; the one it replaces is retired. A rollback keeps the
    restored model's own ``replaced_id``, so a further rollback goes further back."""
    _move(model, PROMOTED)
    if replaces is not None:
        _move(replaces, RETIRED)
        replaces.retired_at = now
        session.add(replaces)
    model.promoted_at, model.promoted_by = now, by
    model.promoted_by_id = actor.id if actor else None
    if not rollback:
        model.replaced_id = replaces.id if replaces else None
    session.add(model)
    session.flush()
    changes.bump(session, "model", model.id)


def retire(session: Session, model: MatchModel, *, now: datetime) -> None:
    """Stop using ``model`` with nothing promoted after it: the packaged default ranks."""
    _move(model, RETIRED)
    model.retired_at = now
    session.add(model)
    session.flush()
    changes.bump(session, "model", model.id)


def refuse(session: Session, model: MatchModel, *, now: datetime) -> None:
    """The model does not fit the engine: never used again."""
    was = model.status
    _move(model, REFUSED)
    model.note = (model.note + " " if model.note else "") + MISMATCH
    if was == PROMOTED:
        model.retired_at = now
    session.add(model)
    session.flush()
    if was == PROMOTED:
        changes.bump(session, "model", model.id)


def fits(model: MatchModel) -> bool:
    try:
        active.loaded(model)
    except (matching.ModelMismatchError, KeyError, TypeError, ValueError):
        return False  # another feature list, or a row not holding a model at all
    return True
