"""match models: scorers trained on the city's referral outcomes, versioned and promoted

Revision ID: 0010
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("trained_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("window_end", sa.Date(), nullable=True),
        sa.Column("holdout_from", sa.Date(), nullable=True),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("positives", sa.Integer(), nullable=False),
        sa.Column("holdout_pairs", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("baseline_score", sa.Float(), nullable=True),
        sa.Column("baseline_id", sa.Integer(), nullable=True),
        sa.Column("margin", sa.Float(), nullable=False),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promoted_by", sa.String(length=60), nullable=False),
        sa.Column("promoted_by_id", sa.Integer(), nullable=True),
        sa.Column("replaced_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("engine_version", sa.String(length=20), nullable=False),
        sa.Column("scorer", sa.JSON(), nullable=False),
        sa.Column("affinity", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["baseline_id"], ["match_models.id"],
            name=op.f("fk_match_models_baseline_id_match_models"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_id"], ["match_models.id"],
            name=op.f("fk_match_models_replaced_id_match_models"),
        ),
        sa.ForeignKeyConstraint(
            ["promoted_by_id"], ["users.id"], name=op.f("fk_match_models_promoted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_models")),
    )
    op.create_index(op.f("ix_match_models_status"), "match_models", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_match_models_status"), table_name="match_models")
    op.drop_table("match_models")
