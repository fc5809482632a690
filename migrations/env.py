"""Alembic environment: the models' metadata, the URL from the platform's settings."""

from __future__ import annotations

from alembic import context
from sqlmodel.sql.sqltypes import AutoString

import zhuanjie.models  # noqa: F401  (registers every table)
from zhuanjie.db import UTCDateTime, get_engine
from zhuanjie.models import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Write plain SQLAlchemy types into migrations so they never import the app's types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(connection) -> None:
    # Schema changes and data migrations run before the servers (and their caches) start, on
    # tables the change counters may not exist beside yet: not counted (zhuanjie.changes).
    connection.execution_options(zj_uncounted=True)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # tests and the CLI hand over an open connection
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or None
    with get_engine(url).connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run against a database")
run_migrations_online()
