"""service plans record who ended them, when and why

Revision ID: 0003
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("service_plans", sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("service_plans", sa.Column("ended_by_id", sa.Integer(), nullable=True))
    op.add_column(
        "service_plans", sa.Column("end_reason", sa.Text(), nullable=False, server_default="")
    )
    with op.batch_alter_table("service_plans", schema=None) as batch_op:
        batch_op.alter_column("end_reason", server_default=None)
        batch_op.create_foreign_key(
            batch_op.f("fk_service_plans_ended_by_id_users"), "users", ["ended_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("service_plans", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_plans_ended_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("end_reason")
        batch_op.drop_column("ended_by_id")
        batch_op.drop_column("ended_at")
