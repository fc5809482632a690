"""台帐 pages: import a department's roll (template, preview, confirm, history), run and read
a 台帐比对 with its worklist (assign, close, export), and look after a township's 公示."""

from __future__ import annotations

import base64
import binascii
import zlib
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from zhuanjie import spreadsheets
from zhuanjie.bounds import PathId, form_id
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.errors import NotFound
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.pagination import Page
from zhuanjie.rolls import overview as hub
from zhuanjie.rolls import publicity, reviews
from zhuanjie.rolls import service as imports
from zhuanjie.rolls.layouts import LAYOUTS, template_csv, template_xlsx
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The checked file rides back with the confirmation, compressed, in hidden fields each under
# the form parser's 1 MB limit per field: nothing is kept on the server between the two steps.
PART = 900_000


def _pack(content: bytes) -> list[str]:
    text = base64.b64encode(zlib.compress(content, 6)).decode()
    return [text[i:i + PART] for i in range(0, len(text), PART)]


def _unpack(parts: list[str]) -> bytes:
    try:
        packed = base64.b64decode("".join(parts), validate=True)
        inflate = zlib.decompressobj()
        content = inflate.decompress(packed, spreadsheets.max_unpacked_bytes())
        return b"" if inflate.unconsumed_tail else content
    except (binascii.Error, ValueError, zlib.error):
        return b""


def _download(data: bytes, name: str, media_type: str) -> Response:
    plain = name.encode("ascii", "ignore").decode() or "roll"
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _index(request, session, user, *, values=None, errors=None, notice="", status=200,
           page: Page | None = None):
    context = hub.overview(session, actor=user, page=page)
    return templates.TemplateResponse(
        request, "rolls/index.html",
        {"user": user, "o": context, "values": values or {}, "errors": errors or {},
         "notice": notice}, status_code=status)


@router.get("/rolls")
def index(request: Request, session: SessionDep, user: CurrentUser, imported: str = "",
          same: str = "", page: str = "1"):
    notice = ""
    if same:
        notice = "该文件与上次导入的文件相同，没有任何更改。"
    elif imported:
        notice = "台帐已导入，见下方导入记录。"
    return _index(request, session, user, notice=notice, page=Page.requested(page))


@router.get("/rolls/templates/{kind}.xlsx")
def template_excel(kind: str, user: CurrentUser):
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise NotFound("没有这种台帐")
    return _download(template_xlsx(layout), f"{layout.title}模板.xlsx", XLSX)


@router.get("/rolls/templates/{kind}.csv")
def template_text(kind: str, user: CurrentUser):
    layout = LAYOUTS.get(kind)
    if layout is None:
        raise NotFound("没有这种台帐")
    return _download(template_csv(layout), f"{layout.title}模板.csv", "text/csv; charset=utf-8")


@router.post("/rolls/import/preview")
def import_preview(request: Request, session: SessionDep, user: CurrentUser,
                   form: FormDataDep):
    upload = form.get("file")
    county = str(form.get("county", ""))
    if not getattr(upload, "filename", ""):
        return _index(request, session, user, values={"county": county},
                      errors={"file": "请选择要上传的文件"}, status=422)
    content = upload.file.read()
    result, errors = attempt(lambda: imports.preview(
        session, actor=user, county=county, filename=upload.filename, content=content))
    if errors:
        return _index(request, session, user, values={"county": county}, errors=errors,
                      status=422)
    return templates.TemplateResponse(
        request, "rolls/preview.html",
        {"user": user, "p": result, "filename": upload.filename, "county": county,
         "parts": _pack(content) if result.parsed.ok else []},
        status_code=200 if result.parsed.ok else 422)


@router.post("/rolls/import/confirm")
def import_confirm(request: Request, session: SessionDep, user: CurrentUser,
                   form: FormDataDep):
    content = _unpack([str(part) for part in form.getlist("content")])
    county = str(form.get("county", ""))
    done, errors = attempt(lambda: imports.confirm(
        session, actor=user, county=county, filename=str(form.get("filename", ""))[:200],
        content=content), session=session)
    if errors:
        return _index(request, session, user, values={"county": county}, errors=errors,
                      status=422)
    suffix = f"imported={done.record.id}" + ("" if done.changed else "&same=1")
    return RedirectResponse(f"/rolls?{suffix}", status_code=303)


