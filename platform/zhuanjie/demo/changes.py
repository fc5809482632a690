"""Households as they change: a son who found work (income up, review due), a member who
moved away (removed with the reason), so the household page and 今日待办 show both."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlmodel import select

from zhuanjie.demo.base import Ctx
from zhuanjie.models import Consent, HouseholdChange, Need

TOWN = "南通市/如皋市/白蒲镇"  # the demo caseworker's


def make_household_changes(ctx: Ctx) -> None:
    families = [f for f in ctx.families if f.row.region_path == TOWN]
    named = set(ctx.session.exec(select(Consent.member_id)).all()) | set(
        ctx.session.exec(select(Need.member_id)).all())
    rows = []
    earner = next((f for f in families if f.row.income_per_capita and len(f.members) >= 2), None)
    if earner is not None:
        at = ctx.ago(days=2, hours=3)
        before = earner.row.income_per_capita
        after = (before + Decimal("380")).quantize(Decimal("1"))
        rows.append(HouseholdChange(
            household_id=earner.row.id, kind="work", income_before=before, income_after=after,
            note="儿子在镇上电子厂找到工作，月工资约3000元，家庭人均收入上升。",
            recorded_by_id=earner.caseworker.id, recorded_at=at))
        earner.row.income_per_capita = after
        earner.row.next_review_date = (at + timedelta(hours=8)).date()
        ctx.session.add(earner.row)
    adults = ((f, m) for f in families if f is not earner and len(f.members) >= 3
              for i, m in enumerate(f.members) if i and f.ages.get(i, 0) >= 18
              and m.id not in named)
    leaver, member = next(adults, (None, None))
    if leaver is not None:
        at = ctx.ago(days=5, hours=1)
        member.removed_at, member.removed_by_id = at, leaver.caseworker.id
        member.removed_reason = "外出务工，户籍迁至苏州"
        member.id_number_hash = None
        rows.append(HouseholdChange(
            household_id=leaver.row.id, kind="member_left", member_id=member.id,
            note=f"{member.name}：外出务工，户籍迁至苏州",
            income_before=leaver.row.income_per_capita, income_after=leaver.row.income_per_capita,
            recorded_by_id=leaver.caseworker.id, recorded_at=at))
        leaver.row.next_review_date = min(leaver.row.next_review_date or ctx.today, ctx.today)
        ctx.session.add_all([member, leaver.row])
    ctx.session.add_all(rows)
    ctx.session.flush()
