"""Bulk entry pages: the upload form, the downloadable templates, the checked preview and
saving the checked sheet."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import FormDataDep
from zhuanjie.offers import bulk
from zhuanjie.offers.bulk_format import COLUMNS, LABEL_OF, template_csv, template_xlsx
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF"


def _page(request, user, sheet=None, filename="", encoded="", error="", status=200):
    return templates.TemplateResponse(
        request,
        "offers/bulk.html",
        {"user": user, "sheet": sheet, "filename": filename, "encoded": encoded,
         "error": error, "columns": COLUMNS, "labels": LABEL_OF},
        status_code=status,
    )


@router.get("/offers/bulk")
def bulk_page(request: Request, user: CurrentUser):
    ensure_role(user, "org_staff")
    return _page(request, user)


@router.get("/offers/bulk/template.xlsx")
def bulk_template_xlsx(user: CurrentUser):
    ensure_role(user, "org_staff")
    return Response(template_xlsx(), media_type=XLSX,
                    headers={"Content-Disposition": f"attachment; {TEMPLATE_NAME}.xlsx"})


@router.get("/offers/bulk/template.csv")
def bulk_template_csv(user: CurrentUser):
    ensure_role(user, "org_staff")
    return Response(template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; {TEMPLATE_NAME}.csv"})


@router.post("/offers/bulk/preview")
def bulk_preview(request: Request, user: CurrentUser, form: FormDataDep):
    ensure_role(user, "org_staff")
    upload = form.get("file")
    if not getattr(upload, "filename", ""):
        return _page(request, user, error="请选择要上传的文件", status=400)
    content = upload.file.read()
    sheet = bulk.preview_sheet(actor=user, filename=upload.filename, content=content)
    return _page(request, user, sheet, upload.filename,
                 base64.b64encode(content).decode() if sheet.ok else "",
                 sheet.problem, 200 if sheet.ok else 400)


@router.post("/offers/bulk/commit")
def bulk_commit(session: SessionDep, user: CurrentUser, form: FormDataDep):
    try:
        content = base64.b64decode(str(form.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    filename = str(form.get("filename", ""))
    bulk.create_from_sheet(session, actor=user, filename=filename, content=content)
    return RedirectResponse("/offers?status=draft", status_code=303)
