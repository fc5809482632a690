"""The bulk sheet of offers, as a format: its columns (Chinese headers), the downloadable
template, and reading an uploaded Excel or CSV file into checked rows (no database).

Lists are separated by 、 , ， or ；, and codes may be written as their Chinese labels (医疗救助,
低保对象, 现金 …). Regions are full paths (南通市/如皋市/白蒲镇) or a unique name (白蒲镇,
如皋市, 南通市).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from zhuanjie import codes, regions, spreadsheets
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.offers.schemas import OfferCreate

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


def _table(filename: str, content: bytes) -> list[list[str]]:
    return spreadsheets.read_upload(filename, content, max_rows=MAX_ROWS, sheet_name="项目")


def _codes(text: str, vocabulary: dict[str, str]) -> list[str]:
    by_label = {label: code for code, label in vocabulary.items()}
    by_label.update({label.replace(" ", ""): code for code, label in vocabulary.items()})
    out = []
    for item in (p.strip() for p in SEPARATORS.split(text) if p.strip()):
        out.append(item if item in vocabulary else by_label.get(item.replace(" ", ""), item))
    return out


def _row_data(values: dict[str, str]) -> dict:
    data: dict = {k: v for k, v in values.items() if v != ""}
    for key, vocabulary in LISTS.items():
        data[key] = _codes(values.get(key, ""), vocabulary)
    data["coverage"] = [regions.path_for(p) for p in SEPARATORS.split(values.get("coverage", ""))
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
