"""Bulk entry: organisation staff upload an Excel or CSV sheet of offers, see every row checked,
and save all rows as drafts or none.

The sheet has Chinese headers (a template is downloadable); lists are separated by 、 , ，
or ；, and codes may be written as their Chinese labels (医疗救助, 低保对象, 现金 …). Regions
are full paths (南通市/如皋市/白蒲镇) or a unique name (白蒲镇, 如皋市, 南通市).
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from zhuanjie import audit, codes, regions, spreadsheets
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.errors import Invalid
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.models import Offer, OfferRevision, Organisation, User
from zhuanjie.offers.schemas import OfferCreate
from zhuanjie.policy import ensure_role
from zhuanjie.templating import templates

MAX_ROWS = 1000
MAX_BYTES = 5 * 1024 * 1024
# key, header, required, note for the template's 说明 sheet
COLUMNS: tuple[tuple[str, str, bool, str], ...] = (
    ("title", "项目名称", True, "必填，最多120字"),
    ("description", "项目简介", False, ""),
    ("categories", "服务类别", True,
     "一个或多个，用、分隔：" + "、".join(codes.CATEGORIES.values())),
    ("coverage", "覆盖区域", True, "县（市、区）或镇（街道），用、分隔；全市写 南通市"),
    ("groups", "服务对象", False, "可不填（不限）；" + "、".join(codes.GROUPS.values())),
    ("age_min", "最小年龄", False, "周岁"),
    ("age_max", "最大年龄", False, "周岁"),
    ("income_ceiling", "人均月收入上限（元）", False, ""),
    ("capacity", "名额（人）", False, "不填表示不限"),
    ("amount_per_person", "每人金额（元）", False, ""),
    ("budget_total", "总预算（元）", False, ""),
    ("mode", "帮扶方式", True, "、".join(codes.OFFER_MODES.values())),
    ("valid_from", "开始日期", False, "如 2027-01-01"),
    ("valid_until", "结束日期", False, "如 2027-12-31"),
    ("how_to_apply", "申请方式", False, ""),
    ("contact", "联系人及电话", False, ""),
)
HEADER_TO_KEY = {header: key for key, header, _r, _n in COLUMNS}
LABEL_OF = {key: header for key, header, _r, _n in COLUMNS}
LISTS = {"categories": codes.CATEGORIES, "groups": codes.GROUPS}
SEPARATORS = re.compile(r"[、,，;；\n]+")
EXAMPLE = {
    "title": "困境儿童助学金", "description": "为困境家庭在校学生提供每学期助学金。",
    "categories": "教育救助", "coverage": "如皋市、海安市城东镇", "groups": "低保对象、留守儿童",
    "age_min": 6, "age_max": 18, "capacity": 30, "amount_per_person": 2000, "mode": "现金",
    "valid_from": "2027-01-01", "valid_until": "2027-12-31",
    "how_to_apply": "由镇（街道）经办人员在平台上转介", "contact": "项目主管 13912345678",
}


@dataclass
class Row:
    number: int  # the row number as the spreadsheet shows it
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    data: OfferCreate | None = None


@dataclass
class Sheet:
    rows: list[Row]
    problem: str = ""  # a problem with the whole file

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and all(not r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def summary(self) -> str:
        """Why nothing was saved, naming the first rows that are wrong."""
        if self.problem:
            return self.problem
        wrong = [r for r in self.rows if r.errors]
        parts = [f"第{r.number}行 " + "；".join(f"{LABEL_OF.get(k, k)}：{v}"
                                                for k, v in r.errors.items())
                 for r in wrong[:5]]
        more = "……" if len(wrong) > 5 else ""
        return (f"有 {len(wrong)} 行有误，没有导入任何项目，请改正后重新上传。"
                + "。".join(parts) + more)


# --- the template ---------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append([header + ("*" if required else "") for _k, header, required, _n in COLUMNS])
    sheet.append(spreadsheets.safe_row(EXAMPLE.get(key, "") for key, *_ in COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_k, header, _r, _n) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(12, len(header) * 2 + 4)
    notes = book.create_sheet("说明")
    notes.append(["列", "是否必填", "填写说明"])
    for _k, header, required, note in COLUMNS:
        notes.append([header, "必填" if required else "", note])
    notes.append([])
    notes.append(["第二行是示例，导入前请删除或改成您的项目。全部行检查无误后才会一起保存为草稿。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerow([header + ("*" if required else "") for _k, header, required, _n in COLUMNS])
    writer.writerow([EXAMPLE.get(key, "") for key, *_ in COLUMNS])
    return out.getvalue().encode("utf-8-sig")  # with a BOM so Excel reads the Chinese


# --- reading and checking ----------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(filename: str, content: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = spreadsheets.read_xlsx_rows(content, max_rows=MAX_ROWS, sheet_name="项目",
                                           max_unpacked=spreadsheets.max_unpacked_bytes())
        return [[_cell(v) for v in row] for row in rows]
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("无法识别 CSV 文件的编码，请另存为 UTF-8")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise ValueError("请上传 .xlsx 或 .csv 文件")


def _codes(text: str, vocabulary: dict[str, str]) -> list[str]:
    by_label = {label: code for code, label in vocabulary.items()}
    by_label.update({label.replace(" ", ""): code for code, label in vocabulary.items()})
    out = []
    for item in (p.strip() for p in SEPARATORS.split(text) if p.strip()):
        out.append(item if item in vocabulary else by_label.get(item.replace(" ", ""), item))
    return out


def _region(text: str) -> str:
    text = text.strip().strip("/")
    if regions.is_known(text):
        return text
    found = [n.path for n in regions.region_nodes()
             if text in (n.name, regions.short_name(n.path))]
    return found[0] if len(found) == 1 else text


def _row_data(values: dict[str, str]) -> dict:
    data: dict = {k: v for k, v in values.items() if v != ""}
    for key, vocabulary in LISTS.items():
        data[key] = _codes(values.get(key, ""), vocabulary)
    data["coverage"] = [_region(p) for p in SEPARATORS.split(values.get("coverage", ""))
                        if p.strip()]
    if values.get("mode"):
        data["mode"] = _codes(values["mode"], codes.OFFER_MODES)[0]
    data.setdefault("title", "")
    data.setdefault("mode", "")
    return data


def read_sheet(filename: str, content: bytes) -> Sheet:
    """Every row of an uploaded sheet, checked like the offer form checks one offer."""
    if len(content) > MAX_BYTES:
        return Sheet([], "文件超过 5 MB，请分成几个文件上传")
    try:
        table = _table(filename, content)
    except ValueError as exc:
        return Sheet([], str(exc))
    while table and not any(table[-1]):
        table.pop()
    if not table:
        return Sheet([], "文件是空的")
    headers = [h.rstrip("*").strip() for h in table[0]]
    missing = [header for key, header, required, _n in COLUMNS
               if required and header not in headers]
    if missing:
        return Sheet([], "缺少必填列：" + "、".join(missing) + "。请使用下载的模板")
    body = [(i, r) for i, r in enumerate(table[1:], start=2) if any(r)]
    if len(body) > MAX_ROWS:
        return Sheet([], f"一次最多导入 {MAX_ROWS} 行")
    rows = []
    for number, cells in body:
        values = {HEADER_TO_KEY[h]: (cells[i] if i < len(cells) else "")
                  for i, h in enumerate(headers) if h in HEADER_TO_KEY}
        row = Row(number, values)
        try:
            row.data = OfferCreate.model_validate(_row_data(values))
        except ValidationError as exc:
            for err in exc.errors():
                key = field_name(err["loc"]).split(".")[0]
                row.errors.setdefault(key, chinese_message(err))
        rows.append(row)
    if not rows:
        return Sheet([], "模板里没有项目行")
    return Sheet(rows)


def create_from_sheet(
    session: Session, *, actor: User, filename: str, content: bytes
) -> list[Offer]:
    """Save every row of the sheet as a draft offer, or none if any row is wrong."""
    from zhuanjie.offers.service import _check_for, _row_values, _write_links

    ensure_role(actor, "org_staff")
    sheet = read_sheet(filename, content)
    if sheet.problem:
        raise Invalid(sheet.problem, field="file")
    if not sheet.ok:
        raise Invalid(sheet.summary(), field="file")
    org = session.get(Organisation, actor.organisation_id)
    created = []
    for row in sheet.rows:
        _check_for(org, row.data)
        offer = Offer(organisation_id=org.id, status="draft", created_by_id=actor.id,
                      **_row_values(row.data))
        session.add(offer)
        session.flush()
        _write_links(session, offer.id, row.data)
        session.add(OfferRevision(offer_id=offer.id, actor_id=actor.id,
                                  changes={"created": [None, offer.title],
                                           "status": [None, "draft"],
                                           "sheet_row": [None, row.number]}))
        created.append(offer)
    audit.record(session, actor, "offers_bulk_created", object_type="offer",
                 detail={"rows": len(created), "file": filename[:100]})
    session.commit()
    return created


def preview_sheet(*, actor: User, filename: str, content: bytes) -> Sheet:
    """Check an uploaded sheet without saving anything."""
    ensure_role(actor, "org_staff")
    return read_sheet(filename, content)


# --- routes ---------------------------------------------------------------------------------------

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, user, sheet=None, filename="", encoded="", error="", status=200):
    return templates.TemplateResponse(
        request,
        "offers/bulk.html",
        {"user": user, "sheet": sheet, "filename": filename, "encoded": encoded,
         "error": error, "columns": COLUMNS, "labels": LABEL_OF},
        status_code=status,
    )


@router.get("/offers/bulk", include_in_schema=False)
def bulk_page(request: Request, user: CurrentUser):
    ensure_role(user, "org_staff")
    return _page(request, user)


@router.get("/offers/bulk/template.xlsx", include_in_schema=False)
def bulk_template_xlsx(user: CurrentUser):
    ensure_role(user, "org_staff")
    return Response(template_xlsx(), media_type=XLSX, headers={
        "Content-Disposition": "attachment; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%AF%BC%E5%85%A5"
                               "%E6%A8%A1%E6%9D%BF.xlsx"})


@router.get("/offers/bulk/template.csv", include_in_schema=False)
def bulk_template_csv(user: CurrentUser):
    ensure_role(user, "org_staff")
    return Response(template_csv(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": "attachment; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%AF%BC%E5%85%A5"
                               "%E6%A8%A1%E6%9D%BF.csv"})


@router.post("/offers/bulk/preview", include_in_schema=False)
async def bulk_preview(request: Request, user: CurrentUser):
    ensure_role(user, "org_staff")
    upload = (await request.form()).get("file")
    if not getattr(upload, "filename", ""):
        return _page(request, user, error="请选择要上传的文件", status=400)
    content = await upload.read()
    sheet = preview_sheet(actor=user, filename=upload.filename, content=content)
    return _page(request, user, sheet, upload.filename,
                 base64.b64encode(content).decode() if sheet.ok else "",
                 sheet.problem, 200 if sheet.ok else 400)


@router.post("/offers/bulk/commit", include_in_schema=False)
async def bulk_commit(request: Request, session: SessionDep, user: CurrentUser):
    form = await request.form()
    try:
        content = base64.b64decode(str(form.get("content", "")), validate=True)
    except (binascii.Error, ValueError):
        content = b""
    filename = str(form.get("filename", ""))
    create_from_sheet(session, actor=user, filename=filename, content=content)
    return RedirectResponse("/offers?status=draft", status_code=303)


@router.post("/api/v1/offers/bulk", tags=["offers"])
async def bulk_api(file: UploadFile, session: SessionDep, user: CurrentUser,
                   commit: bool = False):
    """Check a sheet of offers (.xlsx or .csv); with `commit=true` save all rows as drafts or
    none (422 naming the rows that are wrong)."""
    content = await file.read()
    sheet = preview_sheet(actor=user, filename=file.filename or "", content=content)
    rows = [{"row": r.number, "title": r.values.get("title", ""), "errors": r.errors}
            for r in sheet.rows]
    if not commit or not sheet.ok:
        if commit:
            raise Invalid(sheet.summary(), field="file")
        return {"ok": sheet.ok, "problem": sheet.problem, "rows": rows}
    created = create_from_sheet(session, actor=user, filename=file.filename or "",
                                content=content)
    return {"ok": True, "created": [o.id for o in created], "rows": rows}
