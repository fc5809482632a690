"""Accounts and sessions (issue 12): each test performs the attack or the misuse over HTTP and
shows it refused. Real database (SQLite, or PostgreSQL with ZHUANJIE_TEST_DATABASE)."""

from __future__ import annotations

import base64
import hashlib
import inspect
import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, select

from tests.zhuanjie.factories import PASSWORD, make_user
from zhuanjie import clock
from zhuanjie.config import get_settings
from zhuanjie.db import get_engine, utc_now
from zhuanjie.models import ApiToken, AuditEntry, LoginThrottle, User, UserSession

ORIGIN = {"Origin": "http://testserver"}  # what a browser sends with a form of this site
NEW_PASSWORD = "Qing-shan-2026"


def _browser(app, address: str = "testclient") -> TestClient:
    return TestClient(app, headers=ORIGIN, client=(address, 50000))


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, **kw):
    return client.post("/login", data={"username": username, "password": password},
                       follow_redirects=False, **kw)


def _token(client: TestClient, username: str, password: str = PASSWORD, **extra):
    return client.post("/api/v1/auth/token",
                       json={"username": username, "password": password, **extra})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _signed_in(client: TestClient, path: str = "/households") -> bool:
    response = client.get(path, follow_redirects=False)
    assert response.status_code in (200, 303), response.status_code
    return response.status_code == 200


def _audit(session, action: str) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


# --- brute force ------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_on_the_page_and_the_token_endpoint(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    for _ in range(3):
        assert _sign_in(browser, user.username, "wrong-Guess-1").status_code == 400
    for _ in range(2):  # the token endpoint counts against the same account
        assert _token(browser, user.username, "wrong-Guess-2").status_code == 401

    locked = _sign_in(browser, user.username, PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text and "15 分钟后再试" in locked.text
    assert 'id="err-password"' in locked.text and int(locked.headers["Retry-After"]) > 800
    api = _token(browser, user.username, PASSWORD)
    assert api.status_code == 429 and "登录失败次数过多" in api.json()["detail"]
    assert "Retry-After" in api.headers
    assert not _signed_in(browser)

    (lock,) = _audit(session, "login_locked")
    assert lock.actor_id == user.id and lock.detail["scope"] == "account"
    assert lock.ip == "testclient"

    with clock.frozen(utc_now() + timedelta(minutes=16)):  # the lock has run out
        assert _sign_in(browser, user.username, PASSWORD).status_code == 303
        assert _signed_in(browser)


def test_an_unknown_username_is_locked_too_and_says_nothing_different(app, session):
    browser = _browser(app)
    known = make_user(session, "caseworker")
    unknown = _sign_in(browser, "nobody_here", "wrong-Guess-1")
    wrong = _sign_in(browser, known.username, "wrong-Guess-1")
    assert unknown.status_code == wrong.status_code == 400
    assert "用户名或密码不正确" in unknown.text and "用户名或密码不正确" in wrong.text
    for _ in range(4):
        _sign_in(browser, "nobody_here", "wrong-Guess-1")
    assert _sign_in(browser, "nobody_here", "wrong-Guess-1").status_code == 429


def test_many_accounts_tried_from_one_address_lock_the_address(app, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "login_max_failures_per_address", 4)
    victim = make_user(session, "caseworker")
    attacker = _browser(app, "203.0.113.7")
    for n in range(4):  # a spray: one guess per account, never five on one
        assert _sign_in(attacker, f"user{n}", "Spray-pass-1").status_code == 400
    refused = _sign_in(attacker, victim.username, PASSWORD)
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text
    assert _token(attacker, victim.username, PASSWORD).status_code == 429
    (lock,) = _audit(session, "login_locked")
    assert lock.detail == lock.detail | {"scope": "address", "key": "203.0.113.7"}
    assert lock.ip == "203.0.113.7"
    # Someone at another address is not affected.
    assert _sign_in(_browser(app, "198.51.100.2"), victim.username, PASSWORD).status_code == 303


def test_an_unknown_username_costs_one_verification_like_a_known_one(app, session, monkeypatch):
    """No timing assertion: count the Argon2 verifications each attempt makes, and check the
    dummy hash costs what a real one does (same memory, time and parallelism)."""
    known = make_user(session, "caseworker")
    no_password = make_user(session, "caseworker", password_hash="!")  # demo colleagues
    seen: list[str] = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, hash, password):
        seen.append(hash if isinstance(hash, str) else hash.decode())
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    browser = _browser(app)
    for username in (known.username, "nobody_at_all", no_password.username):
        before = len(seen)
        assert _sign_in(browser, username, "wrong-Guess-1").status_code == 400
        assert len(seen) - before == 1, username
    real, dummy, dummy_again = (extract_parameters(h) for h in seen)
    assert dummy == real and dummy_again == real


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("Short-1", "密码至少10位"),
        ("onlylowercaseletters", "至少三类"),
        ("Password123!", "常见密码"),
        ("P@ssw0rd123", "常见密码"),
    ],
)
def test_a_weak_new_password_is_refused_beside_the_field(app, session, weak, message):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    _sign_in(browser, user.username)
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": weak, "confirm_password": weak})
    assert response.status_code == 422
    assert 'id="err-new_password"' in response.text and message in response.text
    browser.post("/logout")
    assert _sign_in(browser, user.username, weak).status_code == 400  # nothing changed
    api = _token(browser, user.username)
    change = browser.post("/api/v1/account/password", headers=_bearer(api.json()["token"]),
                          json={"current_password": PASSWORD, "new_password": weak})
    assert change.status_code == 422
    assert change.json()["detail"][0]["loc"] == ["body", "new_password"]


