"""统筹分配: allocation runs (pins, removals, last result) and the proposals they confirm

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, key: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{key}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    t = "allocation_runs"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=120), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pinned", sa.JSON(), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=False),
        sa.Column("first_come_score", sa.Float(), nullable=False),
        sa.Column("needs_count", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "region_path", "regions", "path"),
        _fk(t, "offer_id", "offers"),
        _fk(t, "organisation_id", "organisations"),
        _fk(t, "created_by_id", "users"),
        _fk(t, "confirmed_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        for column in ("region_path", "offer_id", "organisation_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_{t}_{column}"), [column], unique=False)

    t = "allocation_proposals"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.String(length=30), nullable=True),
        sa.Column("decline_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "run_id", "allocation_runs"),
        _fk(t, "need_id", "needs"),
        _fk(t, "offer_id", "offers"),
        _fk(t, "referral_id", "referrals"),
        _fk(t, "decided_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    with op.batch_alter_table(t, schema=None) as batch_op:
        for column in ("run_id", "need_id", "offer_id", "status"):
            batch_op.create_index(batch_op.f(f"ix_{t}_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("allocation_proposals")
    op.drop_table("allocation_runs")
