"""应享未享: government programmes a household meets the rules of and does not receive

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unclaimed_benefits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"],
            name=op.f("fk_unclaimed_benefits_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_unclaimed_benefits_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["region_path"], ["regions.path"],
            name=op.f("fk_unclaimed_benefits_region_path_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_unclaimed_benefits_marked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unclaimed_benefits")),
        sa.UniqueConstraint(
            "household_id", "offer_id", name=op.f("uq_unclaimed_benefits_household_id_offer_id")
        ),
    )
    with op.batch_alter_table("unclaimed_benefits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unclaimed_benefits_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_unclaimed_benefits_offer_id"), ["offer_id"], unique=False
        )
        batch_op.create_index(
            "ix_unclaimed_benefits_region_path_status", ["region_path", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("unclaimed_benefits", schema=None) as batch_op:
        batch_op.drop_index("ix_unclaimed_benefits_region_path_status")
        batch_op.drop_index(batch_op.f("ix_unclaimed_benefits_offer_id"))
        batch_op.drop_index(batch_op.f("ix_unclaimed_benefits_household_id"))
    op.drop_table("unclaimed_benefits")
