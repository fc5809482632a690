"""Every main page reads the database a fixed, small number of times, whatever the data: the
demo city is loaded, each user signs in, and each page is requested twice (the first fills
the per-process caches); the second request's SQL statements are counted and must stay
within the page's budget. An N+1 (one query per row shown) breaks the budget at once: the
demo's lists show dozens of rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from tests.zhuanjie.conftest import fresh_database
from zhuanjie.db import READING_METHODS, get_engine, get_session, reading
from zhuanjie.main import create_app
from zhuanjie.migrate import upgrade
from zhuanjie.models import Household, Need, Referral, User

# Statements per request after the first (transaction control not counted), rendering the
# page (the page cache off): what the pages took on 2026-12-02 (branch pagespeed) plus one.
# Signing in is one of them: the session's or token's user with the unread badge in one
# statement.
BUDGET = {
    # The start page's 今日待办 (issue 17): one read per kind of due item (six for a
    # caseworker, two for organisation staff), and the next best match of every declined or
    # overdue referral listed in five (change counters, referral history, households,
    # members, offers), however many are listed.
    ("caseworker", "/"): 14,
    ("supervisor", "/"): 3,
    ("admin", "/"): 3,
    # Organisation staff's organisation (its status for the policy's check, its department
    # for the navigation) is read with the sign-in (homethin, 2026-12-02).
    ("org_staff", "/"): 5,
    ("donor", "/"): 4,
    ("caseworker", "/directory"): 3,
    (None, "/directory"): 2,
    (None, "/board"): 2,
    ("donor", "/board"): 2,
    ("caseworker", "need"): 8,
    ("caseworker", "matches"): 9,
    # The household page lists its recorded changes, needs and programmes (issue 17): one read
    # each.
    ("caseworker", "household"): 7,
    ("caseworker", "/referrals"): 6,
    ("caseworker", "referral"): 8,
    # the inbox's box counts; the organisation's department for the navigation (issue 18)
    # comes with the sign-in
    ("org_staff", "/referrals"): 8,
    ("org_staff", "referral"): 10,
    ("supervisor", "/reports"): 9,
}


@dataclass
class Demo:
    url: str
    logins: dict[str, tuple[str, str]]  # role -> (username, password)


@pytest.fixture(scope="module")
def demo(database_url: str) -> Iterator[Demo]:
    from zhuanjie.demo import load_demo

    with fresh_database() as url:
        upgrade(url)
        with Session(get_engine(url), expire_on_commit=False) as s:
            result = load_demo(s)
        logins: dict[str, tuple[str, str]] = {}
        for username, role, _name, password, _scope in result.logins:
            logins.setdefault(role, (username, password))
        yield Demo(url, logins)


def _client(url: str, *, page_cache: bool = False) -> TestClient:
    """The page cache is off unless asked for: the budgets are what rendering a page costs."""
    import os

    before = os.environ.get("ZHUANJIE_PAGE_CACHE")
    os.environ["ZHUANJIE_PAGE_CACHE"] = "1" if page_cache else "0"
    try:
        app = create_app()
    finally:
        if before is None:
            os.environ.pop("ZHUANJIE_PAGE_CACHE")
        else:
            os.environ["ZHUANJIE_PAGE_CACHE"] = before

    def request_session(request: Request) -> Iterator[Session]:
        engine = get_engine(url)
        if request.method in READING_METHODS:
            engine = reading(engine)
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = request_session
    return TestClient(app)


def _signed_in(demo: Demo, role: str | None, *, page_cache: bool = False) -> TestClient:
    client = _client(demo.url, page_cache=page_cache)
    if role is not None:
        username, password = demo.logins[role]
        response = client.post("/login", data={"username": username, "password": password},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
    return client


def _statements(demo: Demo, client: TestClient, path: str) -> list[str]:
    assert client.get(path).status_code == 200, path  # fills the caches
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
                                                      "RELEASE")):
            seen.append(statement)

    engine = get_engine(demo.url)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, (path, response.text[:300])
    return seen


def _paths(demo: Demo) -> dict[str, str]:
    """A need, household and referral of the demo caseworker; a referral to the demo
    organisation user's organisation."""
    with Session(get_engine(demo.url)) as s:
        worker = s.exec(select(User).where(User.username == demo.logins["caseworker"][0])).one()
        staff = s.exec(select(User).where(User.username == demo.logins["org_staff"][0])).one()
        referral = s.exec(
            select(Referral).join(Need, Need.id == Referral.need_id)
            .where(Need.region_path.startswith(worker.region_path)).order_by(Referral.id)
        ).first()
        need = s.get(Need, referral.need_id)
        household = s.get(Household, need.household_id)
        inbox = s.exec(
            select(Referral).where(Referral.organisation_id == staff.organisation_id)
            .order_by(Referral.id)
        ).first()
    return {
        "need": f"/needs/{need.id}",
        "matches": f"/needs/{need.id}/matches",
        "household": f"/households/{household.id}",
        "referral": f"/referrals/{referral.id}",
        "org_referral": f"/referrals/{inbox.id}",
    }


@pytest.mark.parametrize(("role", "page"), list(BUDGET), ids=[f"{r}:{p}" for r, p in BUDGET])
def test_each_main_page_stays_within_its_query_budget(demo, role, page):
    paths = _paths(demo)
    path = paths.get("org_referral" if (role, page) == ("org_staff", "referral") else page, page)
    client = _signed_in(demo, role)
    seen = _statements(demo, client, path)
    budget = BUDGET[(role, page)]
    shown = "\n".join(s.split("\n")[0][:120] for s in seen)
    assert len(seen) <= budget, f"{path} as {role}: {len(seen)} statements > {budget}\n{shown}"


# The pages the response cache serves (zhuanjie.pagecache): a repeated request is one read of
# the change counters, whoever asks.
CACHED = [("caseworker", "/"), ("caseworker", "need"), ("caseworker", "matches"),
          ("caseworker", "/directory"), (None, "/directory"), (None, "/board"),
          ("caseworker", "api_matches")]


@pytest.mark.parametrize(("role", "page"), CACHED, ids=[f"{r}:{p}" for r, p in CACHED])
def test_a_page_served_from_the_cache_reads_the_database_once(demo, role, page):
    paths = _paths(demo)
    path = paths.get(page, page)
    if page == "api_matches":
        path = "/api/v1" + paths["matches"]
    client = _signed_in(demo, role, page_cache=True)
    seen = _statements(demo, client, path)
    assert len(seen) == 1 and "change_counters" in seen[0], seen
