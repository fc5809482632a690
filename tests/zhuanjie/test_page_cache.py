"""The page cache (zhuanjie.pagecache) and the coarse change counters behind it: every table
is counted or deliberately excluded, writes however issued move the counters, and a change
made through one `serve` process is seen by another on its very next request."""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import timedelta

import httpx
from sqlalchemy import text, update
from sqlmodel import SQLModel, select

from tests.zhuanjie.conftest import fresh_database
from tests.zhuanjie.factories import make_household, make_need, make_offer, make_org, make_user
from tests.zhuanjie.test_replicas import _serve
from zhuanjie import changes, pagecache
from zhuanjie.auth import service as auth
from zhuanjie.clock import today
from zhuanjie.db import session_scope, utc_now
from zhuanjie.migrate import upgrade
from zhuanjie.models import AuditEntry, Member, Need, UserSession

EDIT = {"category": "medical", "title": "透析费用和交通费", "urgency": 2, "amount_needed": "8000",
        "description": "户主患尿毒症，每周透析三次，自付部分和往返交通费难以承担。"}

# Tables whose writes change nothing a cached page shows. Adding one here is a decision.
EXCLUDED = {"audit_log", "login_throttles", "change_counters", "change_log", "job_runs", "tasks",
            "alembic_version"}
FINER = {"offers": "offers", "offer_categories": "offers", "offer_regions": "offers",
         "offer_groups": "offers", "organisations": "organisations", "regions": "regions",
         "need_publications": "board", "pledges": "board", "consents": "board",
         "users": "accounts", "user_sessions": "accounts", "api_tokens": "accounts"}


def _version(session, kind: str) -> int:
    return session.connection().execute(
        text("SELECT version FROM change_counters WHERE name = :k"), {"k": kind}
    ).scalar_one()


def test_every_table_is_counted_or_deliberately_excluded():
    assert changes.EXCLUDED_TABLES == EXCLUDED
    for table in SQLModel.metadata.tables:
        expected = None if table in EXCLUDED else FINER.get(table, "casework")
        assert changes.table_kind(table) == expected, table
    # A table nobody has thought about yet is casework, not nothing.
    assert changes.table_kind("a_table_added_tomorrow") == "casework"


def test_writes_outside_the_orm_move_the_counters_and_touches_do_not(session):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    plain = auth.start_session(session, user=worker)
    before = {k: _version(session, k) for k in ("casework", "accounts")}

    # A Core UPDATE on the session's connection, committed: casework moves.
    session.connection().execute(
        update(Need.__table__).where(Need.__table__.c.id == need.id).values(title="改过的标题")
    )
    session.commit()
    assert _version(session, "casework") == before["casework"] + 1
    assert _version(session, "accounts") == before["accounts"]

    # Raw driver SQL too.
    session.connection().exec_driver_sql(f"UPDATE needs SET urgency = 3 WHERE id = {need.id}")
    session.commit()
    assert _version(session, "casework") == before["casework"] + 2

    # The last-seen touch is not a change of accounts; signing out is.
    session.execute(
        update(UserSession).values(last_seen_at=utc_now())
        .execution_options(synchronize_session=False, **{changes.TOUCH_OPTION: True})
    )
    session.commit()
    assert _version(session, "accounts") == before["accounts"]
    auth.sign_out(session, plain=plain)
    assert _version(session, "accounts") == before["accounts"] + 1

    # A rolled-back write counts nothing.
    casework = _version(session, "casework")
    session.connection().exec_driver_sql(f"UPDATE needs SET urgency = 1 WHERE id = {need.id}")
    session.rollback()
    assert _version(session, "casework") == casework


def test_a_cached_need_page_follows_an_edit_and_is_nobody_elses(session, login):
    worker = make_user(session, "caseworker")
    other = make_user(session, "caseworker", region_path="南通市/海门区")
    need = make_need(session, worker)
    client = login(worker)
    first = client.get(f"/needs/{need.id}")
    assert first.status_code == 200 and "尿毒症透析费用负担重" in first.text
    assert client.get(f"/needs/{need.id}").text == first.text
    assert pagecache.stats()["entries"] >= 1

    edited = client.put(f"/api/v1/needs/{need.id}", json=EDIT)
    assert edited.status_code == 200, edited.text
    again = client.get(f"/needs/{need.id}")
    assert "透析费用和交通费" in again.text and "尿毒症透析费用负担重" not in again.text

    # Someone else asking for the same address gets their own answer, not the cached page.
    login(other)
    refused = client.get(f"/needs/{need.id}")
    assert refused.status_code in (403, 404)
    assert "透析费用和交通费" not in refused.text


def test_a_reveal_is_never_cached_and_is_logged_every_time(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker)
    member = session.exec(select(Member).where(Member.household_id == household.id)).one()
    client = login(worker)
    path = f"/households/{household.id}/members/{member.id}/reveal"
    for _ in range(2):
        shown = client.post(path, data={"field": "id_number"})
        assert shown.status_code == 200
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.action == "reveal_id_number")
    ).all()
    assert len(entries) == 2


