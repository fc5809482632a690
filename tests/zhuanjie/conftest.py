"""The platform's tests run on a real, migrated database: SQLite by default, PostgreSQL when
ZHUANJIE_TEST_DATABASE=postgresql (the CI runs both). Migrations run once per session; each
test works inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

# Settings are read once per process: point them at a private folder before any import.
_VAR = Path(tempfile.mkdtemp(prefix="zhuanjie-test-"))
os.environ["ZHUANJIE_VAR_DIR"] = str(_VAR)
os.environ["ZHUANJIE_RUN_SCHEDULER"] = "false"
os.environ.pop("ZHUANJIE_DATABASE_URL", None)
os.environ.pop("ZHUANJIE_MODE", None)

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from zhuanjie.config import get_settings  # noqa: E402
from zhuanjie.db import get_engine, get_session  # noqa: E402
from zhuanjie.main import create_app  # noqa: E402
from zhuanjie.migrate import upgrade  # noqa: E402

BACKEND = os.environ.get("ZHUANJIE_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get(
    "ZHUANJIE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_or_fail() -> None:
    try:
        with create_engine(PG_ADMIN_URL).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means the server is not usable
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.exit(message, returncode=3)
        pytest.skip(message, allow_module_level=True)


@contextmanager
def fresh_database(backend: str = BACKEND, *, copy_of: str | None = None) -> Iterator[str]:
    """An empty database of the given kind (or a copy of the one at `copy_of`, same kind),
    dropped afterwards; yields its URL."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="db-", dir=_VAR))
        target = folder / "test.db"
        if copy_of is not None:
            _copy_sqlite(copy_of, target)
        yield f"sqlite:///{target}"
        return
    _postgres_or_fail()
    name = f"zj_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if copy_of is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            # PostgreSQL copies a database only while nobody is connected to it.
            from zhuanjie import db

            if copy_of in db._engines:
                db._engines[copy_of].dispose()
            template = copy_of.rsplit("/", 1)[1]
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        from zhuanjie import db

        engine = db._engines.pop(url, None)
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _copy_sqlite(url: str, target: Path) -> None:
    """A consistent copy of a SQLite database, write-ahead log included."""
    import sqlite3

    source = sqlite3.connect(url.removeprefix("sqlite:///"))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with fresh_database() as url:
        os.environ["ZHUANJIE_DATABASE_URL"] = url
        get_settings.cache_clear()
        upgrade(url)
        yield url


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session inside an outer transaction: services may commit, the test still rolls back."""
    connection = get_engine(database_url).connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    """Each test rolls its offers back, so the per-process engine index starts empty."""
    from zhuanjie.changes import clear_caches
    from zhuanjie.matches.engine import index_cache

    # Rolled-back transactions reuse change-counter versions: forget every cache too.
    index_cache.clear()
    clear_caches()
    yield
    index_cache.clear()
    clear_caches()


@pytest.fixture(autouse=True)
def _fresh_board_cache():
    """Each test rolls its rows back; pages cached for anonymous visitors must go too."""
    from zhuanjie.donors import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def app(session: Session):
    application = create_app()

    def request_session() -> Iterator[Session]:
        # Like a real request: whatever a failed request left uncommitted is rolled back.
        try:
            yield session
        finally:
            session.rollback()

    application.dependency_overrides[get_session] = request_session
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    # Like a browser: every form POST names the page's origin (an unsafe request with a
    # session cookie and neither Origin nor Referer is refused).
    with TestClient(app, headers={"Origin": "http://testserver"}) as test_client:
        yield test_client


@pytest.fixture
def login(client: TestClient):
    """Sign a browser-like client in with a password (signing out whoever was signed in);
    takes a user or a username; returns the client."""

    def _login(user, password: str = "secret-pass-1") -> TestClient:
        username = user if isinstance(user, str) else user.username
        client.post("/logout")
        response = client.post(
            "/login", data={"username": username, "password": password}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        return client

    return _login


# --- a live server and a real browser, for page tests ------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@dataclass
class LiveServer:
    url: str
    database_url: str
    logins: dict[str, str]  # username -> password


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(url: str) -> Iterator[str]:
    """The real app over real HTTP (uvicorn in a thread) on the database at `url`."""
    import uvicorn

    application = create_app()

    def live_session() -> Iterator[Session]:
        with Session(get_engine(url), expire_on_commit=False) as s:
            yield s

    application.dependency_overrides[get_session] = live_session
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the live server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(demo_city: DemoCity) -> Iterator[LiveServer]:
    """A live server on a copy of the demo city of its own, for the modules that change it."""
    with fresh_database(copy_of=demo_city.url) as url, running_server(url) as base:
        yield LiveServer(base, url, demo_city.logins)


@pytest.fixture(scope="session")
def demo_server(demo_city: DemoCity) -> Iterator[LiveServer]:
    """A live server on the shared demo city, for page tests that only read it (signing in
    is allowed: it adds an audit entry, nothing a test looks at)."""
    with running_server(demo_city.url) as base:
        yield LiveServer(base, demo_city.url, demo_city.logins)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = "Debian chromium is not installed (/usr/bin/chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context; `shot(name)` saves a screenshot under tests/artifacts/."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 860}
    )
    tab = context.new_page()
    tab.set_default_timeout(15000)
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> Path:
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    tab.shot = shot
    yield tab
    context.close()


@pytest.fixture
def sign_in(page):
    """`sign_in(server, username, password=None)`: the login form in the browser (the demo
    password unless one is given)."""

    def _sign_in(server: LiveServer, username: str, password: str | None = None) -> None:
        page.goto(server.url + "/login")
        page.fill("#f-username", username)
        page.fill("#f-password", password or server.logins[username])
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return _sign_in


@pytest.fixture
def sign_out(page):
    def _sign_out() -> None:
        page.click("text=退出")
        page.wait_for_url(re.compile(r".*/login$"))

    return _sign_out


# --- the demo city, loaded once per session --------------------------------------------------


@dataclass
class DemoCity:
    url: str
    logins: dict[str, str]  # username -> password, one demo user of every role
    roles: dict[str, str]  # username -> role


@pytest.fixture(scope="session")
def demo_city(database_url: str) -> Iterator[DemoCity]:
    """The demo city in a database of its own, loaded once per test session (a load takes
    seconds). Tests read it through `demo_app` / `demo_server`, whose changes never last;
    a module that changes it for real takes `live_server`, which runs on a copy."""
    from zhuanjie.demo import load_demo

    with fresh_database() as url:
        upgrade(url)
        with Session(get_engine(url), expire_on_commit=False) as s:
            result = load_demo(s)
        yield DemoCity(
            url,
            logins={login[0]: login[3] for login in result.logins},
            roles={login[0]: login[1] for login in result.logins},
        )


@pytest.fixture(scope="module")
def demo_session(demo_city: DemoCity) -> Iterator[Session]:
    """A session on the demo city inside a transaction rolled back after the module:
    whatever the module's requests change is gone for the next one."""
    connection = get_engine(demo_city.url).connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture(scope="module")
