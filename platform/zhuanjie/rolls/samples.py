"""Generated roll files in each department's layout, for the tests, the benchmark and the demo:
households of one to four people in the county's townships, with valid ID numbers, and, when
asked, bad rows each wrong in exactly one field (so a test can check the preview names it)."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from zhuanjie import regions
from zhuanjie.rolls.layouts import LAYOUTS
from zhuanjie.spreadsheets import csv_writer
from zhuanjie.validators import id_check_char

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
GIVEN = "建国秀英桂兰志明玉兰海燕红梅国强丽华春生德华小军金凤永清学文美玲福生晓东"
RELATIONS = ("户主", "配偶", "子女", "父母")
# the field each kind of bad row gets wrong, with the wrong value
BAD_FIELDS = ("id_number", "township", "income", "since", "household_size")


def id_number(birth: date, serial: int, area: str = "320682") -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_char(first17)


@dataclass
class Generated:
    content: bytes
    bad: dict[int, str] = field(default_factory=dict)  # row number → the field that is wrong
    rows: list[dict[str, str]] = field(default_factory=list)


def person_rows(kind: str, count: int, *, county: str = "南通市/如皋市", seed: int = 1,
                first_serial: int = 0) -> list[dict[str, str]]:
    """`count` valid rows (layout keys → text) of the roll, in households."""
    rng = random.Random(f"{kind}-{seed}")
    towns = [t.name for t in regions.townships(county)]
    rows: list[dict[str, str]] = []
    serial = first_serial
    household = 0
    while len(rows) < count:
        household += 1
        size = min(rng.randint(1, 4), count - len(rows))
        town = rng.choice(towns)
        village = rng.choice(("新华村", "红旗村", "长青社区", "东风村", "幸福社区"))
        income = rng.randint(300, 1400)
        for member in range(size):
            serial += 1
            birth = date(1940, 1, 1) + timedelta(days=serial // 1000 * 400 + rng.randint(0, 6))
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (
                rng.choice(GIVEN) if rng.random() < 0.5 else "")
            row = {
                "name": name, "id_number": id_number(birth, serial),
                "relation": RELATIONS[min(member, 3)] if member else "户主",
                "township": town, "village": village, "household_size": str(size),
                "since": f"20{rng.randint(16, 25)}-{rng.randint(1, 12):02d}-01", "publish": "是",
            }
            if kind == "dibao_tekun":
                row |= {"household_key": f"DB{seed:02d}{household:06d}",
                        "category": "特困" if size == 1 and rng.random() < 0.3 else "低保",
                        "income": str(income), "amount": str(max(1010 - income, 100) * size)}
            elif kind == "jiandang":
                row |= {"household_key": f"320682{seed:02d}{household:08d}",
                        "household_type": rng.choice(("脱贫户", "监测户")),
                        "income": str(income * 12)}
            else:
                row |= {"household_key": f"{row['id_number']}{rng.randint(11, 74)}",
                        "disability_kind": rng.choice(("视力", "肢体", "智力", "听力")),
                        "disability_grade": rng.choice(("一级", "二级", "三级", "四级"))}
            rows.append(row)
    return rows


def spoil(row: dict[str, str], what: str) -> dict[str, str]:
    wrong = dict(row)
    if what == "id_number":
        last = row["id_number"][-1]
        wrong["id_number"] = row["id_number"][:-1] + ("1" if last != "1" else "2")
    elif what == "township":
        wrong["township"] = "不存在镇"
    elif what == "income":
        wrong["income"] = "约一千"
    elif what == "since":
        wrong["since"] = "2024-13-45"
    elif what == "household_size":
        wrong["household_size"] = "零"
    return wrong


def roll_file(kind: str, count: int, *, bad: int = 0, fmt: str = "csv", seed: int = 1,
              county: str = "南通市/如皋市") -> Generated:
    """A roll file of `count` rows of which `bad` rows (spread through the file) are each
    wrong in one field."""
    rows = person_rows(kind, count, county=county, seed=seed)
    out = Generated(b"")
    step = max(count // max(bad, 1), 1)
    for i in range(bad):
        index = min(i * step + step // 2, count - 1)
        what = BAD_FIELDS[i % len(BAD_FIELDS)]
        if what == "household_size" and kind == "disability":
            what = "since"
        if what == "income" and kind == "disability":
            what = "township"
        rows[index] = spoil(rows[index], what)
        out.bad[index + 2] = "income" if what == "income" else what
    out.rows = rows
    out.content = write(kind, rows, fmt)
    return out


def write(kind: str, rows: list[dict[str, str]], fmt: str = "csv") -> bytes:
    layout = LAYOUTS[kind]
    headers = [c.header for c in layout.columns]
    keys = [c.key for c in layout.columns]
    if fmt == "csv":
        text = io.StringIO()
        writer = csv_writer(text)  # the one writer every file goes through
        writer.writerow(headers)
        writer.writerows([row.get(k, "") for k in keys] for row in rows)
        return text.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("台帐")
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
