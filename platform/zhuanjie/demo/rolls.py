"""The departments' rolls of 如皋市 for two townships (白蒲镇 and the 如皋 township with most
demo families), imported through the real import by the departments' demo users; then a
台帐比对 by the 如皋 supervisor with a few rows assigned and one closed, and one household
withheld from the 公示. Each roll differs from the platform in a few deliberate ways (a
household missing, an income above the line, one extra household, a death, a disability not
on the 残联 roll), so the worklist shows each kind of row."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from sqlmodel import select

from zhuanjie.crypto import decrypt
from zhuanjie.demo.base import Ctx
from zhuanjie.models import RollReviewItem, RollWithholding
from zhuanjie.rolls import compare, flow
from zhuanjie.rolls import service as imports
from zhuanjie.rolls.layouts import DISABILITY_KINDS
from zhuanjie.rolls.samples import id_number, write

COUNTY = "南通市/如皋市"
TOWN = "南通市/如皋市/白蒲镇"
LINE = 1010


def _towns(ctx: Ctx) -> list[str]:
    counts = Counter(f.row.region_path for f in ctx.families
                     if f.row.region_path.startswith(COUNTY + "/") and f.row.region_path != TOWN)
    second = sorted(counts, key=lambda t: (-counts[t], t))[0]
    return [TOWN, second]


def _people(family) -> list[tuple]:
    return [(m, decrypt(m.id_number_enc)) for m in family.members]


def _row(family, member, number, **extra) -> dict[str, str]:
    h = family.row
    return {"name": member.name, "id_number": number, "relation": "户主" if member.is_head
            else {"spouse": "配偶", "child": "子女", "parent": "父母"}.get(member.relation, "其他"),
            "township": h.region_path.split("/")[-1], "village": h.village,
            "household_size": str(len(family.members)),
            "since": f"{h.created_at:%Y-%m-%d}", "publish": "是",
            "disability": member.disability, **extra}


def _extra(rng: random.Random, town: str, key: str, n: int, serial: int, **extra) -> list[dict]:
    """A household on a roll that the platform does not have."""
    rows = []
    for i in range(n):
        birth = date(rng.randint(1945, 1990), rng.randint(1, 12), rng.randint(1, 28))
        name = rng.choice("朱顾冒缪钱季") + rng.choice(("兰英", "国平", "小军", "秀珍"))
        rows.append({"name": name,
                     "id_number": id_number(birth, serial + i),
                     "relation": "户主" if i == 0 else "配偶", "township": town.split("/")[-1],
                     "village": "新联村", "household_size": str(n), "since": "2026-10-01",
                     "publish": "是", "household_key": key, **extra})
    return rows


def make_rolls(ctx: Ctx) -> None:
    rng = random.Random("demo rolls")
    towns = _towns(ctx)
    families = [f for f in ctx.families if f.row.region_path in towns]
    civil, poverty, disabled = [], [], []
    dibao_seen = disabled_seen = 0
    flags: list[str] = []
    deaths = unrecorded = 0
    for n, family in enumerate(families):
        groups = family.row.groups or []
        income = int(family.row.income_per_capita or 0)
        people = _people(family)
        category = "特困" if "tekun" in groups else "低保" if "dibao" in groups else None
        if category is None and "low_income" in groups and not any(c == "group" for c in flags):
            category = "低保"  # on the civil roll, not marked 低保 on the platform
            flags.append("group")
        if category:
            dibao_seen += 1
            if dibao_seen == 3:
                continue  # civil affairs has no row for this household: "not on roll"
            shown = 1180 if dibao_seen == 5 else income  # above the line on the roll
            amount = 1313 if category == "特困" else max(LINE - shown, 100) * len(people)
            dead = dibao_seen > 6 and len(people) > 1 and not deaths
            deaths += dead
            for i, (m, number) in enumerate(people):
                gone = dead and i == len(people) - 1
                civil.append(_row(family, m, number, category=category,
                                  household_key=f"320682DB{n:05d}", income=str(shown),
                                  amount=str(amount), publish="否" if dibao_seen == 9 else "是",
                                  status="死亡" if gone else "",
                                  status_date="2026-10-20" if gone else ""))
        if not unrecorded and not any(m.disability for m in family.members) and category:
            unrecorded += 1  # on the 残联 roll, no disability written on the platform
            m, number = people[0]
            disabled.append({"name": m.name, "id_number": number,
                             "township": family.row.region_path.split("/")[-1],
                             "village": family.row.village, "household_key": number + "43",
                             "disability_kind": "听力", "disability_grade": "四级",
                             "since": "2025-06-18"})
        if "jiandang" in groups:
            for m, number in people:
                poverty.append(_row(family, m, number, household_key=f"3206820{n:09d}",
                                    household_type="脱贫户", income=str(income * 12)))
        for m, number in people:
            if not m.disability:
                continue
            disabled_seen += 1
            if disabled_seen == 3:
                continue  # the 残联 roll lacks this person: "disability not on roll"
            kind = next((k for k in DISABILITY_KINDS if k in m.disability), "肢体")
            grade = next((g for g in ("一级", "二级", "三级", "四级") if g in m.disability), "三级")
            disabled.append({"name": m.name, "id_number": number,
                             "township": family.row.region_path.split("/")[-1],
                             "village": family.row.village, "household_key": number + "44",
                             "disability_kind": kind, "disability_grade": grade,
                             "since": f"{family.row.created_at:%Y-%m-%d}"})
    civil += _extra(rng, towns[1], "320682DB90001", 2, 901, category="低保", income="420",
                    amount="1180")
    poverty += _extra(rng, towns[1], "320682099000001", 3, 951, household_type="监测户",
                      income="9000")
    session = ctx.session
    session.flush()
    for user, kind, rows in ((ctx.users["org_staff_gov"], "dibao_tekun", civil),
                             (ctx.users["dept_staff"], "jiandang", poverty)):
        imports.confirm(session, actor=user, county=COUNTY, filename=f"如皋市{kind}.csv",
                        content=write(kind, rows), commit=False)
    disability_staff = ctx.staff_of.get(ctx.orgs["cl"].id)
    if disability_staff is not None and disabled:
        imports.confirm(session, actor=disability_staff, county=COUNTY,
                        filename="如皋市残疾人名册.csv", content=write("disability", disabled),
                        commit=False)
    supervisor = ctx.users["supervisor_rugao"]
    review = compare.run_review(session, actor=supervisor, county=COUNTY,
                                as_of=ctx.today - timedelta(days=1), commit=False)
    items = session.exec(select(RollReviewItem).where(
        RollReviewItem.review_id == review.id, RollReviewItem.region_path == TOWN)
        .order_by(RollReviewItem.id)).all()
    worker = ctx.users["caseworker"]
    for item in items[:3]:
        item.assignee_id = worker.id
    if items:
        flow.move(session, items[0], to="closed", by=worker, outcome="no_change",
                  note="入户核实，情况属实，台帐无需调整。")
    withheld = next((r for r in civil if r["township"] == TOWN.split("/")[-1]
                     and r.get("publish") == "是"), None)
    if withheld is not None:
        session.add(RollWithholding(
            roll_kind="dibao_tekun", county_path=COUNTY, region_path=TOWN,
            household_key=withheld["household_key"], reason="家中有未成年人需保护，暂不公示",
            withheld_by_id=worker.id))
    session.flush()
