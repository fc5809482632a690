from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from tests.zhuanjie.conftest import fresh_database
from zhuanjie.db import get_engine, session_scope
from zhuanjie.migrate import alembic_config, upgrade
from zhuanjie.models import Region
from zhuanjie.regions import region_nodes


def _diff(url: str) -> list:
    with get_engine(url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrations_build_exactly_the_models_and_round_trip():
    with fresh_database() as url:
        upgrade(url)
        assert _diff(url) == []
        tables = set(inspect(get_engine(url)).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables

        with session_scope(url) as session:
            assert len(session.exec(select(Region)).all()) == len(region_nodes())

        with get_engine(url).begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(get_engine(url)).get_table_names()) <= {"alembic_version"}

        upgrade(url)  # and back up again, regions included
        assert _diff(url) == []


def test_migrate_twice_changes_nothing():
    with fresh_database() as url:
        assert upgrade(url) == len(region_nodes())
        assert upgrade(url) == 0