def demo_app(demo_session: Session):
    """The app on the demo city (see `demo_session`), one request after the other."""
    application = create_app()

    def request_session() -> Iterator[Session]:
        try:
            yield demo_session
        finally:
            demo_session.rollback()

    application.dependency_overrides[get_session] = request_session
    return application


@pytest.fixture
def demo_client(demo_app, demo_city: DemoCity):
    """A browser-like client of `demo_app`; `demo_client.sign_in(username)` logs a demo user in
    with their password and returns the client."""
    with TestClient(demo_app) as test_client:

        def sign_in(username: str) -> TestClient:
            response = test_client.post(
                "/login",
                data={"username": username, "password": demo_city.logins[username]},
                follow_redirects=False,
            )
            assert response.status_code == 303, response.text
            return test_client

        test_client.sign_in = sign_in
        yield test_client


@pytest.fixture(scope="module")
def demo_tokens(demo_session: Session, demo_city: DemoCity) -> dict[str, str]:
    """An API token for each demo user, by username (rolled back with the module)."""
    from sqlmodel import select

    from zhuanjie.auth import service as auth
    from zhuanjie.models import User

    users = demo_session.exec(select(User).where(User.username.in_(demo_city.logins))).all()
    return {u.username: auth.issue_token(demo_session, user=u) for u in users}
