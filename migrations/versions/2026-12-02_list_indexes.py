"""indexes in the needs list's order, so that a page (by cursor) reads only its rows

The list is most urgent first, then oldest: each urgency is read as its own range
(`urgency = 3 AND (created_at, id) > (…)`), so plain ascending indexes serve it.

Revision ID: 0020
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_needs_urgency_created_at_id", "needs",
                    ["urgency", "created_at", "id"], unique=False)
    op.create_index("ix_needs_status_urgency_created_at_id", "needs",
                    ["status", "urgency", "created_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_needs_status_urgency_created_at_id", table_name="needs")
    op.drop_index("ix_needs_urgency_created_at_id", table_name="needs")
