"""The nightly re-matching builds its engine records for a whole chunk with two queries; each
record is exactly what the one-need path builds."""

from __future__ import annotations

from sqlalchemy import event

from tests.zhuanjie.factories import make_household, make_need, make_user
from zhuanjie.matches.engine import engine_need, engine_needs


def test_a_chunk_of_records_is_the_one_need_records_in_two_queries(session):
    worker = make_user(session, "caseworker")
    shared = make_household(session, worker)
    needs = [make_need(session, worker, household=shared), make_need(session, worker,
             household=shared)] + [make_need(session, worker) for _ in range(3)]
    session.commit()
    session.expunge_all()
    from zhuanjie.models import Need

    rows = [session.get(Need, n.id) for n in needs]
    session.expunge_all()
    rows = [session.merge(r, load=False) for r in rows]
    statements = []
    engine = session.get_bind().engine

    def seen(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", seen)
    try:
        batch = engine_needs(session, rows)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 2
    assert batch == [engine_need(session, r) for r in rows]


def test_the_engine_record_carries_the_beneficiary_s_sex_from_the_id_number(session):
    # the 17th digit of the ID number is odd for a man: the engine then knows a boy's need
    # is no girls' programme's, whatever the text says (matching/beneficiary.py)
    from tests.zhuanjie.factories import valid_id

    worker = make_user(session, "caseworker")
    man = make_household(session, worker, members=[
        {"name": "王建国", "id_number": valid_id(serial=1), "relation": "head"}])
    woman = make_household(session, worker, members=[
        {"name": "王秀英", "id_number": valid_id(serial=2), "relation": "head"}])
    his, hers = make_need(session, worker, household=man), make_need(session, worker,
                                                                      household=woman)
    session.commit()
    assert engine_need(session, his).beneficiary_sex == "男"
    assert engine_need(session, hers).beneficiary_sex == "女"
