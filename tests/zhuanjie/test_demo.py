"""The demo city: what a person trying the platform would notice if it were wrong."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from zhuanjie import codes
from zhuanjie.auth.passwords import verify_password
from zhuanjie.crypto import decrypt
from zhuanjie.db import UTCDateTime, get_engine, utc_now
from zhuanjie.demo import DemoError, load_demo
from zhuanjie.migrate import upgrade
from zhuanjie.models import (
    Consent,
    FollowUp,
    Household,
    Member,
    Need,
    NeedPublication,
    Offer,
    OfferRegion,
    Organisation,
    Pledge,
    Referral,
    ReferralEvent,
    User,
)
from zhuanjie.regions import counties, within
from zhuanjie.validators import (
    birth_date_from_id,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    sex_from_id,
)

CASEWORKER_TOWNS = ("南通市/如皋市/白蒲镇", "南通市/海安市/李堡镇")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One loaded demo database for the module (a load takes a few seconds)."""
    from zhuanjie.config import get_settings

    tmp = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHUANJIE_VAR_DIR", str(tmp))
        mp.delenv("ZHUANJIE_FIELD_KEY", raising=False)
        mp.delenv("ZHUANJIE_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        url = f"sqlite:///{tmp / 'demo.db'}"
        upgrade(url)
        engine = get_engine(url)
        seen: list[tuple[str, int, int]] = []
        # (how long it takes is a benchmark's business, not a test's)
        with Session(engine) as session:
            result = load_demo(session, progress=lambda *a: seen.append(a))
        with Session(engine) as session:
            yield {"engine": engine, "session": session, "result": result, "tmp": tmp,
                   "progress": seen}
        engine.dispose()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _end_read_transaction(demo):
    """The shared read session must not keep SQLite's write lock between tests."""
    yield
    demo["session"].rollback()


def _all(demo, model):
    return demo["session"].exec(select(model)).all()


def test_every_role_has_a_login_whose_password_verifies(demo):
    logins = demo["result"].logins
    assert {role for _, role, *_ in logins} == set(codes.ROLES)
    assert [u for u, *_ in logins] == [
        "admin", "supervisor", "supervisor_rugao", "caseworker", "caseworker_haian", "org_staff",
        "org_staff_gov", "donor", "dept_staff",
    ]
    users = {u.username: u for u in _all(demo, User)}
    for username, role, display, password, scope in logins:
        user = users[username]
        assert user.role == role and user.display_name == display and scope
        assert user.is_active and user.email.endswith("@example.org")
        assert verify_password(user.password_hash, password)
        assert not verify_password(user.password_hash, password + "x")
    assert len({pw for *_, pw, _ in logins}) == len(logins)
    assert users["caseworker"].region_path == CASEWORKER_TOWNS[0]
    assert users["caseworker_haian"].region_path == CASEWORKER_TOWNS[1]
    assert users["supervisor"].region_path == "南通市"
    assert users["supervisor_rugao"].region_path == "南通市/如皋市"
    orgs = {o.id: o for o in _all(demo, Organisation)}
    assert orgs[users["org_staff"].organisation_id].kind == "ngo"
    assert orgs[users["org_staff_gov"].organisation_id].kind == "government"
    assert orgs[users["donor"].organisation_id].kind == "donor"
    # a department office (乡村振兴) and a county's civil affairs bureau know their department
    assert orgs[users["dept_staff"].organisation_id].department == "poverty"
    assert orgs[users["org_staff_gov"].organisation_id].department == "civil_affairs"


def test_counts_and_progress(demo):
    counts = demo["result"].counts
    assert 190 <= counts["households"] <= 210
    assert counts["needs"] == 400
    assert counts["offers"] == 80
    assert 130 <= counts["referrals"] <= 170
    assert counts["household_members"] >= counts["households"]
    assert demo["progress"] and demo["progress"][-1][1] == demo["progress"][-1][2]


def test_organisations_of_every_kind_with_valid_credit_codes(demo):
    orgs = _all(demo, Organisation)
    assert set(Counter(o.kind for o in orgs)) == set(codes.ORG_KINDS)
    statuses = Counter(o.status for o in orgs)
    assert statuses["pending"] == 1 and statuses["suspended"] == 1
    # Private donors are people, never verified organisations.
    assert statuses["person"] == 2
    assert all(o.status == "person" and o.verified_at is None for o in orgs if o.is_person)
    assert statuses["verified"] >= 20
    for org in orgs:
        if org.credit_code:
            assert normalize_credit_code(org.credit_code) == org.credit_code
        if org.status == "verified":
            assert org.verified_at is not None
        if org.status == "suspended":
            assert org.status_reason
    assert any(o.is_person and o.kind == "donor" for o in orgs)


def test_households_spread_over_every_county(demo):
    households = _all(demo, Household)
    by_county = Counter("/".join(h.region_path.split("/")[:2]) for h in households)
    assert set(by_county) == {c.path for c in counties()}
    assert len({h.region_path for h in households}) >= 40
    for town in CASEWORKER_TOWNS:
        assert sum(h.region_path == town for h in households) >= 20
    groups = Counter(g for h in households for g in h.groups)
    assert 0.35 <= groups["dibao"] / len(households) <= 0.55
    assert set(groups) == set(codes.GROUPS)
    assert any(h.status == "transition" and h.transition_until_date for h in households)
    for h in households:
        assert h.village.endswith(("村", "社区"))
        assert normalize_phone(decrypt(h.phone_enc))
        if "tekun" in h.groups:
            assert h.income_per_capita <= 400


def test_id_numbers_valid_encrypted_and_never_in_plain_text(demo):
    members = _all(demo, Member)
    numbers, phones = [], []
    for m in members:
        number = decrypt(m.id_number_enc)
        assert normalize_id_number(number) == number
        assert number[:4] == "3206"
        assert birth_date_from_id(number) == m.birth_date
        assert sex_from_id(number) == m.sex
        assert m.id_last4 == number[-4:]
        numbers.append(number)
        if m.phone_enc:
            phones.append(decrypt(m.phone_enc))
    assert len(set(numbers)) == len(numbers)
    assert len({m.id_number_hash for m in members}) == len(members)
    blob = b"".join(p.read_bytes() for p in Path(demo["tmp"]).glob("demo.db*"))
    assert members[0].name.encode() in blob  # the bytes searched do hold the data
    assert not [n for n in numbers if n.encode() in blob]
    assert not [p for p in phones if p.encode() in blob]


def test_need_texts_are_varied_and_complete(demo):
    needs = _all(demo, Need)
    assert len({n.description for n in needs}) >= 0.95 * len(needs)
    assert len({n.title for n in needs}) >= 0.8 * len(needs)
    assert set(Counter(n.category for n in needs)) == set(codes.CATEGORIES)
    urgency = Counter(n.urgency for n in needs)
    assert urgency[1] > urgency[2] > urgency[3] > 0
    households = {h.id: h for h in _all(demo, Household)}
    members = {m.id: m for m in _all(demo, Member)}
    for n in needs:
        assert n.region_path == households[n.household_id].region_path
        assert members[n.member_id].household_id == n.household_id
        assert n.created_at.tzinfo is not None and n.last_action_at >= n.created_at
        assert "{" not in n.description and "{" not in n.title
        assert (n.status == "closed") == (n.outcome is not None) == (n.closed_at is not None)


def test_referrals_in_every_state_and_consistent(demo):
    referrals = _all(demo, Referral)
    assert {r.status for r in referrals} == set(codes.REFERRAL_STATUSES)
    assert {r.decline_reason for r in referrals if r.status == "declined"} == set(
        codes.DECLINE_REASONS)
    offers = {o.id: o for o in _all(demo, Offer)}
    coverage: dict[int, list[str]] = {}
    for row in _all(demo, OfferRegion):
        coverage.setdefault(row.offer_id, []).append(row.region_path)
    needs = {n.id: n for n in _all(demo, Need)}
    consents = {c.id: c for c in _all(demo, Consent)}
    events: dict[int, list[ReferralEvent]] = {}
    for e in _all(demo, ReferralEvent):
        events.setdefault(e.referral_id, []).append(e)
    today = date.today()
    for r in referrals:
        need, offer = needs[r.need_id], offers[r.offer_id]
        assert r.organisation_id == offer.organisation_id
        assert any(within(need.region_path, c) for c in coverage[offer.id])
        # as in referrals.service: a delivered referral keeps its place once closed
        assert r.holds_place == (r.status in ("accepted", "in_service", "delivered", "closed"))
        consent = consents[r.consent_id]
        assert consent.purpose == "referral" and consent.organisation_id == r.organisation_id
        assert set(consent.fields) <= set(codes.CONSENT_FIELDS)
        if r.status in ("sent", "accepted", "in_service", "delivered"):
            assert consent.valid_until > today
        trail = sorted(events[r.id], key=lambda e: e.id)
        assert trail[0].to_status == "sent" and trail[-1].to_status == r.status
        assert [e.at for e in trail] == sorted(e.at for e in trail)
        assert all(a.to_status == b.from_status for a, b in zip(trail, trail[1:], strict=False))
        assert r.sent_at >= need.created_at
        if r.status in ("delivered", "closed"):
            assert r.delivered_at and r.delivery_date and r.delivery_note
        if r.status == "declined":
            assert r.decline_reason in codes.DECLINE_REASONS and r.responded_at
    assert any(c.valid_until < today for c in consents.values())
    for need in needs.values():  # the rule of referrals.flow.refresh_need
        states = {"delivered" if r.delivered_at else r.status for r in referrals
                  if r.need_id == need.id}
        if need.status != "closed":
            expected = ("in_service" if states & {"accepted", "in_service", "delivered"}
                        else "referred" if "sent" in states else "open")
            assert need.status == expected


def test_places_taken_match_referrals_and_capacity(demo):
    held = Counter(r.offer_id for r in _all(demo, Referral) if r.holds_place)
    offers = _all(demo, Offer)
    for offer in offers:
        assert offer.places_taken == held[offer.id]
        assert offer.capacity is None or offer.places_taken <= offer.capacity
    statuses = Counter(o.status for o in offers)
    assert statuses["published"] >= 60 and set(statuses) == set(codes.OFFER_STATUSES)
    assert sum(o.is_programme for o in offers) >= 20


def test_demo_logins_have_work_to_look_at(demo):
    users = {u.username: u for u in _all(demo, User)}
    needs = _all(demo, Need)
    referrals = _all(demo, Referral)
    for town in CASEWORKER_TOWNS[:1]:
        assert {n.status for n in needs if n.region_path == town} == set(codes.NEED_STATUSES)
        town_needs = {n.id for n in needs if n.region_path == town}
        assert {r.status for r in referrals if r.need_id in town_needs} == set(
            codes.REFERRAL_STATUSES)
    for username in ("org_staff", "org_staff_gov"):
        org_id = users[username].organisation_id
        states = {r.status for r in referrals if r.organisation_id == org_id}
        assert {"sent", "accepted", "in_service"} <= states
        assert states & {"delivered", "closed"}
    follow = Counter(f.status for f in _all(demo, FollowUp))
    assert set(follow) == set(codes.FOLLOWUP_STATUSES)


def test_publications_are_de_identified_and_pledges_add_up(demo):
    pubs = _all(demo, NeedPublication)
    pledges = _all(demo, Pledge)
    assert pubs and {p.status for p in pledges} >= {"pending", "confirmed", "delivered"}
    needs = {n.id: n for n in _all(demo, Need)}
    members = _all(demo, Member)
    for pub in pubs:
        need = needs[pub.need_id]
        household = [m for m in members if m.household_id == need.household_id]
        for m in household:
            assert m.name not in pub.story and m.name not in pub.title
            assert decrypt(m.id_number_enc) not in pub.story
        assert len(pub.region_path.split("/")) in (2, 3)
        money = sum(p.amount for p in pledges if p.publication_id == pub.id and p.kind == "money"
                    and p.status in ("confirmed", "delivered"))
        assert pub.amount_pledged == money
        assert pub.amount_pledged <= pub.amount_goal


def test_nothing_happened_in_the_future_or_out_of_order(demo):
    now = utc_now()
    deadlines = {"respond_by_at", "expires_at", "due_at"}
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UTCDateTime) and column.name not in deadlines:
                latest = demo["session"].execute(select(func.max(column))).scalar()
                assert latest is None or latest <= now, f"{table.name}.{column.name}"
    users = {u.id: u for u in _all(demo, User)}
    for h in _all(demo, Household):
        assert users[h.created_by_id].created_at < h.created_at <= h.updated_at
    orgs = {o.id: o for o in _all(demo, Organisation)}
    for o in _all(demo, Offer):
        assert orgs[o.organisation_id].created_at <= o.created_at
        assert o.published_at is None or o.published_at >= o.created_at
        if o.created_by_id:
            assert users[o.created_by_id].created_at <= o.created_at
    for p in _all(demo, Pledge):
        assert p.decided_at is None or p.decided_at >= p.created_at


