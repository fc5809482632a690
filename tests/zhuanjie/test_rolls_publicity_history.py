"""The township 公示 on the demo city reads only the households it may show: households that
left the roll long ago (kept in the table for history) change nothing on the page, while one
that left within the last three months is listed among the changes as 退出."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from zhuanjie import crypto
from zhuanjie.clock import today
from zhuanjie.models import RollEntry
from zhuanjie.rolls import publicity

TOWN = "南通市/如皋市/白蒲镇"


def _left(session, key: str, name: str, ended) -> None:
    session.add(RollEntry(
        roll_kind="dibao_tekun", county_path="南通市/如皋市", region_path=TOWN,
        village="林梓社区", household_key=key, relation="户主", is_head=True,
        name_enc=crypto.encrypt(name), id_number_hash=f"gone-{key}", category="dibao",
        household_size=1, since_date=today() - timedelta(days=2000), publish=True,
        ended_date=ended))


def _shown(sheet) -> tuple:
    return ([(r.household_key, r.name, r.people) for r in sheet.rows],
            [(c.day, c.what, c.row.household_key) for c in sheet.changes])


def test_long_gone_households_are_not_read_and_recent_leavers_are_listed(demo_session,
                                                                         demo_client):
    before = publicity.sheet(demo_session, TOWN)
    assert before.rows  # the demo township has a 公示
    page = demo_client.get("/gongshi/如皋市/白蒲镇")
    assert page.status_code == 200
    for i in range(40):
        _left(demo_session, f"OLD{i:03d}", "钱多多", today() - timedelta(days=400 + i))
    _left(demo_session, "RECENT01", "孙立新", today() - timedelta(days=10))
    demo_session.commit()

    after = publicity.sheet(demo_session, TOWN)
    rows, changes = _shown(after)
    assert rows == _shown(before)[0]
    assert changes == sorted(_shown(before)[1] + [(today() - timedelta(days=10), "退出",
                                                   "RECENT01")], key=lambda c: c[0],
                             reverse=True)
    assert not any(k.startswith("OLD") for _, _, k in changes)
    shown = demo_client.get("/gongshi/如皋市/白蒲镇").text
    assert crypto.mask_name("孙立新") in shown and crypto.mask_name("钱多多") not in shown
    assert demo_session.exec(select(RollEntry).where(
        RollEntry.household_key.like("OLD%"))).first() is not None  # kept in the table …
    read = publicity._households(demo_session, TOWN, today())
    assert not any(key.startswith("OLD") for _, _, key in read)  # … and never read
    assert any(key == "RECENT01" for _, _, key in read)
