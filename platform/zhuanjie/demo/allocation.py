"""The demo's 统筹分配: one draft run of the 如皋 supervisor, so /allocation lists a run and
/allocation/{id} shows a real proposal (who gets which place and why, against first-come).
Nothing is confirmed: no proposal waits in a queue and no place is promised. (The demo's
offers have more places than 如皋's open needs, so nobody is left out here; the tests and
bench/bench_allocation.py make places scarce.)"""

from __future__ import annotations

from zhuanjie.allocation import service as allocation
from zhuanjie.demo.base import Ctx
from zhuanjie.errors import Invalid
from zhuanjie.models import AllocationRun

COUNTY = "南通市/如皋市"
CATEGORIES = ("care", "medical", "basic_living")  # the first with limited offers in 如皋


def make_allocation(ctx: Ctx) -> None:
    boss = ctx.users["supervisor_rugao"]
    for category in CATEGORIES:
        run = AllocationRun(region_path=COUNTY, category=category, created_by_id=boss.id,
                            created_at=ctx.ago(hours=3), updated_at=ctx.ago(hours=3))
        ctx.session.add(run)
        ctx.session.flush()
        try:
            allocation.compute(ctx.session, run)
        except Invalid:
            ctx.session.delete(run)
            ctx.session.flush()
            continue
        return
