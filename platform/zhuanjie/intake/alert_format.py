"""The monitoring-alert sheet as a format (no database): its columns, reading an uploaded .xlsx
or CSV into checked rows, and writing the outcome of each alert back in the same layout (the
sender's columns, the ID number masked, then 处理状态 and 处理结果).

Alert types may be written as codes or as their Chinese labels (大额医疗支出 …); the township as
a path or a unique name (白蒲镇).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pydantic import ValidationError

from zhuanjie import codes, spreadsheets
from zhuanjie.forms import chinese_message, field_name
from zhuanjie.intake.schemas import AlertIn

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
SHEET = "监测预警"
# key, header, required
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("external_id", "预警编号", True),
    ("signal", "预警类型", True),
    ("name", "姓名", True),
    ("id_number", "身份证号", True),
    ("region_path", "镇（街道）", True),
    ("village", "村（社区）", False),
    ("situation", "情况说明", False),
    ("amount", "金额（元）", False),
    ("occurred_date", "发生日期", False),
)
OUTCOME_COLUMNS = ("处理状态", "处理结果", "受理时间")
LABEL_OF = {key: header for key, header, _r in COLUMNS}
HEADER_TO_KEY = {header: key for key, header, _r in COLUMNS} | {k: k for k in LABEL_OF}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    errors: dict[str, str] = field(default_factory=dict)
    data: AlertIn | None = None


@dataclass
class Sheet:
    rows: list[Row]
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.rows) and all(not r.errors for r in self.rows)

    @property
    def wrong(self) -> list[Row]:
        return [r for r in self.rows if r.errors]


def _table(filename: str, content: bytes) -> list[list[str]]:
    return spreadsheets.read_upload(filename, content, max_rows=MAX_ROWS, sheet_name=SHEET)


def read_sheet(filename: str, content: bytes) -> Sheet:
    """Every row of an uploaded alert sheet, each checked as the API checks one alert."""
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
    keys = [HEADER_TO_KEY.get(h.rstrip("*").strip()) for h in table[0]]
    missing = [header for key, header, required in COLUMNS if required and key not in keys]
    if missing:
        return Sheet([], "缺少必填列：" + "、".join(missing) + "。请使用下载的模板")
    rows, seen = [], {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {k: c for k, c in zip(keys, cells, strict=False) if k and c != ""}
        row = Row(number)
        try:
            row.data = AlertIn.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                row.errors.setdefault(field_name(err["loc"]), chinese_message(err))
        external = values.get("external_id", "")
        if external and external in seen:
            row.errors.setdefault("external_id", f"与第{seen[external]}行的预警编号重复")
        seen.setdefault(external, number)
        rows.append(row)
    if not rows:
        return Sheet([], "文件中没有预警记录")
    return Sheet(rows)


# --- writing: the template and the outcome file ------------------------------------------------


EXAMPLE = ("YJ-2026-0001", "大额医疗支出", "张三", "", "白蒲镇", "新华村",
           "住院自付医疗费用 6.8 万元", "68000", "2026-11-20")


def _headers() -> list[str]:
    return [header + ("*" if required else "") for _k, header, required in COLUMNS]


def write(rows: list[list], fmt: str, *, outcome: bool) -> bytes:
    """A sheet of `rows` (values in COLUMNS order, then the outcome columns when `outcome`)."""
    headers = _headers() + (list(OUTCOME_COLUMNS) if outcome else [])
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = SHEET
        sheet.append(headers)
        for row in rows:
            sheet.append(spreadsheets.safe_row(row))
        if not outcome:
            notes = book.create_sheet("说明")
            notes.append(["预警类型可填：" + "、".join(codes.ALERT_SIGNALS.values())])
            notes.append(["同一预警编号重复导入不会重复生成；导入后可在本页下载处理结果。"])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def template(fmt: str) -> bytes:
    return write([list(EXAMPLE)], fmt, outcome=False)
