"""Tables as .xlsx and CSV. Every cell goes through the shared `spreadsheets.safe_cell`,
which stops a spreadsheet from reading text as a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhuanjie.insight.schemas import Table
from zhuanjie.spreadsheets import csv_writer
from zhuanjie.spreadsheets import safe_cell as safe


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join("_" if c in "[]:*?/\\" else c for c in title)[:28] or "表"
    name, n = clean, 2
    while name in taken:
        name, n = f"{clean[:25]}_{n}", n + 1
    taken.add(name)
    return name


def workbook(tables: list[Table], *, heading: str = "") -> bytes:
    """One sheet per table: the caption on top, bold headers, numbers as numbers."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE8F3")
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        sheet.append([safe(f"{heading} {table.title}".strip())])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([safe(table.caption)])
        sheet.append([safe(c) for c in table.columns])
        for cell in sheet[3]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table.rows:
            sheet.append([safe(v) for v in row])
        for i, column in enumerate(table.columns, start=1):
            width = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in table.rows])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(8, width * 2 + 2), 60)
        sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(table: Table) -> str:
    """One table as CSV, UTF-8 with BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv_writer(buffer)
    writer.writerow([safe(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else safe(v) for v in row])
    return buffer.getvalue()