def test_a_password_holding_the_username_or_the_wrong_current_one_is_refused(app, session):
    user = make_user(session, "caseworker", username="qingshan")
    browser = _browser(app)
    _sign_in(browser, user.username)
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "Qingshan-2026",
        "confirm_password": "Qingshan-2026"})
    assert response.status_code == 422 and "不能包含用户名" in response.text
    response = browser.post("/account/password", data={
        "current_password": "not-mine-1A", "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert response.status_code == 422
    assert 'id="err-current_password">当前密码不正确' in response.text


def test_passwords_set_by_admins_and_at_signup_follow_the_policy(app, session):
    admin = make_user(session, "admin")
    browser = _browser(app)
    _sign_in(browser, admin.username)
    made = browser.post("/admin/users/new", data={
        "username": "weakling", "display_name": "弱", "password": "12345678abc",
        "role": "donor"})
    assert made.status_code == 400 and 'id="err-password"' in made.text
    assert session.exec(select(User).where(User.username == "weakling")).first() is None
    donor = _browser(app).post("/donor/register", data={
        "donor_type": "person", "display_name": "王", "username": "weak_donor",
        "password": "qwerty123456"}, follow_redirects=False)
    assert donor.status_code == 400 and "至少三类" in donor.text


def test_changing_ones_password_ends_every_other_session_and_every_token(app, session):
    user = make_user(session, "caseworker")
    here, elsewhere = _browser(app), _browser(app)
    _sign_in(here, user.username)
    _sign_in(elsewhere, user.username)
    token = _token(here, user.username).json()["token"]

    changed = here.post("/account/password", follow_redirects=False, data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303
    assert _signed_in(here)  # this browser continues, with a fresh session
    assert not _signed_in(elsewhere)
    assert here.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert _sign_in(_browser(app), user.username, PASSWORD).status_code == 400
    assert _sign_in(_browser(app), user.username, NEW_PASSWORD).status_code == 303
    assert len(_audit(session, "password_changed")) == 1


def test_changing_ones_password_through_the_api(app, session):
    user = make_user(session, "supervisor")
    client = TestClient(app)
    token = _token(client, user.username).json()["token"]
    response = client.post("/api/v1/account/password", headers=_bearer(token),
                           json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 200 and "已失效" in response.json()["detail"]
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    fresh = _token(client, user.username, NEW_PASSWORD)
    assert fresh.status_code == 201
    assert client.get("/api/v1/me", headers=_bearer(fresh.json()["token"])).status_code == 200


def test_an_admin_reset_forces_a_change_at_the_next_sign_in(app, session):
    admin = make_user(session, "admin")
    user = make_user(session, "caseworker")
    old_browser = _browser(app)
    _sign_in(old_browser, user.username)
    old_token = _token(old_browser, user.username).json()["token"]

    admin_browser = _browser(app)
    _sign_in(admin_browser, admin.username)
    reset = admin_browser.post(f"/admin/users/{user.id}/reset-password")
    assert reset.status_code == 200 and reset.headers["cache-control"] == "no-store"
    temporary = reset.text.split('id="temporary-password">')[1].split("<")[0]
    assert len(temporary) >= 10
    # Whatever the user had is gone at once.
    assert not _signed_in(old_browser)
    assert old_browser.get("/api/v1/me", headers=_bearer(old_token)).status_code == 401
    assert _sign_in(_browser(app), user.username, PASSWORD).status_code == 400

    browser = _browser(app)
    signed = _sign_in(browser, user.username, temporary)
    assert signed.status_code == 303 and signed.headers["location"] == "/account/password"
    detour = browser.get("/households", follow_redirects=False)
    assert detour.status_code == 303 and detour.headers["location"] == "/account/password"
    assert "管理员已重置您的密码" in browser.get("/account/password").text
    api_token = _token(browser, user.username, temporary).json()["token"]
    refused = browser.get("/api/v1/households", headers=_bearer(api_token))
    assert refused.status_code == 403 and "请先修改密码" in refused.json()["detail"]

    browser.post("/account/password", data={"current_password": temporary,
                                            "new_password": NEW_PASSWORD,
                                            "confirm_password": NEW_PASSWORD})
    assert _signed_in(browser)
    assert session.get(User, user.id).must_change_password is False
    (entry,) = _audit(session, "password_reset")
    assert entry.actor_id == admin.id and entry.object_id == user.id


def test_only_admins_reset_or_deactivate(app, session):
    supervisor = make_user(session, "supervisor")
    other = make_user(session, "caseworker")
    browser = _browser(app)
    _sign_in(browser, supervisor.username)
    assert browser.post(f"/admin/users/{other.id}/reset-password").status_code == 403
    assert browser.post(f"/admin/users/{other.id}/deactivate").status_code == 403
    assert session.get(User, other.id).is_active
    assert _sign_in(_browser(app), other.username).status_code == 303


def test_the_demo_logins_still_work_as_printed(live_server):
    """Demo passwords predate the policy; they sign in and are not sent to change them."""
    import httpx

    for username, password in live_server.logins.items():
        with httpx.Client(base_url=live_server.url, headers=ORIGIN) as browser:
            response = browser.post("/login", data={"username": username,
                                                    "password": password})
            assert response.status_code == 303, username
            assert response.headers["location"] == "/", username
            assert browser.get("/").status_code == 200


# --- sessions -----------------------------------------------------------------------------------


def test_the_cookie_carries_only_a_random_id_whose_hash_is_stored(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    _sign_in(browser, user.username)
    cookie = browser.cookies.get("zhuanjie_session")
    payload = cookie.split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert list(data) == ["sid"] and len(data["sid"]) >= 40
    stored = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert stored.token_hash == hashlib.sha256(data["sid"].encode()).hexdigest()
    assert data["sid"] not in stored.token_hash


def test_a_cookie_copied_before_logout_is_dead_after_it(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    _sign_in(browser, user.username)
    stolen = browser.cookies.get("zhuanjie_session")
    browser.post("/logout")
    thief = _browser(app)
    thief.cookies.set("zhuanjie_session", stolen)
    assert not _signed_in(thief)
    assert thief.get("/api/v1/me").status_code == 401
    ended = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert ended.end_reason == "logout"


def test_an_idle_session_ends_after_thirty_minutes(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    start = utc_now()
    with clock.frozen(start):
        _sign_in(browser, user.username)
    with clock.frozen(start + timedelta(minutes=29)):
        assert _signed_in(browser)  # activity moves the idle limit on
    with clock.frozen(start + timedelta(minutes=29 + 31)):
        assert not _signed_in(browser)


def test_an_active_session_still_ends_after_twelve_hours(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    start = utc_now()
    with clock.frozen(start):
        _sign_in(browser, user.username)
    for minutes in range(20, 12 * 60, 20):  # never idle
        with clock.frozen(start + timedelta(minutes=minutes)):
            assert _signed_in(browser), minutes
    with clock.frozen(start + timedelta(hours=12, minutes=1)):
        assert not _signed_in(browser)


def test_the_timeouts_are_settings(app, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "session_idle_seconds", 5 * 60)
    user = make_user(session, "caseworker")
    browser = _browser(app)
    start = utc_now()
    with clock.frozen(start):
        _sign_in(browser, user.username)
    with clock.frozen(start + timedelta(minutes=6)):
        assert not _signed_in(browser)


def test_a_user_sees_their_sessions_and_tokens_and_ends_them(app, session):
    user = make_user(session, "caseworker")
    here, phone = _browser(app), _browser(app)
    _sign_in(here, user.username)
    _sign_in(phone, user.username, headers={"User-Agent": "PhoneBrowser/1.0"})
    token = _token(here, user.username, name="报表脚本").json()["token"]
    assert here.get("/api/v1/me", headers=_bearer(token)).status_code == 200

    page = here.get("/account/security")
    assert page.status_code == 200 and "PhoneBrowser/1.0" in page.text
    assert "报表脚本" in page.text and token[:10] in page.text and "本设备" in page.text
    assert page.headers["cache-control"] == "no-store"
    rows = session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    phone_row = next(r for r in rows if r.user_agent == "PhoneBrowser/1.0")
    assert here.post(f"/account/sessions/{phone_row.id}/end").status_code == 200
    assert not _signed_in(phone) and _signed_in(here)

    stored = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    session.refresh(stored)
    assert stored.last_used_at is not None
    here.post(f"/account/tokens/{stored.id}/revoke")
    assert here.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    page = here.get("/account/security").text
    assert "报表脚本" not in page and "PhoneBrowser/1.0" not in page

    here.post("/account/sign-out-everywhere")
    assert not _signed_in(here)


def test_the_same_through_the_api_and_never_anyone_elses(app, session):
    user = make_user(session, "caseworker")
    other = make_user(session, "caseworker")
    client = TestClient(app)
    first = _token(client, user.username, name="甲").json()["token"]
    second = _token(client, user.username, name="乙", days=7).json()["token"]
    theirs = _token(client, other.username).json()["token"]
    browser = _browser(app)
    _sign_in(browser, user.username)

    listed = client.get("/api/v1/account/security", headers=_bearer(first)).json()
    names = {t["name"]: t for t in listed["tokens"]}
    assert set(names) == {"甲", "乙"} and len(listed["sessions"]) == 1
    assert names["乙"]["expires_at"] < names["甲"]["expires_at"]

    mine = client.get("/api/v1/account/security", headers=_bearer(theirs)).json()
    their_token_id = mine["tokens"][0]["id"]
    assert client.delete(f"/api/v1/account/tokens/{their_token_id}",
                         headers=_bearer(first)).status_code == 404
    assert client.get("/api/v1/me", headers=_bearer(theirs)).status_code == 200
    assert client.delete(f"/api/v1/account/sessions/{listed['sessions'][0]['id']}",
                         headers=_bearer(theirs)).status_code == 404
    assert _signed_in(browser)

    assert client.delete(f"/api/v1/account/tokens/{names['乙']['id']}",
                         headers=_bearer(first)).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(second)).status_code == 401
    assert client.delete(f"/api/v1/account/sessions/{listed['sessions'][0]['id']}",
                         headers=_bearer(first)).status_code == 204
    assert not _signed_in(browser)


# --- tokens ------------------------------------------------------------------------------------


def test_tokens_expire_after_ninety_days_by_default(app, session):
    user = make_user(session, "caseworker")
    client = TestClient(app)
    issued = _token(client, user.username)
    assert issued.status_code == 201
    token = issued.json()["token"]
    start = utc_now()
    with clock.frozen(start + timedelta(days=89)):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    with clock.frozen(start + timedelta(days=90, minutes=1)):
        refused = client.get("/api/v1/me", headers=_bearer(token))
        assert refused.status_code == 401 and refused.json() == {"detail": "API 令牌无效或已过期"}


def test_a_token_can_be_made_on_the_security_page(app, session):
    user = make_user(session, "caseworker")
    browser = _browser(app)
    _sign_in(browser, user.username)
    bad = browser.post("/account/tokens", data={"name": "", "days": "99999"})
    assert bad.status_code == 422 and 'id="err-name"' in bad.text and 'id="err-days"' in bad.text
    made = browser.post("/account/tokens", data={"name": "对账", "days": "30"})
    token = made.text.split('id="new-token">')[1].split("<")[0]
    me = TestClient(app).get("/api/v1/me", headers=_bearer(token))
    assert me.status_code == 200 and me.json()["username"] == user.username


# --- deactivation ------------------------------------------------------------------------------


def test_a_deactivated_users_next_request_is_refused(app, session):
    admin = make_user(session, "admin")
    user = make_user(session, "caseworker")
    theirs = _browser(app)
    _sign_in(theirs, user.username)
    token = _token(theirs, user.username).json()["token"]
    assert _signed_in(theirs)

    admin_browser = _browser(app)
    _sign_in(admin_browser, admin.username)
    listing = admin_browser.get("/admin/users").text
    assert f'action="/admin/users/{user.id}/deactivate"' in listing
    assert f'action="/admin/users/{admin.id}/deactivate"' not in listing  # not oneself
    admin_browser.post(f"/admin/users/{user.id}/deactivate")

    assert not _signed_in(theirs)
    assert theirs.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    again = _sign_in(_browser(app), user.username)
    assert again.status_code == 400 and "该账号已停用" in again.text
    assert _token(theirs, user.username).status_code == 403
    assert len(_audit(session, "user_deactivated")) == 1
    assert admin_browser.post(f"/admin/users/{admin.id}/deactivate").status_code == 403

    admin_browser.post(f"/admin/users/{user.id}/activate")
    assert _sign_in(theirs, user.username).status_code == 303 and _signed_in(theirs)
    # The old token stays revoked: reactivation does not revive what deactivation ended.
    assert theirs.get("/api/v1/me", headers=_bearer(token)).status_code == 401


# --- one query per authentication --------------------------------------------------------------


class _Statements:
    def __init__(self, engine):
        self.engine, self.seen = engine, []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("SELECT", "UPDATE", "INSERT", "DELETE"):
            self.seen.append(verb)


def test_a_request_is_authenticated_with_one_select(app, session, database_url):
    user = make_user(session, "caseworker")
    client = TestClient(app)
    token = _token(client, user.username).json()["token"]
    browser = _browser(app)
    _sign_in(browser, user.username)
    engine = get_engine(database_url)
    start = utc_now() + timedelta(minutes=5)
    with clock.frozen(start):
        with _Statements(engine) as first:  # first use: read, and note the last use
            assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
        with _Statements(engine) as again:  # a moment later: the read alone
            assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
        with _Statements(engine) as cookie_first:
            assert browser.get("/api/v1/me").status_code == 200
        with _Statements(engine) as cookie_again:
            assert browser.get("/api/v1/me").status_code == 200
    assert first.seen == ["SELECT", "UPDATE"] and again.seen == ["SELECT"]
    assert cookie_first.seen == ["SELECT", "UPDATE"] and cookie_again.seen == ["SELECT"]


def test_sign_in_routes_run_off_the_event_loop():
    """Argon2 takes tens of milliseconds: an `async def` route would stall every request."""
    from zhuanjie.auth import api, pages

    for route in (pages.login, api.create_token, pages.change_password, api.change_password):
        assert not inspect.iscoroutinefunction(route), route.__name__


def test_throttle_rows_do_not_pile_up(app, session):
    browser = _browser(app, "192.0.2.1")
    for n in range(3):
        _sign_in(browser, f"ghost{n}", "wrong-Guess-1")
    assert len(session.exec(select(LoginThrottle)).all()) == 4  # three names, one address
    with clock.frozen(utc_now() + timedelta(hours=1)):
        _sign_in(browser, "ghost9", "wrong-Guess-1")
    keys = {(r.scope, r.key) for r in session.exec(select(LoginThrottle)).all()}
    assert keys == {("account", "ghost9"), ("address", "192.0.2.1")}


def test_concurrent_failures_all_count_and_lock_once():
    """Threads guessing at once over real HTTP: the lock still engages, once, with one audit
    row (the counter is bumped by single UPDATEs the database serialises)."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from tests.zhuanjie.conftest import fresh_database, running_server
    from tests.zhuanjie.factories import _password_hash
    from zhuanjie.migrate import upgrade

    with fresh_database() as url:
        upgrade(url)
        with Session(get_engine(url)) as s:
            s.add(User(username="target", display_name="目标", role="donor",
                       password_hash=_password_hash))
            s.commit()
        with running_server(url) as base:
            def guess(n: int) -> int:
                with httpx.Client(base_url=base, headers={"Origin": base}, timeout=60) as browser:
                    return browser.post("/login", data={"username": "target",
                                                        "password": f"Wrong-guess-{n}"}
                                        ).status_code

            with ThreadPoolExecutor(6) as pool:
                answers = list(pool.map(guess, range(12)))
            with httpx.Client(base_url=base, headers={"Origin": base}, timeout=60) as owner:
                late = owner.post("/login", data={"username": "target", "password": PASSWORD})
        with Session(get_engine(url)) as s:
            locks = s.exec(select(AuditEntry).where(AuditEntry.action == "login_locked")).all()
            failures = s.exec(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
        get_engine(url).dispose()
    assert set(answers) <= {400, 429} and answers.count(400) >= 5
    assert late.status_code == 429
    assert len(locks) == 1 and locks[0].detail["scope"] == "account"
    assert len(failures) == answers.count(400)


def test_create_token_on_the_command_line_takes_a_name_and_an_expiry(tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, ZHUANJIE_VAR_DIR=str(tmp_path),
               ZHUANJIE_DATABASE_URL=f"sqlite:///{tmp_path}/cli.db")
    env.pop("ZHUANJIE_MODE", None)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "zhuanjie.cli", *args], env=env,
                              capture_output=True, text=True, timeout=120)

    assert run("migrate").returncode == 0
    user = ("create-user", "--username", "zhoumin", "--name", "周敏", "--role", "supervisor",
            "--region", "南通市")
    weak = run(*user, "--password", "password1234")
    assert weak.returncode == 1 and "至少三类" in weak.stderr
    assert run(*user, "--password", NEW_PASSWORD).returncode == 0
    made = run("create-token", "zhoumin", "--name", "月报", "--days", "7")
    assert made.returncode == 0 and made.stdout.strip().startswith("zj_")
    url = env["ZHUANJIE_DATABASE_URL"]
    with Session(get_engine(url)) as s:
        token = s.exec(select(ApiToken)).one()
        created_by_cli = s.exec(select(User).where(User.username == "zhoumin")).one()
    get_engine(url).dispose()
    assert token.name == "月报" and token.prefix == made.stdout.strip()[:10]
    assert timedelta(days=6) < token.expires_at - token.created_at <= timedelta(days=7)
    assert created_by_cli.must_change_password is False  # the operator chose it


@pytest.mark.browser
def test_in_a_phone_sized_browser_a_new_account_changes_its_password_and_is_deactivated(
    browser, live_server
):
    """An administrator creates an account; its first sign-in leads to the change page; the
    administrator deactivates it and the person's next page asks for a sign-in (360 px)."""
    size = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN"}
    admin_context, person_context = browser.new_context(**size), browser.new_context(**size)
    try:
        admin, person = admin_context.new_page(), person_context.new_page()
        for tab in (admin, person):
            tab.set_default_timeout(30000)
        admin.goto(live_server.url + "/login")
        admin.fill("#f-username", "admin")
        admin.fill("#f-password", live_server.logins["admin"])
        admin.click("button[type=submit]")
        admin.goto(live_server.url + "/admin/users/new")
        admin.fill("#f-username", "liu_jd")
        admin.fill("#f-display_name", "刘建东")
        admin.fill("#f-password", "Chu-shi-2026x")
        admin.select_option("#f-role", "supervisor")
        admin.select_option("#f-region_path", "南通市")
        admin.click("button[type=submit]")
        admin.wait_for_url("**/admin/users")

        person.goto(live_server.url + "/login")
        person.fill("#f-username", "liu_jd")
        person.fill("#f-password", "Chu-shi-2026x")
        person.click("button[type=submit]")
        person.wait_for_url("**/account/password")
        person.fill("#f-current_password", "Chu-shi-2026x")
        person.fill("#f-new_password", NEW_PASSWORD)
        person.fill("#f-confirm_password", NEW_PASSWORD)
        person.click("button[type=submit]")
        person.wait_for_url("**/account/security?changed=1")
        assert "本设备" in person.inner_text("#sessions")
        width = person.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 1, width  # the tables scroll inside, the page does not

        admin.goto(live_server.url + "/admin/users")
        admin.click("button[aria-label='停用 liu_jd']")
        admin.wait_for_url("**/admin/users")
        person.goto(live_server.url + "/account/security")
        assert "/login" in person.url
        assert person.is_visible("#f-password")
    finally:
        admin_context.close()
        person_context.close()
