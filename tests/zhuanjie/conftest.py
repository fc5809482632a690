"""The platform's tests run on a real, migrated database: SQLite by default, PostgreSQL when
ZHUANJIE_TEST_DATABASE=postgresql (the CI runs both). Migrations run once per session; each
test works inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import os
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
def fresh_database(backend: str = BACKEND) -> Iterator[str]:
    """An empty database of the given kind, dropped afterwards; yields its URL."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="db-", dir=_VAR))
        yield f"sqlite:///{folder / 'test.db'}"
        return
    _postgres_or_fail()
    name = f"zj_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
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
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def login(client: TestClient):
    """Sign a browser-like client in with a password; returns the client."""

    def _login(username: str, password: str = "secret-pass-1") -> TestClient:
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
def live_server(database_url: str) -> Iterator[LiveServer]:
    """A live server on a database of its own, filled with the demo city."""
    from zhuanjie.demo import load_demo

    with fresh_database() as url:
        upgrade(url)
        with Session(get_engine(url), expire_on_commit=False) as s:
            result = load_demo(s)
        with running_server(url) as base:
            yield LiveServer(base, url, {login[0]: login[3] for login in result.logins})


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
