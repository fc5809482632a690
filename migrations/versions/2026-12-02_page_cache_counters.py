"""change counters for the page cache: "accounts" (users, sessions, tokens) and "casework"
(every other table no finer kind covers)

Revision ID: 0018
Revises: 0020
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("accounts", "casework")


def upgrade() -> None:
    counters = sa.table(
        "change_counters",
        sa.column("name", sa.String),
        sa.column("version", sa.Integer),
        sa.column("pruned_below", sa.Integer),
    )
    op.bulk_insert(counters, [{"name": k, "version": 0, "pruned_below": 0} for k in KINDS])


def downgrade() -> None:
    op.execute("DELETE FROM change_counters WHERE name IN ('accounts', 'casework')")