def test_same_seed_same_city(demo, tmp_path):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(url)
    engine = get_engine(url)
    queries = (
        select(Need.title, Need.description, Need.status).order_by(Need.id),
        select(Member.name, Member.birth_date).order_by(Member.id),
        select(Referral.need_id, Referral.offer_id, Referral.status).order_by(Referral.id),
    )
    with Session(engine) as session:
        again = load_demo(session)
        rows = [session.exec(q).all() for q in queries]
    assert rows == [demo["session"].exec(q).all() for q in queries]
    assert again.counts == demo["result"].counts
    assert [pw for *_, pw, _ in again.logins] != [pw for *_, pw, _ in demo["result"].logins]
    engine.dispose()


def test_loading_twice_refuses_and_keeps_the_data(demo):
    with Session(demo["engine"]) as session:
        with pytest.raises(DemoError, match="数据库中已有数据"):
            load_demo(session)
    with Session(demo["engine"]) as session:
        assert session.exec(select(func.count()).select_from(Need)).one() == 400
        assert session.exec(select(func.count()).select_from(User)).one() == demo["result"].counts[
            "users"]


def test_referrals_carry_the_deadlines_their_lifecycle_sets(demo):
    """The demo writes referrals through referrals.flow: live ones carry their deadline tasks
    (those already due before the load are settled as history), ended ones wait on nothing."""
    from zhuanjie.clock import local_time
    from zhuanjie.models import Task

    tasks: dict[int, dict[str, Task]] = {}
    for t in _all(demo, Task):
        if t.object_type == "referral":
            tasks.setdefault(t.object_id, {})[t.kind] = t
    loaded = max(r.updated_at for r in _all(demo, Referral))
    referrals = _all(demo, Referral)
    for r in referrals:
        mine = tasks.get(r.id, {})
        pending = {k for k, t in mine.items() if t.done_at is None}
        assert all(mine[k].due_at > loaded for k in pending), r.id
        if r.status == "sent":
            assert mine["referral_overdue"].due_at == r.respond_by_at
            assert pending <= {"referral_remind", "referral_overdue"}
        elif r.status in ("accepted", "in_service"):
            assert mine["delivery_overdue"].due_at == local_time(r.deliver_by_date, 18)
            assert pending <= {"delivery_remind", "delivery_overdue"}
        else:
            assert pending == set(), (r.id, r.status)
    assert any(t.done_at is None for kinds in tasks.values() for t in kinds.values())
