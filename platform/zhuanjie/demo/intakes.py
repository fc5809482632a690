"""What the poverty office sent civil affairs in 白蒲镇: referrals between departments and
monitoring alerts, through intake.flow like the platform's own (received, accepted with the
household's existing need, declined), so every intake page has rows to show. No new needs:
an accepted demo intake is linked to a need its household already has."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import select

from zhuanjie import crypto
from zhuanjie.demo.base import Ctx
from zhuanjie.demo.people import CASEWORKER_TOWN
from zhuanjie.intake import flow
from zhuanjie.models import Intake, Member
from zhuanjie.validators import id_check_char

# name, village, reason, situation, income, category, urgency, days ago, signal, external id
NEWCOMERS = (
    ("朱桂兰", "顾庄社区", "脱贫户因病返贫风险高，产业和就业帮扶难以覆盖，转介申请低保",
     "户主患慢性肾病，丈夫去年去世，与一个读初中的孙子同住，无劳动能力。", "520",
     "basic_living", 2, 0.6, None, None),
    ("沈国平", "新联村", "监测户务工收入中断，申请临时救助",
     "在外务工时腰椎受伤，已半年无收入，家中两个孩子上学。", "380",
     "emergency", 3, 2.5, None, None),
    ("陆秀英", "花园村", "年满七十的独居老人，儿女均在外地，建议纳入特困供养评估",
     "本人无固定收入，仅有养老金每月 200 余元。", "230", "basic_living", 1, 9, None, None),
    ("钱立新", "龙港村", "", "住院自付医疗费用 6.2 万元，家庭无力承担。", None,
     "medical", 2, 1.2, "medical_expense", "YJ-RG-2026-1107"),
)


def _new_id(ctx: Ctx, n: int) -> str:
    taken = set(ctx.session.exec(select(Member.id_number_hash)).all())
    birth = date(1948 + n * 7, 3 + n, 10 + n)
    for serial in range(100):
        first17 = f"320682{birth:%Y%m%d}{serial:02d}{n % 10}"
        number = first17 + id_check_char(first17)
        if crypto.keyed_hash(number) not in taken:
            return number
    raise RuntimeError("no free demo ID number")


def make_intakes(ctx: Ctx) -> None:
    office, sender = ctx.orgs["fp_rg"], ctx.users["dept_staff"]
    worker = ctx.users["caseworker"]
    rows = []
    for n, (name, village, reason, situation, income, category, urgency, days, signal,
            external) in enumerate(NEWCOMERS):
        number = _new_id(ctx, n)
        intake = Intake(
            kind="alert" if signal else "referral", sender_org_id=office.id,
            sent_by_id=sender.id, external_id=external, signal=signal,
            region_path=CASEWORKER_TOWN, sent_region_path=CASEWORKER_TOWN, village=village,
            name_enc=crypto.encrypt(name),
            id_number_enc=crypto.encrypt(number), id_number_hash=crypto.keyed_hash(number),
            id_last4=number[-4:], reason=reason or "监测预警：大额医疗支出",
            situation=situation, income_per_capita=Decimal(income) if income else None,
            amount=Decimal("62000") if signal else None, category=category, urgency=urgency,
        )
        flow.open_intake(ctx.session, intake, at=ctx.ago(days=days))
        rows.append(intake)
    flow.move(ctx.session, rows[2], to="declined", by=worker, at=ctx.ago(days=7),
              reason="经入户核查，其子女有赡养能力且按月支付赡养费，暂不符合特困供养条件；"
                     "已告知可申请高龄津贴。")
    # A registered 白蒲镇 household the office referred, accepted with a need it already has.
    known = next(i for i in ctx.needs if i.family.row.region_path == CASEWORKER_TOWN
                 and i.row.status != "closed")
    head = known.family.head
    at = ctx.ago(days=12)
    intake = Intake(
        kind="referral", sender_org_id=office.id, sent_by_id=sender.id,
        region_path=known.family.row.region_path,
        sent_region_path=known.family.row.region_path, village=known.family.row.village,
        name_enc=crypto.encrypt(head.name), id_number_enc=head.id_number_enc,
        id_number_hash=head.id_number_hash, id_last4=head.id_last4,
        reason="脱贫不稳定户，家庭支出骤增，转介民政评估救助",
        situation=known.row.description[:400],
        category=known.row.category, urgency=known.row.urgency,
        household_id=known.family.row.id,
    )
    flow.open_intake(ctx.session, intake, at=at)
    flow.move(ctx.session, intake, to="accepted", by=worker, at=at + timedelta(hours=20),
              household_id=known.family.row.id, need_id=known.row.id)
