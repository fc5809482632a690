"""The 公示 sums (what was given in a county by month and category), counted by the database,
on the demo city: they agree with a plain reading of the delivered pledges, months taken in
local time (a pledge delivered at 01:00 on 1 April in Nantong is April's, though it is still
March in UTC), a pledge with no delivery time by its creation, goods without an amount."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import select

from zhuanjie import regions
from zhuanjie.clock import local_text
from zhuanjie.models import Need, NeedPublication, Pledge, User


def test_the_sums_by_local_month_and_category_agree_with_the_pledges(demo_session,
                                                                     demo_client):
    pub = demo_session.exec(select(NeedPublication).order_by(NeedPublication.id)).first()
    need = demo_session.get(Need, pub.need_id)
    county = "/".join(need.region_path.split("/")[:2])
    donor = demo_session.exec(select(User).where(User.role == "donor")).first()
    at = [datetime(2026, 3, 31, 17, 0, tzinfo=UTC),  # 1 April, 01:00 in Nantong
          datetime(2026, 3, 31, 15, 0, tzinfo=UTC),  # 31 March, 23:00
          datetime(2025, 12, 31, 16, 30, tzinfo=UTC), None]
    for i, when in enumerate(at):
        demo_session.add(Pledge(
            publication_id=pub.id, donor_id=donor.id, kind="money", amount=Decimal(100 + i),
            status="delivered", delivered_at=when,
            created_at=datetime(2026, 2, 10, 8, 0, tzinfo=UTC)))
    demo_session.add(Pledge(publication_id=pub.id, donor_id=donor.id, kind="goods",
                            goods="冬衣两件", status="delivered", delivered_at=at[0],
                            created_at=at[0]))
    demo_session.commit()

    expected: dict[tuple[str, str], list] = defaultdict(lambda: [0, Decimal(0)])
    rows = demo_session.exec(
        select(Pledge, NeedPublication, Need)
        .join(NeedPublication, NeedPublication.id == Pledge.publication_id)
        .join(Need, Need.id == NeedPublication.need_id)
        .where(Pledge.status == "delivered")).all()
    total = [0, Decimal(0)]
    for pledge, publication, owner in rows:
        if not (owner.region_path + "/").startswith(county + "/"):
            continue
        month = local_text(pledge.delivered_at or pledge.created_at, "%Y-%m")
        line = expected[(month, publication.category)]
        line[0] += 1
        line[1] += pledge.amount or 0
        total[0] += 1
        total[1] += pledge.amount or 0
    assert ("2026-04", pub.category) in expected and ("2026-02", pub.category) in expected

    name = regions.short_name(county)
    view = demo_client.get(f"/api/v1/board/display/{name}").json()
    assert view["total_count"] == total[0] and Decimal(str(view["total_amount"])) == total[1]
    got = [(line["month"], line["category"], line["count"], Decimal(str(line["amount"])))
           for line in view["lines"]]
    assert got == sorted(((m, c, n, a) for (m, c), (n, a) in expected.items()), reverse=True)
    page = demo_client.get(f"/board/display/{name}")
    assert page.status_code == 200 and "2026-04" in page.text
