"""A believable Nantong in an empty database: `load_demo(session)`.

Everything but the passwords follows from the seed. The load adds and flushes in batches and
commits once at the end, so a failure leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from zhuanjie.db import utc_now
from zhuanjie.demo import (
    aftercare,
    allocation,
    changes,
    flow,
    intakes,
    papers,
    people,
    rolls,
    unclaimed,
)
from zhuanjie.demo.base import Ctx, Progress
from zhuanjie.models import Household, User
from zhuanjie.regions import sync_regions

__all__ = ["DemoError", "DemoResult", "load_demo"]


class DemoError(RuntimeError):
    """The demo cannot be loaded (the database is not empty)."""


@dataclass
class DemoResult:
    # (username, role, display name, password, scope in Chinese); the caller prints these once
    logins: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # table name → rows


def load_demo(
    session: Session, *, seed: int = 2017, progress: Progress | None = None
) -> DemoResult:
    """Fill an empty database with a demo city and commit once; refuse if it holds data."""
    for model in (User, Household):
        if session.exec(select(func.count()).select_from(model)).one():
            raise DemoError("数据库中已有数据（用户或家庭），演示数据只能载入空数据库。")
    ctx = Ctx(session=session, seed=seed, now=utc_now(), progress=progress)
    steps = (
        ("organisations", people.make_organisations), ("users", people.make_users),
        ("offers", flow.make_offers), ("households", people.make_households),
        ("needs", flow.make_needs), ("referrals", flow.make_referrals),
        ("consents", aftercare.expire_one_consent), ("follow_ups", aftercare.make_follow_ups),
        ("intakes", intakes.make_intakes),
        ("household_changes", changes.make_household_changes),
        ("tasks", aftercare.settle_past_tasks), ("papers", papers.make_papers),
        ("publications", aftercare.make_publications),
        ("notifications", aftercare.make_notifications), ("audit", aftercare.make_audit),
        ("unclaimed", unclaimed.make_unclaimed),
        ("allocation", allocation.make_allocation),
        ("rolls", rolls.make_rolls),
    )
    try:
        sync_regions(session)
        ctx.report("行政区划", 1, 1)
        logins: list[tuple[str, str, str, str, str]] = []
        for name, step in steps:
            ctx.stage(name)
            done = step(ctx)
            if name == "users":
                logins = done  # the only step with something to hand back
                ctx.report("机构与用户", 1, 1)
        session.flush()
        counts = {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }
        session.commit()
    except BaseException:
        session.rollback()
        raise
    ctx.report("完成", 1, 1)
    return DemoResult(logins=logins, counts={k: v for k, v in counts.items() if v})
