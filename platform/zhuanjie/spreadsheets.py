"""Spreadsheets in and out, safely.

Out: every CSV or Excel cell the platform writes goes through `safe_cell`, so a value typed by
someone (a title, a thank-you note) that begins with = + - @ or a tab or carriage return is
shown as text instead of being run as a formula by Excel or WPS ("CSV injection").

In: an uploaded .xlsx is a zip; `read_xlsx_rows` checks the sizes its directory declares before
anything is unpacked, refuses a file that would unpack to more than the limit (a "zip bomb"),
opens it with openpyxl in read-only mode and stops reading at the row limit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write into a cell: text that a spreadsheet would take for a formula gets a
    leading apostrophe; numbers, dates and empty cells pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


class SafeWriter:
    """csv.writer whose every cell goes through safe_cell."""

    def __init__(self, out, **kwargs) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, values: Iterable):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)


class SpreadsheetTooLarge(ValueError):
    """The upload is refused as too large; the message is for people (Chinese)."""


def check_xlsx_size(content: bytes, *, max_unpacked: int) -> None:
    """Refuse an .xlsx whose entries declare more than `max_unpacked` bytes in all, before any
    entry is unpacked. zipfile never inflates an entry past its declared size (it raises a
    CRC/size error instead), so the declared sizes bound what openpyxl can be made to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValueError("无法读取该 Excel 文件，请使用下载的模板（.xlsx）") from exc
    if declared > max_unpacked:
        raise SpreadsheetTooLarge(
            f"Excel 文件解压后超过 {max_unpacked // (1024 * 1024)} MB，已拒绝；请分成几个文件上传"
        )


def read_xlsx_rows(
    content: bytes, *, max_rows: int, max_unpacked: int, sheet_name: str | None = None
) -> list[tuple]:
    """The rows of values of the named sheet (else the first), a header row and at most
    `max_rows` rows with something in them (empty rows come back as `()`). Reading stops at
    the first row over the limit, which refuses the file: nothing is silently left out."""
    from openpyxl import load_workbook

    check_xlsx_size(content, max_unpacked=max_unpacked)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValueError("无法读取该 Excel 文件，请使用下载的模板（.xlsx）") from exc
    try:
        sheet = book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]
        rows: list[tuple] = []
        filled = 0
        for row in sheet.iter_rows(values_only=True):
            if not any(v is not None and v != "" for v in row):
                rows.append(())
                continue
            filled += 1
            if filled > max_rows + 1:  # the header and max_rows rows
                raise SpreadsheetTooLarge(f"一次最多导入 {max_rows} 行，已停止读取")
            rows.append(row)
        return rows
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise ValueError("无法读取该 Excel 文件，请使用下载的模板（.xlsx）") from exc
    finally:
        book.close()


def cell_text(value) -> str:
    """An uploaded cell as text: dates as 年-月-日, whole floats without ".0", trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_upload(filename: str, content: bytes, *, max_rows: int,
                sheet_name: str | None = None) -> list[list[str]]:
    """An uploaded .xlsx (the named sheet, else the first) or .csv (UTF-8, or the GBK that
    departments' systems often export) as rows of trimmed text, the header first. More than
    `max_rows` filled rows refuse the file (SpreadsheetTooLarge); anything unreadable is a
    ValueError with a Chinese message."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = read_xlsx_rows(content, max_rows=max_rows, sheet_name=sheet_name,
                              max_unpacked=max_unpacked_bytes())
        return [[cell_text(v) for v in row] for row in rows]
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK")
        rows = [[c.strip() for c in row]
                for row in csv.reader(io.StringIO(text.replace("\x00", "")))]
        if sum(1 for r in rows if any(r)) > max_rows + 1:
            raise SpreadsheetTooLarge(f"一次最多导入 {max_rows} 行")
        return rows
    raise ValueError("请上传 .xlsx 或 .csv 文件")


def max_unpacked_bytes() -> int:
    from zhuanjie.config import get_settings

    return get_settings().max_unpacked_bytes
