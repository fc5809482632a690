"""HTML pages: the department user's referrals and alerts (send, list, outcome) and the
caseworker's intake queue (accept, decline, close)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.errors import NotFound
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.intake import service
from zhuanjie.intake.alert_format import COLUMNS, LABEL_OF, XLSX
from zhuanjie.intake.schemas import AcceptIn, CloseIn, DeclineIn, IntakeCreate
from zhuanjie.pagination import Page
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
HOUSEHOLD_FIELDS = ("village", "address", "phone", "income_per_capita")
OUTCOME_NAME = "filename*=UTF-8''%E9%A2%84%E8%AD%A6%E5%A4%84%E7%90%86%E7%BB%93%E6%9E%9C"
TEMPLATE_NAME = "filename*=UTF-8''%E7%9B%91%E6%B5%8B%E9%A2%84%E8%AD%A6%E6%A8%A1%E6%9D%BF"


@router.get("/intakes")
def intake_list(
    request: Request, session: SessionDep, user: CurrentUser, box: str = "received",
    page: str = "1",
):
    shown = Page.requested(page)
    listed = service.list_intakes(session, actor=user, box=box, offset=shown.offset,
                                  limit=shown.size)
    return templates.TemplateResponse(request, "intake/list.html", {
        "user": user, "listed": listed, "sender": service.is_sender(user),
        "page": shown.of(listed.total),
    })


def _new_page(request, session, user, values=None, errors=None, status=200):
    return templates.TemplateResponse(request, "intake/new.html", {
        "user": user, "towns": service.townships_for(session, actor=user),
        "values": values or {"urgency": "1", "category": "basic_living"},
        "errors": errors or {},
    }, status_code=status)


@router.get("/intakes/new")
def intake_new(request: Request, session: SessionDep, user: CurrentUser):
    return _new_page(request, session, user)


@router.post("/intakes/new")
def intake_send(request: Request, session: SessionDep, user: CurrentUser, values: FormDep):
    data = {k: v for k, v in values.items() if v != "" or k in ("name", "reason", "id_number")}
    sent, errors = attempt(
        lambda: service.send_intake(session, actor=user, data=IntakeCreate.model_validate(data)),
        session=session,
    )
    if errors:
        return _new_page(request, session, user, values, errors, 400)
    return RedirectResponse(f"/intakes/{sent.id}", status_code=303)


def _detail(request, session, user, intake_id, values=None, errors=None, status=200):
    view = service.intake_page(session, actor=user, intake_id=intake_id)
    return templates.TemplateResponse(request, "intake/detail.html", {
        "user": user, "view": view, "i": view.intake,
        "values": values if values is not None else view.prefill, "errors": errors or {},
    }, status_code=status)


@router.get("/intakes/{intake_id}")
def intake_detail(intake_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _detail(request, session, user, intake_id)


def _accept_in(form) -> AcceptIn:
    values = {k: str(v) for k, v in form.items()}
    data: dict = {k: values.get(k, "") for k in ("category", "title", "description")}
    data["urgency"] = values.get("urgency") or 1
    if values.get("register"):
        data["household"] = {k: values[k] for k in HOUSEHOLD_FIELDS if values.get(k)}
        data["household"]["groups"] = form.getlist("groups")
    return AcceptIn.model_validate(data)


ACTIONS = {
    "accept": lambda s, u, iid, form: service.accept(s, actor=u, intake_id=iid,
                                                      data=_accept_in(form)),
    "decline": lambda s, u, iid, form: service.decline(
        s, actor=u, intake_id=iid, data=DeclineIn(reason=str(form.get("reason", "")))),
    "close": lambda s, u, iid, form: service.close(
        s, actor=u, intake_id=iid,
        data=CloseIn(outcome=str(form.get("outcome", "")), note=str(form.get("note", "")))),
}


@router.post("/intakes/{intake_id}/{action}")
def intake_action(intake_id: PathId, action: str, request: Request, session: SessionDep,
                  user: CurrentUser, form: FormDataDep):
    if action not in ACTIONS:
        raise NotFound("没有这个操作")
    _done, errors = attempt(lambda: ACTIONS[action](session, user, intake_id, form),
                            session=session)
    if errors:
        values = {k: str(v) for k, v in form.items()} | {"action": action}
        values["groups"] = form.getlist("groups")
        shown = {k.removeprefix("household."): v for k, v in errors.items()}
        return _detail(request, session, user, intake_id, values, shown, 400)
    return RedirectResponse(f"/intakes/{intake_id}", status_code=303)


# --- monitoring alerts --------------------------------------------------------------------------


def _alerts_page(request, session, user, page="1", result=None, error="", status=200):
    shown = Page.requested(page)
    rows, total = service.alerts_of(session, actor=user, offset=shown.offset, limit=shown.size)
    return templates.TemplateResponse(request, "intake/alerts.html", {
        "user": user, "rows": rows, "page": shown.of(total), "result": result,
        "error": error, "columns": COLUMNS, "labels": LABEL_OF,
    }, status_code=status)


@router.get("/alerts")
def alerts(request: Request, session: SessionDep, user: CurrentUser, page: str = "1"):
    return _alerts_page(request, session, user, page)


@router.post("/alerts")
def alerts_upload(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    upload = form.get("file")
    if not getattr(upload, "filename", ""):
        return _alerts_page(request, session, user, error="请选择要上传的文件", status=400)
    result = service.import_alerts(session, actor=user, filename=upload.filename,
                                   content=upload.file.read())
    ok = result.sheet.ok
    return _alerts_page(request, session, user, result=result, status=200 if ok else 400)


def _download(content: bytes, fmt: str, name: str) -> Response:
    media = XLSX if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f"attachment; {name}.{fmt}"})


@router.get("/alerts/outcome.{fmt}")
def alerts_outcome(fmt: str, session: SessionDep, user: CurrentUser):
    if fmt not in ("csv", "xlsx"):
        raise NotFound("没有这种格式")
    return _download(service.export_alerts(session, actor=user, fmt=fmt), fmt, OUTCOME_NAME)


@router.get("/alerts/template.{fmt}")
def alerts_template(fmt: str, session: SessionDep, user: CurrentUser):
    if fmt not in ("csv", "xlsx"):
        raise NotFound("没有这种格式")
    return _download(service.alert_template(session, actor=user, fmt=fmt), fmt, TEMPLATE_NAME)