@router.post("/rolls/reviews")
def run_review(request: Request, session: SessionDep, user: CurrentUser, form: FormDep):
    values = {"county": form.get("county", ""), "as_of": form.get("as_of", "")}
    review, errors = attempt(lambda: reviews.run(
        session, actor=user, county=values["county"], as_of=values["as_of"]), session=session)
    if errors:
        return _index(request, session, user, values=values, errors=errors, status=422)
    return RedirectResponse(f"/rolls/reviews/{review.id}", status_code=303)


def _render_review(request, user, page, township="", status="", error="", code=200):
    return templates.TemplateResponse(
        request, "rolls/review.html",
        {"user": user, "page": page, "township": township, "status": status, "error": error},
        status_code=code)


@router.get("/rolls/reviews/{review_id}")
def review(request: Request, session: SessionDep, user: CurrentUser, review_id: PathId,
           township: str = "", status: str = "", page: str = "1"):
    page = reviews.review_page(session, actor=user, review_id=review_id, township=township,
                               status=status, page=Page.requested(page))
    return _render_review(request, user, page, township, status)


@router.get("/rolls/reviews/{review_id}/export.xlsx")
def review_export(session: SessionDep, user: CurrentUser, review_id: PathId):
    data, name = reviews.export_xlsx(session, actor=user, review_id=review_id)
    return _download(data, name, XLSX)


def _item_action(request, session, user, item_id, action):
    item, errors = attempt(action, session=session)
    if errors:  # the page again, from what is saved, with the message
        page = reviews.page_of_item(session, actor=user, item_id=item_id)
        return _render_review(request, user, page, error=next(iter(errors.values())), code=422)
    where = reviews.item_page_number(session, actor=user, item=item)
    suffix = f"?page={where}" if where > 1 else ""
    return RedirectResponse(f"/rolls/reviews/{item.review_id}{suffix}#item-{item.id}",
                            status_code=303)


@router.post("/rolls/items/{item_id}/assign")
def assign(request: Request, session: SessionDep, user: CurrentUser, item_id: PathId,
           form: FormDep):
    return _item_action(request, session, user, item_id, lambda: reviews.assign(
        session, actor=user, item_id=item_id,
        assignee_id=form_id(form.get("assignee_id")) or 0))


@router.post("/rolls/items/{item_id}/close")
def close(request: Request, session: SessionDep, user: CurrentUser, item_id: PathId,
          form: FormDep):
    return _item_action(request, session, user, item_id, lambda: reviews.close(
        session, actor=user, item_id=item_id, outcome=form.get("outcome", ""),
        note=form.get("note", "")))


@router.get("/rolls/publicity")
def publicity_page(request: Request, session: SessionDep, user: CurrentUser,
                   township: str = "", error: str = ""):
    sheet = publicity.manage_sheet(session, actor=user, township=township)
    return templates.TemplateResponse(
        request, "rolls/publicity.html",
        {"user": user, "sheet": sheet, "error": error, "values": {}, "errors": {}})


@router.post("/rolls/publicity/withhold")
def withhold(request: Request, session: SessionDep, user: CurrentUser, form: FormDep):
    township = form.get("township", "")
    _done, errors = attempt(lambda: publicity.withhold(
        session, actor=user, township=township, roll_kind=form.get("roll_kind", ""),
        household_key=form.get("household_key", ""), reason=form.get("reason", "")),
        session=session)
    if errors:
        sheet = publicity.manage_sheet(session, actor=user, township=township)
        return templates.TemplateResponse(
            request, "rolls/publicity.html",
            {"user": user, "sheet": sheet, "error": next(iter(errors.values())),
             "values": form, "errors": errors}, status_code=422)
    return RedirectResponse(f"/rolls/publicity?township={quote(township)}", status_code=303)


@router.post("/rolls/withholdings/{withholding_id}/lift")
def lift(session: SessionDep, user: CurrentUser, withholding_id: PathId):
    hold = publicity.lift(session, actor=user, withholding_id=withholding_id)
    return RedirectResponse(f"/rolls/publicity?township={quote(hold.region_path)}",
                            status_code=303)
