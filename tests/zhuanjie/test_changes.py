"""Change counters: a process's caches notice a change committed anywhere with one read,
refresh only what changed, and SQLite readers hold no lock. Each test runs on a database of
its own with real commits (separate sessions stand for separate processes' requests)."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

import matching
from tests.zhuanjie.conftest import BACKEND, fresh_database
from tests.zhuanjie.factories import make_offer, make_org, make_user
from zhuanjie import changes
from zhuanjie.db import get_engine, reading, session_scope
from zhuanjie.matches.engine import IndexCache
from zhuanjie.matches.excluded import ExclusionTables, nearest_excluded
from zhuanjie.migrate import upgrade
from zhuanjie.models import ChangeCounter, Offer, Organisation
from zhuanjie.offers import directory
from zhuanjie.offers import service as offers
from zhuanjie.offers.schemas import DirectoryQuery, OfferUpdate


@pytest.fixture
def url():
    with fresh_database() as db_url:
        upgrade(db_url)
        yield db_url


def _statements(url: str, action) -> tuple[object, list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, seen


def test_an_offer_edit_elsewhere_reaches_the_index_and_nothing_else_is_reloaded(url):
    cache = IndexCache()
    with session_scope(url) as s:
        staff = make_user(s, "org_staff")
        org = s.get(Organisation, staff.organisation_id)
        first = make_offer(s, org, title="大病医疗救助")
        make_offer(s, org, title="助学金")
    with Session(get_engine(url)) as s:
        index = cache.get(s)
        assert {o.title for o in index.live_offers()} == {"大病医疗救助", "助学金"}

    # Nothing changed: one read of the counters, no offer is read again.
    with Session(get_engine(url)) as s:
        _, seen = _statements(url, lambda: cache.get(s))
    assert len(seen) == 1 and "change_counters" in seen[0]

    with session_scope(url) as s:  # another process edits one offer
        offers.update_offer(s, actor=staff, offer_id=first.id,
                            data=OfferUpdate(title="重病患者自付费用救助"))
    with Session(get_engine(url)) as s:
        index, seen = _statements(url, lambda: cache.get(s))
        titles = {o.title for o in index.live_offers()}
    assert titles == {"重病患者自付费用救助", "助学金"}
    offer_reads = [q for q in seen if q.lstrip().startswith("SELECT offers.")]
    assert offer_reads and all("IN (" in q or "= " in q for q in offer_reads)

    with session_scope(url) as s:  # the organisation is suspended elsewhere
        row = s.get(Organisation, org.id)
        row.status = "suspended"
        s.add(row)
        s.commit()
    with Session(get_engine(url)) as s:
        assert cache.get(s) is None or len(cache.get(s)) == 0


def test_every_offer_write_bumps_the_counter_in_its_own_transaction(url):
    with session_scope(url) as s:
        before = s.get(ChangeCounter, "offers").version
        offer = make_offer(s)
        after = s.get(ChangeCounter, "offers").version
    assert after > before
    with session_scope(url) as s:  # a write rolled back leaves no trace
        row = s.get(Offer, offer.id)
        row.title = "改了又撤销"
        s.add(row)
        s.flush()
        s.rollback()
        assert s.get(ChangeCounter, "offers").version == after


def test_the_directory_answer_follows_a_change_committed_elsewhere(url):
    with session_scope(url) as s:
        staff = make_user(s, "org_staff")
        offer = make_offer(s, s.get(Organisation, staff.organisation_id), title="上门助餐")
    query = DirectoryQuery(q="助餐")
    with Session(get_engine(url)) as s:
        rows, total = directory.search(s, user=None, query=query)
        assert [r.title for r in rows] == ["上门助餐"]
    with Session(get_engine(url)) as s:  # cached: the counters are the only read
        (rows, total), seen = _statements(
            url, lambda: directory.search(s, user=None, query=query))
    assert len(seen) == 1 and total == 1
    with session_scope(url) as s:
        offers.update_offer(s, actor=staff, offer_id=offer.id,
                            data=OfferUpdate(title="老人上门助餐服务"))
    with Session(get_engine(url)) as s:
        rows, _ = directory.search(s, user=None, query=query)
    assert [r.title for r in rows] == ["老人上门助餐服务"]


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite locking")
def test_a_reading_request_holds_no_lock_and_may_still_write(url):
    with session_scope(url) as s:
        make_org(s, name="读者")
    path = url.removeprefix("sqlite:///")
    with Session(reading(get_engine(url)), expire_on_commit=False) as reader:
        org = reader.exec(select(Organisation)).first()  # a read transaction is open
        other = sqlite3.connect(path, timeout=0)  # a writer that will not wait
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE organisations SET description = 'x'")
        other.commit()
        other.close()
        org.description = "读请求里写的审计"  # the reading request's own write
        reader.add(org)
        reader.commit()
    with session_scope(url) as s:
        assert s.exec(select(Organisation)).first().description == "读请求里写的审计"


def _world(seed: int) -> tuple[list[matching.Offer], list[matching.Need]]:
    rng = random.Random(seed)
    places = ["南通市", "南通市/如皋市", "南通市/如皋市/白蒲镇", "南通市/海安市",
              "南通市/海安市/城东镇", "南通市/崇川区"]
    cats = ["medical", "education", "care"]
    groups = ["dibao", "tekun", "disabled"]
    day = date(2026, 12, 1)
    offers_ = []
    for i in range(400):
        offers_.append(matching.Offer(
            id=str(i + 1), title=f"项目{i}", description="帮扶", provider_type="ngo",
            provider_name="机构", categories=tuple(rng.sample(cats, rng.randint(1, 2))),
            coverage=tuple(rng.sample(places, rng.randint(1, 2))),
            eligible_groups=tuple(rng.sample(groups, rng.randint(0, 2))),
            age_min=rng.choice([None, 18, 60]), age_max=rng.choice([None, 17, 80]),
            income_ceiling=rng.choice([None, 500.0, 900.0]),
            capacity_remaining=rng.choice([None, 0, 3]), amount_per_beneficiary=None,
            mode="service", valid_from=rng.choice([None, day + timedelta(days=5)]),
            valid_until=rng.choice([None, day - timedelta(days=3), day + timedelta(days=30)]),
        ))
    needs = [matching.Need(
        id=f"n{k}", title="求助", description="", category=rng.choice(cats),
        region=rng.choice(places[2:]), groups=tuple(rng.sample(groups, rng.randint(0, 2))),
        beneficiary_age=rng.choice([None, 10, 40, 70]), household_size=3,
        income_per_capita=rng.choice([None, 400.0, 800.0, 1200.0]), urgency=2,
        amount_needed=None, created_at=day) for k in range(60)]
    return offers_, needs


def test_the_shown_excluded_offers_are_those_explaining_every_offer_would_pick(monkeypatch):
    import zhuanjie.matches.excluded as excluded

    offers_, needs = _world(3)
    index = matching.OfferIndex(offers_)
    day = date(2026, 12, 1)
    monkeypatch.setattr(excluded, "tables", ExclusionTables())
    for need in needs:
        skip = {str(i) for i in range(1, 400, 37)}
        looks_right = [o for o in index.live_offers()
                       if need.category in o.categories and o.id not in skip]
        reasons = matching.explain_exclusions(need, looks_right, as_of=day)
        expected = sorted(reasons.items(),
                          key=lambda kv: (len(kv[1]), kv[1][0].code != "capacity"))
        got = nearest_excluded(need, index, (1,), skip=skip, as_of=day, shown=6)
        assert [(k, [e.code for e in v]) for k, v in got] == [
            (k, [e.code for e in v]) for k, v in expected[:6]]


def test_the_version_log_is_pruned_and_a_process_far_behind_rebuilds(url, monkeypatch):
    monkeypatch.setattr(changes, "PRUNE_EVERY", 5)
    monkeypatch.setattr(changes, "KEEP", 10)
    with session_scope(url) as s:
        for _ in range(30):
            changes.bump(s, "offers", 1)
            s.commit()
        now = changes.versions(s)
        assert changes.since(s, "offers", 1, now) is None  # pruned: reload everything
        assert changes.since(s, "offers", now["offers"][0] - 2, now) == {1}
