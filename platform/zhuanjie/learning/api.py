"""The matching models as JSON under /api/v1/admin/models (admins and supervisors read;
admins promote and roll back)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.learning import service
from zhuanjie.learning.schemas import ModelList, ModelOut
from zhuanjie.pagination import ListPage

router = APIRouter(prefix="/admin/models", tags=["models"])


@router.get("", response_model=ModelList)
def list_models(session: SessionDep, user: CurrentUser, page: ListPage):
    """Every trained model, newest first, and which one ranks now."""
    rows, total, in_use = service.models(session, actor=user, offset=page.offset,
                                         limit=page.size)
    return ModelList(items=[ModelOut.model_validate(r) for r in rows], total=total,
                     in_use=in_use.id if in_use else None)


@router.get("/{model_id}", response_model=ModelOut)
def get_model(model_id: PathId, session: SessionDep, user: CurrentUser):
    return service.get_model(session, actor=user, model_id=model_id)


@router.post("/{model_id}/promote", response_model=ModelOut)
def promote(model_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """Put this model in use (409 with the reason when it does not fit the engine)."""
    return service.promote(session, actor=user, model_id=model_id, ip=client_ip(request))


@router.post("/rollback", response_model=ModelOut | None)
def rollback(request: Request, session: SessionDep, user: CurrentUser):
    """Go back to the model the one in use replaced (null: the packaged default)."""
    return service.rollback(session, actor=user, ip=client_ip(request))
