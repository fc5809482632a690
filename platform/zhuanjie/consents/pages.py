"""HTML pages for consents: the need's consents and the withdrawal form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId
from zhuanjie.consents import service
from zhuanjie.consents.schemas import WithdrawalIn
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.forms import FormDep, attempt
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


def _page(request, session, user, need_id, values=None, errors=None, status=200, done=None):
    return templates.TemplateResponse(
        request, "needs/consents.html",
        {"user": user, "need_id": need_id,
         "consents": service.consents_of_need(session, actor=user, need_id=need_id),
         "values": values or {}, "errors": errors or {}, "done": done},
        status_code=status,
    )


@router.get("/needs/{need_id}/consents")
def consents_page(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _page(request, session, user, need_id)


@router.post("/needs/{need_id}/consents/withdraw")
def withdraw(
    need_id: PathId, request: Request, values: FormDep, session: SessionDep, user: CurrentUser
):
    data = {k: v for k, v in values.items() if v != ""}
    result, errors = attempt(lambda: service.withdraw(
        session, actor=user, need_id=need_id, data=WithdrawalIn.model_validate(data),
        ip=client_ip(request)), session=session)
    if errors:
        return _page(request, session, user, need_id, values, errors, 400)
    return RedirectResponse(f"/needs/{need_id}/consents?withdrawn={len(result.withdrawn)}",
                            status_code=303)
