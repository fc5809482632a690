"""The platform's tests run on a real, migrated database: SQLite by default, PostgreSQL when
ZHUANJIE_TEST_DATABASE=postgresql (the CI runs both). Migrations run once per session; each
test works inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint",
                         expire_on_commit=False)
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(session: Session):
    application = create_app()
    application.dependency_overrides[get_session] = lambda: session
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
