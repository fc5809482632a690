"""HTML pages for attachments: a record's files with the upload form, download, delete."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from zhuanjie.attachments import service
from zhuanjie.bounds import PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.downloads import file_response
from zhuanjie.forms import FormDataDep, attempt
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)

# The record an attachment hangs on, as its page's address names it.
OWNERS = {"household": "households", "need": "needs", "consent": "consents",
          "follow_up": "followups"}
BACK = {"household": "/households/{id}", "need": "/needs/{id}", "follow_up": "/followups/{id}"}


def _page(request, session, user, owner_type, owner_id, values=None, errors=None, status=200):
    listed = service.attachments_of(session, actor=user, owner_type=owner_type, owner_id=owner_id)
    return templates.TemplateResponse(
        request, "attachments/list.html",
        {"user": user, "listed": listed, "action": f"/{OWNERS[owner_type]}/{owner_id}/attachments",
         "back": BACK.get(owner_type, "").format(id=owner_id), "values": values or {},
         "errors": errors or {}},
        status_code=status,
    )


def _routes(owner_type: str, prefix: str) -> None:
    def show(owner_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
        return _page(request, session, user, owner_type, owner_id)

    def upload(owner_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
               form: FormDataDep):
        kind = str(form.get("kind") or "")
        sent = form.get("file")
        data = sent.file.read() if isinstance(sent, UploadFile) else b""
        name = sent.filename or "" if isinstance(sent, UploadFile) else ""
        _row, errors = attempt(lambda: service.upload(
            session, actor=user, owner_type=owner_type, owner_id=owner_id, kind=kind,
            filename=name, data=data, ip=client_ip(request)), session=session)
        if errors:
            return _page(request, session, user, owner_type, owner_id, {"kind": kind}, errors, 400)
        return RedirectResponse(f"/{prefix}/{owner_id}/attachments?added=1", status_code=303)

    router.add_api_route(f"/{prefix}/{{owner_id}}/attachments", show, methods=["GET"])
    router.add_api_route(f"/{prefix}/{{owner_id}}/attachments", upload, methods=["POST"])


for _owner, _prefix in OWNERS.items():
    _routes(_owner, _prefix)


@router.get("/attachments/{attachment_id}/file")
def download(attachment_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    got = service.download(session, actor=user, attachment_id=attachment_id,
                           ip=client_ip(request))
    return file_response(got.data, got.filename, got.content_type)


@router.post("/attachments/{attachment_id}/delete")
def delete(attachment_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    owner_type, owner_id = service.delete(session, actor=user, attachment_id=attachment_id,
                                          ip=client_ip(request))
    return RedirectResponse(f"/{OWNERS[owner_type]}/{owner_id}/attachments?deleted=1",
                            status_code=303)
