"""JSON routes for attachments (multipart upload; the file itself as its own type)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from zhuanjie.attachments import service
from zhuanjie.attachments.schemas import AttachmentPublic
from zhuanjie.bounds import MAX_ID, PathId
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.downloads import file_response

router = APIRouter(tags=["attachments"])

Owner = Literal["household", "need", "consent", "follow_up"]


@router.get("/attachments", response_model=list[AttachmentPublic])
def list_attachments(
    session: SessionDep, user: CurrentUser, owner_type: Owner,
    owner_id: Annotated[int, Query(ge=1, le=MAX_ID)],
):
    """The attachments of one household, need, consent or follow-up, newest first."""
    return service.attachments_of(session, actor=user, owner_type=owner_type,
                                  owner_id=owner_id).items


@router.post("/attachments", response_model=AttachmentPublic, status_code=201)
def upload(
    request: Request, session: SessionDep, user: CurrentUser,
    owner_type: Annotated[Owner, Form()],
    owner_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    kind: Annotated[str, Form(max_length=30)],
    file: Annotated[UploadFile, File()],
):
    """Attach a JPEG, PNG, WebP or PDF file (checked by content; images re-encoded without
    metadata) to a record in the caller's region."""
    return service.upload(
        session, actor=user, owner_type=owner_type, owner_id=owner_id, kind=kind,
        filename=file.filename or "", data=file.file.read(), ip=client_ip(request),
    )


@router.get("/attachments/{attachment_id}", response_class=Response)
def download(attachment_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """The file (decrypted); every download is an audit row."""
    got = service.download(session, actor=user, attachment_id=attachment_id,
                           ip=client_ip(request))
    return file_response(got.data, got.filename, got.content_type)


@router.delete("/attachments/{attachment_id}", status_code=204)
def delete(attachment_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    """Delete the attachment and its file."""
    service.delete(session, actor=user, attachment_id=attachment_id, ip=client_ip(request))
