"""应享未享 in the demo city.

Most households already receive what they qualify for: the entitlements are recorded for
nine findings in ten, then the job runs for real on what is left, and the demo caseworker
has already worked her township's first three findings.
"""

from __future__ import annotations

from datetime import timedelta

from zhuanjie.codes import UnclaimedStatus
from zhuanjie.demo.base import Ctx
from zhuanjie.demo.people import CASEWORKER_TOWN
from zhuanjie.models import Entitlement
from zhuanjie.unclaimed import flow
from zhuanjie.unclaimed import jobs as unclaimed_jobs

RECEIVED_SHARE = 0.9
WORKED = (
    (UnclaimedStatus.APPLIED, "已陪同户主到镇社会救助窗口递交申请"),
    (UnclaimedStatus.REFUSED, "经核对家庭财产超出规定，申请未获批"),
    (UnclaimedStatus.NOT_WANTED, "户主表示暂不需要"),
)


def make_unclaimed(ctx: Ctx) -> None:
    rng, session = ctx.rng, ctx.session
    offers = {o.row.id: o for o in ctx.offers}
    received = []
    for household_id, offer_id in sorted(unclaimed_jobs.scan(session)):
        if rng.random() < RECEIVED_SHARE:
            info = offers[offer_id]
            received.append(Entitlement(
                household_id=household_id, programme=info.row.title[:60],
                category=info.cats[0], offer_id=offer_id,
                since_date=ctx.today - timedelta(days=rng.randint(60, 1500)),
            ))
    ctx.add_all(received)
    rows = flow.refresh(session, unclaimed_jobs.scan(session), at=ctx.now - timedelta(days=2))
    ours = sorted((r for r in rows if r.region_path == CASEWORKER_TOWN), key=lambda r: r.id)
    for row, (outcome, note) in zip(ours, WORKED, strict=False):
        flow.move(session, row, to=outcome, by=ctx.users["caseworker"], note=note,
                  at=ctx.now - timedelta(days=1))
    ctx.report("应享未享线索", len(rows), len(rows))
