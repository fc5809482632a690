"""Drawing printable A4 documents with fpdf2 and a CJK font.

fpdf2 embeds only the glyphs a document uses (a subset of the font), so a page of Chinese is
tens of kilobytes and prints the same on any machine. The font is Noto Sans CJK SC from
Debian's fonts-noto-cjk (a TrueType collection: the SC face is picked by name), or the file
ZHUANJIE_PDF_FONT names. Every page's foot carries the document number and the date printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import segno
from fpdf import FPDF, FontFace
from fpdf.enums import TextMode, XPos, YPos

from zhuanjie.config import get_settings
from zhuanjie.errors import DomainError

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype/noto-cjk"),
             Path("/usr/share/fonts/noto-cjk"))
REGULAR = "NotoSansCJK-Regular.ttc"
ISSUER = "南通市社会救助转介服务平台"


class FontMissing(DomainError):
    """No CJK font to print with; the message says what to install (the page shows it)."""

    status_code = 503
    title = "暂时无法打印"


@dataclass(frozen=True)
class Face:
    path: str
    index: int  # the face within a collection (0 for a single font)


@lru_cache(maxsize=4)
def _face_in(path: str) -> Face:
    if not path.lower().endswith((".ttc", ".otc")):
        return Face(path, 0)
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    names = [f["name"].getDebugName(4) or "" for f in collection.fonts]
    for wanted in ("CJK SC", "SC", "CN"):
        for i, name in enumerate(names):
            if wanted in name and "Mono" not in name:
                return Face(path, i)
    return Face(path, 0)


def faces() -> Face:
    """The face documents are printed with. One face only: loading and subsetting a CJK font
    is most of a document's cost, so bold is drawn by stroking the regular glyphs."""
    chosen = get_settings().pdf_font
    if chosen:
        if not Path(chosen).is_file():
            raise FontMissing(f"ZHUANJIE_PDF_FONT 指向的字体文件不存在：{chosen}")
        return _face_in(chosen)
    for folder in FONT_DIRS:
        if (folder / REGULAR).is_file():
            return _face_in(str(folder / REGULAR))
    raise FontMissing("找不到中文字体：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）"
                      "或设置 ZHUANJIE_PDF_FONT")


class _Pages(FPDF):
    foot = ""

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("cjk", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.foot}    第 {self.page_no()}/{{nb}} 页", align="C")


class Sheet:
    """One document: a title, labelled lines, paragraphs, tables, signature lines, a QR code."""

    WIDTH = 180  # mm between the margins of an A4 page

    def __init__(self, *, title: str, number: str, printed_on: date) -> None:
        regular = faces()
        pdf = _Pages(format="A4", unit="mm")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_font("cjk", fname=regular.path, collection_font_number=regular.index)
        pdf.set_title(f"{title} {number}")
        pdf.set_creator(ISSUER)
        pdf.set_lang("zh-CN")
        pdf.foot = f"{ISSUER} · 文件编号 {number} · 打印日期 {printed_on:%Y-%m-%d}"
        pdf.add_page()
        self.pdf = pdf
        self.number = number
        self._plain(9)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(0, 5, ISSUER, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        self._bold(20, 0, 14, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._plain(10)
        pdf.cell(0, 6, f"文件编号：{number}    打印日期：{printed_on:%Y年%m月%d日}", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        self._beside_until = 0.0  # a QR code takes the right of the page down to here
        self._beside_width = 0.0

    def _bold(self, size: float, *cell, **options) -> None:
        """A cell in the regular face filled and stroked: bold enough for titles and labels.
        Drawn in a local graphics state (q … Q), as the text mode would otherwise stay on."""
        self.pdf.set_font("cjk", size=size)
        with self.pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * 0.025):
            self.pdf.set_draw_color(0, 0, 0)  # the stroke takes the text's colour
            self.pdf.cell(*cell, **options)

    def _plain(self, size: float) -> None:
        self.pdf.set_font("cjk", size=size)

    def _width(self) -> float:
        if self.pdf.get_y() < self._beside_until:
            return self.WIDTH - self._beside_width
        return self.WIDTH

    def heading(self, text: str) -> None:
        pdf = self.pdf
        pdf.ln(2)
        self._bold(13, 0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(160, 160, 160)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self._width(), pdf.get_y())
        pdf.ln(2)

    def line(self, label: str, value: str, *, width: float | None = None) -> None:
        """A label and its value; `width` (mm) of both together, else what is free."""
        pdf = self.pdf
        self._bold(11, 32, 7, label)
        self._plain(11)
        pdf.multi_cell((width or self._width()) - 32, 7, value or "—", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)

    def paragraph(self, text: str, *, size: int = 11) -> None:
        self._plain(size)
        self.pdf.multi_cell(self._width(), 6.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)

    def boxes(self, items: list[str]) -> None:
        """Each item with a ticked box: what was agreed, item by item."""
        pdf = self.pdf
        self._plain(11)
        for item in items:
            x, y = pdf.get_x(), pdf.get_y()
            pdf.rect(x + 1, y + 1.5, 4, 4)
            pdf.line(x + 1.8, y + 3.6, x + 2.8, y + 4.8)
            pdf.line(x + 2.8, y + 4.8, x + 4.4, y + 2)
            pdf.set_x(x + 7)
            pdf.cell(0, 7, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def blank_lines(self, count: int) -> None:
        pdf = self.pdf
        for _ in range(count):
            pdf.ln(8)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.WIDTH, pdf.get_y())
        pdf.ln(3)

    def signatures(self, labels: list[str]) -> None:
        """A line to sign on and a date for each signer, two to a row."""
        pdf = self.pdf
        pdf.ln(6)
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        self._plain(11)
        half = self.WIDTH / 2
        for start in range(0, len(labels), 2):
            y = pdf.get_y() + 10
            for col, label in enumerate(labels[start:start + 2]):
                x = pdf.l_margin + col * half
                pdf.set_xy(x, y - 6)
                pdf.cell(half, 6, f"{label}（签字）：")
                pdf.line(x + 2, y + 6, x + half - 8, y + 6)
                pdf.set_xy(x, y + 8)
                pdf.cell(half, 6, "日期：　　　　年　　月　　日")
            pdf.set_xy(pdf.l_margin, y + 18)

    def table(self, headers: list[str], rows: list[list[str]], widths: list[int]) -> None:
        pdf = self.pdf
        self._plain(9)
        with pdf.table(col_widths=widths, line_height=6, text_align="LEFT",
                       headings_style=FontFace(fill_color=(235, 235, 235)),
                       repeat_headings=1) as table:
            head = table.row()
            for text in headers:
                head.cell(text)
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(text)

    def qr(self, url: str, *, caption: str, size: float = 38) -> None:
        """A QR code at the right, level with what comes next, its caption under it; the
        lines and paragraphs beside it keep clear of it."""
        pdf = self.pdf
        picture = io.BytesIO()
        segno.make(url, error="m").save(picture, kind="png", scale=8, border=2)
        picture.seek(0)
        x, y = pdf.l_margin + self.WIDTH - size, pdf.get_y()
        pdf.image(picture, x=x, y=y, w=size, h=size)
        self._plain(8)
        pdf.set_xy(x - 8, y + size)
        pdf.cell(size + 8, 4, caption, align="C")
        pdf.set_xy(pdf.l_margin, y)
        self._beside_until, self._beside_width = y + size + 6, size + 6

    def output(self) -> bytes:
        return bytes(self.pdf.output())
