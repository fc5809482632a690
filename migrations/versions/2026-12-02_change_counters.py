"""change counters: what changed, so each process refreshes its caches without scanning

Revision ID: 0007
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("offers", "organisations", "regions", "model", "board")


def upgrade() -> None:
    counters = op.create_table(
        "change_counters",
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pruned_below", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_index("ix_change_log_kind_version", "change_log", ["kind", "version"])
    op.bulk_insert(counters, [{"name": k, "version": 0, "pruned_below": 0} for k in KINDS])


def downgrade() -> None:
    op.drop_index("ix_change_log_kind_version", table_name="change_log")
    op.drop_table("change_log")
    op.drop_table("change_counters")