def test_a_page_is_not_served_to_a_signed_out_browser(session, login):
    worker = make_user(session, "caseworker")
    client = login(worker)
    assert "经办工作台" in client.get("/").text
    assert "经办工作台" in client.get("/").text
    client.post("/logout")
    assert "经办工作台" not in client.get("/").text


# --- two processes sharing only the database ----------------------------------------------------


def _figure(page: str, label: str) -> int:
    found = re.search(r"<strong>(\d+)</strong><span>" + label, page)
    assert found, page[:2000]
    return int(found.group(1))


def test_a_change_through_one_process_is_seen_by_the_other_at_once():
    with fresh_database() as url, ExitStack() as stack:
        upgrade(url)
        with session_scope(url) as s:
            worker = make_user(s, "caseworker")
            org = make_org(s, name="如皋市红十字会")
            staff = make_user(s, "org_staff", organisation_id=org.id)
            offer = make_offer(s, org, coverage=("南通市/如皋市",), title="大病医疗救助")
            need = make_need(s, worker)
            member = s.exec(select(Member).where(Member.household_id == need.household_id)).one()
            reader = auth.issue_token(s, user=worker)
            writer = auth.issue_token(s, user=staff)
            worker_name = worker.username
        one, other = _serve(url, stack), _serve(url, stack)
        as_worker = {"Authorization": f"Bearer {reader}"}
        as_staff = {"Authorization": f"Bearer {writer}"}

        def get(base: str, path: str, headers=as_worker) -> httpx.Response:
            response = httpx.get(base + path, headers=headers, timeout=60)
            assert response.status_code == 200, (path, response.status_code, response.text[:500])
            return response

        pages = [f"/needs/{need.id}", f"/needs/{need.id}/matches",
                 f"/api/v1/needs/{need.id}/matches", "/"]
        for _ in range(2):  # cached by the second round
            for path in pages:
                get(other, path)
            assert "大病医疗救助" in get(other, "/directory", {}).text  # anonymous
        home = get(other, "/").text
        assert _figure(home, "等待回复的转介") == 0

        # A need edited through one: the other's need page shows it.
        response = httpx.put(f"{one}/api/v1/needs/{need.id}", headers=as_worker, timeout=60,
                             json=EDIT)
        assert response.status_code == 200, response.text
        assert "透析费用和交通费" in get(other, f"/needs/{need.id}").text

        # An offer changed through one: the other's match page and API rank the new text.
        response = httpx.patch(f"{one}/api/v1/offers/{offer.id}", headers=as_staff, timeout=60,
                               json={"title": "重病患者透析救助"})
        assert response.status_code == 200, response.text
        assert "重病患者透析救助" in get(other, f"/needs/{need.id}/matches").text
        ranked = get(other, f"/api/v1/needs/{need.id}/matches").json()["ranked"]
        assert [r["title"] for r in ranked] == ["重病患者透析救助"]
        listed = get(other, "/directory", {}).text
        assert "重病患者透析救助" in listed and "大病医疗救助" not in listed

        # A referral sent through one: the other's home page counts it.
        body = {"offer_id": offer.id, "note": "急需透析费用",
                "consent": {"member_id": member.id, "fields": ["name", "phone", "need_text"],
                            "valid_until": str(today() + timedelta(days=60))}}
        sent = httpx.post(f"{one}/api/v1/needs/{need.id}/referrals", headers=as_worker,
                          json=body, timeout=60)
        assert sent.status_code == 201, sent.text
        assert _figure(get(other, "/").text, "等待回复的转介") == 1

        # A browser signed in through one, its page cached by the other; signing out through
        # one ends it on the other at its next request.
        browser = httpx.Client(base_url=one, headers={"Origin": one}, timeout=60)
        signed = browser.post("/login", data={"username": worker_name,
                                              "password": "secret-pass-1"})
        assert signed.status_code in (200, 303), signed.text
        cookies = dict(browser.cookies)
        for _ in range(2):
            page = httpx.get(other + "/", cookies=cookies, timeout=60)
            assert "经办工作台" in page.text
        assert browser.post("/logout").status_code in (200, 303)
        after = httpx.get(other + "/", cookies=cookies, timeout=60)
        assert "经办工作台" not in after.text

        # A token revoked through one is refused by the other at once.
        security = get(one, "/api/v1/account/security", as_worker).json()
        mine = [t["id"] for t in security["tokens"] if reader.startswith(t["prefix"])]
        assert len(mine) == 1
        gone = httpx.delete(f"{one}/api/v1/account/tokens/{mine[0]}", headers=as_worker,
                            timeout=60)
        assert gone.status_code == 204, gone.text
        refused = httpx.get(f"{other}/api/v1/needs/{need.id}/matches", headers=as_worker,
                            timeout=60)
        assert refused.status_code == 401
