"""The data overview's copies of needs and referrals (insight_needs, insight_referrals) stay
in step with every write made through the platform: after each step of a referral's life they
equal a rebuild from scratch, and the overview's tiles move with them."""

from __future__ import annotations

from sqlalchemy import select

from tests.zhuanjie.factories import make_need, make_offer, make_user
from zhuanjie.insight import facts, service
from zhuanjie.insight.schemas import InsightPeriod
from zhuanjie.models import InsightNeed, InsightReferral, Need
from zhuanjie.referrals import flow

TOWN = "南通市/如皋市/白蒲镇"


def _copies(session) -> tuple[list, list]:
    conn = session.connection()
    return (
        [tuple(r) for r in conn.execute(select(InsightNeed.__table__).order_by("need_id"))],
        [tuple(r) for r in conn.execute(select(InsightReferral.__table__)
                                        .order_by("referral_id"))],
    )  # fmt: skip


def _in_step(session) -> tuple[list, list]:
    kept = _copies(session)
    facts.rebuild(session.connection())
    assert _copies(session) == kept
    return kept


def _tiles(session, user) -> dict:
    view = service.overview(session, user=user, period=InsightPeriod())
    return {t.key: t.value for t in view.tiles}


def test_copies_follow_a_referral_through_its_life(session):
    worker = make_user(session, "caseworker", region_path=TOWN)
    boss = make_user(session, "supervisor", region_path="南通市/如皋市")
    offer = make_offer(session)
    need = make_need(session, worker)
    session.commit()
    needs_kept, refs_kept = _in_step(session)
    assert [r[0] for r in needs_kept] == [need.id] and refs_kept == []
    assert _tiles(session, boss)["registered"] == 1

    referral = flow.open_referral(session, need=need, offer=offer, consent_id=None, by=worker)
    session.commit()
    needs_kept, refs_kept = _in_step(session)
    assert [r[0] for r in refs_kept] == [referral.id]
    assert needs_kept[0][7] is not None  # first referral sent
    assert _tiles(session, boss)["days_to_referral"] is not None

    flow.move(session, referral, to="accepted", by=worker)
    session.commit()
    _in_step(session)
    assert _tiles(session, boss)["acceptance"] == 1.0

    flow.move(session, referral, to="delivered", by=worker)
    session.commit()
    needs_kept, _ = _in_step(session)
    assert needs_kept[0][8] is not None  # first help delivered
    tiles = _tiles(session, boss)
    assert tiles["delivery_rate"] == 1.0 and tiles["days_to_delivery"] is not None


def test_a_need_moved_or_deleted_is_moved_or_deleted_in_the_copies(session):
    worker = make_user(session, "caseworker", region_path=TOWN)
    other = make_user(session, "supervisor", region_path="南通市/海安市")
    need = make_need(session, worker)
    session.commit()
    assert _tiles(session, other)["registered"] == 0
    row = session.get(Need, need.id)
    row.region_path = "南通市/海安市/城东镇"
    session.commit()
    _in_step(session)
    assert _tiles(session, other)["registered"] == 1
    session.delete(row)
    session.commit()
    assert _in_step(session) == ([], [])
    assert _tiles(session, other)["registered"] == 0


def test_a_write_the_overview_does_not_count_leaves_the_copies_alone(session):
    worker = make_user(session, "caseworker", region_path=TOWN)
    need = make_need(session, worker)
    session.commit()
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    from sqlalchemy import event

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        row = session.get(Need, need.id)
        row.best_seen_score = 0.9  # the nightly re-matching's note: not a figure
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "insight_" in s]
    _in_step(session)
