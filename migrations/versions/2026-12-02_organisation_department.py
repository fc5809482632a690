"""organisation department: which government department a body is (民政, 乡村振兴, 残联 …)

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("department", sa.String(length=20), nullable=True))
        batch.create_index(batch.f("ix_organisations_department"), ["department"])


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_index(batch.f("ix_organisations_department"))
        batch.drop_column("department")
