"""Bring a database to the current schema and make sure the shipped region tree is in it."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from zhuanjie.config import PROJECT_ROOT, get_settings
from zhuanjie.db import get_engine, session_scope
from zhuanjie.regions import sync_regions


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> int:
    """Upgrade to head, then add missing regions; returns how many regions were added."""
    url = url or get_settings().database_url
    with get_engine(url).begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with session_scope(url) as session:
        added = sync_regions(session)
        session.commit()
    return added
