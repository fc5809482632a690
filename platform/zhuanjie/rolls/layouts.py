"""Each department's roll as its own system exports it: the columns (with the other headers the
same column goes by), the downloadable template, and reading an uploaded .xlsx or CSV file
into checked rows with every error in Chinese (no database).

民政's 低保/特困 roll is the export of the province's social-assistance system; 乡村振兴's
建档立卡 roll that of the national monitoring system (income per person per YEAR, so it is
divided by 12 here); 残联's that of the disabled persons' database (one row per person,
keyed by the 残疾人证号). A header is matched by its text (spaces and a trailing * ignored),
so the columns may come in any order and extra columns are ignored; the preview shows which
file column went to which field.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from zhuanjie import clock, regions, spreadsheets
from zhuanjie.validators import normalize_id_number

MAX_ROWS = 30_000
MAX_MONEY = Decimal("1000000")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: str  # codes.ROLL_KINDS
    department: str  # codes.DEPARTMENTS
    title: str
    system: str  # whose export this is, for the template's notes
    columns: tuple[Column, ...]
    example: tuple[dict[str, str], ...]
    yearly_income: bool = False

    @property
    def labels(self) -> dict[str, str]:
        return {c.key: c.header for c in self.columns}

    def header_to_key(self) -> dict[str, str]:
        out = {}
        for c in self.columns:
            for name in (c.header, *c.aliases):
                out[_norm_header(name)] = c.key
        return out


def _c(key, header, required, note, *aliases) -> Column:
    return Column(key, header, required, note, aliases)


STATUS_NOTE = "正常、死亡或迁出；不填为正常"
PUBLISH_NOTE = "是或否；不填为是。否：该户不在公示名单中"
DATE_NOTE = "如 2024-03-01、2024/3/1、2024年3月"

CIVIL = Layout(
    "dibao_tekun", "civil_affairs", "民政低保、特困人员台帐",
    "江苏省社会救助信息系统导出的保障对象名册",
    (
        _c("household_key", "户编号", True, "系统中的家庭编号", "家庭编号", "户号"),
        _c("name", "姓名", True, "", "成员姓名"),
        _c("id_number", "身份证号码", True, "18位", "身份证号", "公民身份号码", "证件号码"),
        _c("relation", "与户主关系", True, "户主、配偶、子女……", "与户主的关系"),
        _c("category", "保障类别", True, "低保或特困（城市低保、农村低保、特困供养均可）",
           "救助类别", "对象类别"),
        _c("township", "乡镇（街道）", True, "本县（市、区）内的镇或街道", "乡镇", "所属乡镇",
           "镇（街道）"),
        _c("village", "村（社区）", False, "", "村居", "所属村（社区）"),
        _c("household_size", "保障人口", True, "该户享受保障的人数", "家庭人口", "家庭人口数"),
        _c("income", "家庭人均月收入（元）", True, "元/月", "人均月收入"),
        _c("amount", "月保障金额（元）", True, "该户每月领取的金额", "月救助金额（元）",
           "保障金额"),
        _c("since", "保障起始日期", True, DATE_NOTE, "批准日期", "纳入日期"),
        _c("disability", "残疾情况", False, "如 肢体二级；无残疾不填", "残疾类别等级"),
        _c("status", "人员状态", False, STATUS_NOTE),
        _c("status_date", "状态变动日期", False, "死亡或迁出的日期"),
        _c("publish", "是否公示", False, PUBLISH_NOTE),
    ),
    (
        {"household_key": "320682-DB-000101", "name": "张国强", "id_number": "320682196005170017",
         "relation": "户主", "category": "低保", "township": "白蒲镇", "village": "林梓社区",
         "household_size": "3", "income": "620", "amount": "1170", "since": "2024-03-01",
         "publish": "是"},
    ),
)

POVERTY = Layout(
    "jiandang", "poverty", "建档立卡（防返贫监测）台帐", "全国防止返贫监测信息系统导出的人员名册",
    (
        _c("household_key", "户编号", True, "系统中的户码", "户码"),
        _c("name", "姓名", True, ""),
        _c("id_number", "证件号码", True, "18位身份证号", "身份证号码", "身份证号"),
        _c("relation", "与户主关系", True, "户主、配偶、子女……"),
        _c("household_type", "户类型", True, "脱贫户、监测户（含脱贫不稳定户、边缘易致贫户、"
           "突发严重困难户）", "监测对象类别"),
        _c("township", "乡（镇）", True, "本县（市、区）内的镇或街道", "乡镇", "乡镇（街道）"),
        _c("village", "行政村", False, "", "村（社区）"),
        _c("household_size", "家庭人口数", True, ""),
        _c("income", "人均纯收入（元/年）", True, "元/年，系统按12个月折算为月收入",
           "家庭人均纯收入（元）"),
        _c("since", "纳入日期", True, DATE_NOTE, "识别日期", "识别年月"),
        _c("disability", "残疾情况", False, "如 视力一级；无残疾不填", "健康状况（残疾）"),
        _c("status", "人员状态", False, STATUS_NOTE),
        _c("status_date", "状态变动日期", False, "死亡或迁出的日期"),
        _c("publish", "是否公示", False, PUBLISH_NOTE),
    ),
    (
        {"household_key": "3206820101000123", "name": "李桂英",
         "id_number": "320682195803020027", "relation": "户主", "household_type": "脱贫户",
         "township": "九华镇", "village": "郑甸村", "household_size": "2", "income": "9600",
         "since": "2016-05-01", "publish": "是"},
    ),
    yearly_income=True,
)

DISABILITY = Layout(
    "disability", "disability", "残疾人台帐", "全国残疾人人口基础库导出的持证残疾人名册",
    (
        _c("household_key", "残疾人证号", True, "第二代残疾人证号", "残疾证号"),
        _c("name", "姓名", True, ""),
        _c("id_number", "身份证号", True, "18位", "身份证号码", "公民身份号码"),
        _c("disability_kind", "残疾类别", True, "视力、听力、言语、肢体、智力、精神或多重"),
        _c("disability_grade", "残疾等级", True, "一级至四级"),
        _c("township", "乡镇（街道）", True, "本县（市、区）内的镇或街道", "乡镇"),
        _c("village", "村（社区）", False, ""),
        _c("since", "发证日期", True, DATE_NOTE, "办证日期"),
        _c("status", "人员状态", False, STATUS_NOTE),
        _c("status_date", "状态变动日期", False, "死亡或迁出的日期"),
    ),
    (
        {"household_key": "32068219620811003044", "name": "王建华",
         "id_number": "320682196208110030", "disability_kind": "肢体", "disability_grade": "二级",
         "township": "白蒲镇", "village": "林梓社区", "since": "2019-08-12"},
    ),
)

LAYOUTS: dict[str, Layout] = {lay.kind: lay for lay in (CIVIL, POVERTY, DISABILITY)}
LAYOUT_OF_DEPARTMENT: dict[str, Layout] = {lay.department: lay for lay in LAYOUTS.values()}

CATEGORY_WORDS = {"低保": "dibao", "城市低保": "dibao", "农村低保": "dibao",
                  "最低生活保障": "dibao", "特困": "tekun", "特困供养": "tekun",
                  "特困人员": "tekun"}
HOUSEHOLD_TYPES = ("脱贫户", "监测户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
DISABILITY_KINDS = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
GRADES = {"一级": "一级", "二级": "二级", "三级": "三级", "四级": "四级",
          "1": "一级", "2": "二级", "3": "三级", "4": "四级"}
STATUS_WORDS = {"": "active", "正常": "active", "在册": "active", "死亡": "deceased",
                "已死亡": "deceased", "迁出": "moved", "已迁出": "moved", "户籍迁出": "moved"}
YES_NO = {"": True, "是": True, "否": False, "Y": True, "N": False}
HEAD_WORDS = ("户主", "本人")


# --- the template ------------------------------------------------------------------------------


def template_xlsx(layout: Layout) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "台帐"
    sheet.append([c.header + ("*" if c.required else "") for c in layout.columns])
    for example in layout.example:
        sheet.append(spreadsheets.safe_row(example.get(c.key, "") for c in layout.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = book.create_sheet("说明")
    notes.append([f"{layout.title}：{layout.system}的列格式。列的顺序可以不同，多余的列不导入。"])
    notes.append(["列", "是否必填", "填写说明", "也可写作"])
    for c in layout.columns:
        notes.append([c.header, "必填" if c.required else "", c.note, "、".join(c.aliases)])
    notes.append([])
    notes.append(["第二行是示例，导入前请删除。上传后先预览逐行检查结果，确认后才写入；"
                  "同一文件重复导入不会改变任何数据。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(layout: Layout) -> bytes:
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerow([c.header + ("*" if c.required else "") for c in layout.columns])
    for example in layout.example:
        writer.writerow([example.get(c.key, "") for c in layout.columns])
    return out.getvalue().encode("utf-8-sig")


# --- reading and checking ---------------------------------------------------------------------


@dataclass
class RollRow:
    number: int  # the row number as the spreadsheet shows it
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # typed values, when there is no error


@dataclass
class ParsedRoll:
    layout: Layout
    county_path: str
    content_hash: str = ""
    mapping: list[tuple[str, str | None]] = field(default_factory=list)  # file header → key
    rows: list[RollRow] = field(default_factory=list)
    problem: str = ""  # a problem with the whole file

    @property
    def good(self) -> list[RollRow]:
        return [r for r in self.rows if not r.errors]

    @property
    def bad(self) -> list[RollRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.problem and bool(self.good)

    def error_text(self, row: RollRow) -> str:
        labels = self.layout.labels
        return "；".join(f"{labels.get(k, k)}：{v}" for k, v in row.errors.items())


def _norm_header(text) -> str:
    return re.sub(r"[\s*＊]", "", str(text or "")).replace("(", "（").replace(")", "）")


def _table(filename: str, content: bytes) -> list[list[str]]:
    return spreadsheets.read_upload(filename, content, max_rows=MAX_ROWS, sheet_name="台帐")


def read_roll(layout: Layout, county_path: str, filename: str, content: bytes) -> ParsedRoll:
    """Every row of the file checked against the layout; nothing is written."""
    parsed = ParsedRoll(layout, county_path, hashlib.sha256(content).hexdigest())
    if not content:
        parsed.problem = "文件是空的"
        return parsed
    try:
        table = _table(filename, content)
    except ValueError as exc:
        parsed.problem = str(exc)
        return parsed
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        parsed.problem = "文件中没有表头"
        return parsed
    known = layout.header_to_key()
    keys: list[str | None] = []
    for header in table[0]:
        key = known.get(_norm_header(header))
        keys.append(key if key not in keys else None)
        parsed.mapping.append((str(header), keys[-1]))
    missing = [c.header for c in layout.columns if c.required and c.key not in keys]
    if missing:
        parsed.problem = (f"这不是{layout.title}的格式：缺少列 " + "、".join(missing)
                          + "。请下载模板核对表头。")
        return parsed
    towns = _townships(county_path)
    seen: dict[str, int] = {}
    for index, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {k: cells[i] if i < len(cells) else "" for i, k in enumerate(keys) if k}
        row = RollRow(index, values)
        _check(layout, row, towns)
        number = row.data.get("id_number")
        if number:
            if number in seen:
                row.errors["id_number"] = f"与第{seen[number]}行的身份证号重复"
            else:
                seen[number] = index
        parsed.rows.append(row)
    if not parsed.rows:
        parsed.problem = "文件中没有数据行"
    return parsed


def _townships(county_path: str) -> dict[str, str]:
    out = {}
    for node in regions.townships(county_path):
        out[node.name] = node.path
        out[node.path] = node.path
        out[regions.short_name(node.path)] = node.path
    return out


def _check(layout: Layout, row: RollRow, towns: dict[str, str]) -> None:
    v, errors, data = row.values, row.errors, row.data
    for column in layout.columns:
        if column.required and not v.get(column.key, ""):
            errors[column.key] = "必填"
    try:
        data["id_number"] = normalize_id_number(v.get("id_number", ""))
    except ValueError as exc:
        errors.setdefault("id_number", str(exc))
    name = v.get("name", "")
    if len(name) > 40:
        errors["name"] = "姓名最多40字"
    data["name"] = name
    key = v.get("household_key", "")
    if len(key) > 40:
        errors["household_key"] = "编号最多40位"
    data["household_key"] = key
    town = v.get("township", "")
    if town and town not in towns:
        errors["township"] = f"“{town}”不是本县（市、区）的镇或街道"
    data["region_path"] = towns.get(town)
    data["village"] = v.get("village", "")[:60]
    relation = v.get("relation", "本人" if layout.kind == "disability" else "")
    data["relation"] = relation[:20]
    data["is_head"] = relation in HEAD_WORDS
    if layout.kind == "dibao_tekun":
        word = v.get("category", "")
        data["category"] = CATEGORY_WORDS.get(word)
        if word and data["category"] is None:
            errors["category"] = "应为低保或特困"
    elif layout.kind == "jiandang":
        data["category"] = "jiandang"
        kind = v.get("household_type", "")
        if kind and kind not in HOUSEHOLD_TYPES:
            errors["household_type"] = "应为" + "、".join(HOUSEHOLD_TYPES[:2]) + "等"
    else:
        data["category"] = "disabled"
        kind, grade = v.get("disability_kind", ""), v.get("disability_grade", "")
        if kind and kind not in DISABILITY_KINDS:
            errors["disability_kind"] = "应为" + "、".join(DISABILITY_KINDS)
        if grade and grade not in GRADES:
            errors["disability_grade"] = "应为一级至四级"
        data["disability"] = kind + GRADES.get(grade, "")
    if layout.kind != "disability":
        data["disability"] = v.get("disability", "")[:60]
    if "household_size" in v or layout.kind != "disability":
        data["household_size"] = _int(v.get("household_size", ""), "household_size", errors)
    income = _money(v.get("income", ""), "income", errors)
    if income is not None and layout.yearly_income:
        income = (income / 12).quantize(Decimal("0.01"))
    data["income_per_capita"] = income
    data["monthly_amount"] = _money(v.get("amount", ""), "amount", errors)
    data["since_date"] = _date(v.get("since", ""), "since", errors)
    status = v.get("status", "")
    data["person_status"] = STATUS_WORDS.get(status)
    if data["person_status"] is None:
        errors["status"] = "应为正常、死亡或迁出"
    data["status_date"] = _date(v.get("status_date", ""), "status_date", errors)
    publish = v.get("publish", "")
    data["publish"] = YES_NO.get(publish.upper() if publish.isascii() else publish)
    if data["publish"] is None:
        errors["publish"] = "应为是或否"
    if layout.kind == "disability":
        data["publish"] = False  # the disability roll is not publicly displayed


def _int(text: str, key: str, errors: dict) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 30:
        errors.setdefault(key, "应为1到30之间的整数")
        return None
    return int(text)


def _money(text: str, key: str, errors: dict) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "").replace("，", "").removesuffix("元"))
    except InvalidOperation:
        errors.setdefault(key, "应为金额数字，如 650 或 650.50")
        return None
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        errors.setdefault(key, "金额应在0到1000000元之间")
        return None
    return value.quantize(Decimal("0.01"))


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)$")


def _date(text: str, key: str, errors: dict) -> date | None:
    if not text:
        return None
    text = text.split(" ")[0].split("T")[0] if re.match(r"^\d{4}-\d\d-\d\d[ T]", text) else text
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", text)
    match = compact or _DATE.match(text)
    if match is None:
        errors.setdefault(key, "日期格式不对，应如 2024-03-01")
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        errors.setdefault(key, "不是有效的日期")
        return None
    if not date(1950, 1, 1) <= day <= clock.add_months(clock.today(), 12):
        errors.setdefault(key, "日期超出合理范围")
        return None
    return day
