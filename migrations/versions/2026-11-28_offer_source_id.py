"""offers remember the id they were imported with

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("offers", sa.Column("source_id", sa.String(length=100), nullable=True))
    op.create_index(op.f("ix_offers_source_id"), "offers", ["source_id"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_offers_source_id"), table_name="offers")
    # A plain ALTER on both databases (SQLite >= 3.35): batch mode would rebuild the table
    # and lose its CHECK constraints, which SQLite does not reflect.
    op.execute("ALTER TABLE offers DROP COLUMN source_id")
