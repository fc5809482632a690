"""intakes: referrals between departments and monitoring alerts, waiting for a caseworker

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    at = sa.DateTime(timezone=True)
    money = sa.Numeric(precision=12, scale=2)
    op.create_table(
        "intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sender_org_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=60), nullable=True),
        sa.Column("signal", sa.String(length=30), nullable=True),
        sa.Column("region_path", sa.String(length=120), nullable=False),
        sa.Column("sent_region_path", sa.String(length=120), nullable=False),
        sa.Column("village", sa.String(length=60), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=True),
        sa.Column("id_number_enc", sa.Text(), nullable=True),
        sa.Column("id_number_hash", sa.String(length=64), nullable=False),
        sa.Column("id_last4", sa.String(length=4), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("income_per_capita", money, nullable=True),
        sa.Column("amount", money, nullable=True),
        sa.Column("occurred_date", sa.Date(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("urgency", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("received_at", at, nullable=False),
        sa.Column("respond_by_at", at, nullable=True),
        sa.Column("answered_at", at, nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", at, nullable=True),
        sa.Column("updated_at", at, nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name=op.f("fk_intakes_answered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_intakes_household_id_households")
        ),
        sa.ForeignKeyConstraint(["need_id"], ["needs.id"], name=op.f("fk_intakes_need_id_needs")),
        sa.ForeignKeyConstraint(
            ["region_path"], ["regions.path"], name=op.f("fk_intakes_region_path_regions")
        ),
        sa.ForeignKeyConstraint(
            ["sender_org_id"],
            ["organisations.id"],
            name=op.f("fk_intakes_sender_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_intakes_sent_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intakes")),
        sa.UniqueConstraint(
            "sender_org_id", "external_id", name=op.f("uq_intakes_sender_org_id_external_id")
        ),
    )
    with op.batch_alter_table("intakes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_intakes_sender_org_id"), ["sender_org_id"])
        batch_op.create_index(batch_op.f("ix_intakes_id_number_hash"), ["id_number_hash"])
        batch_op.create_index(batch_op.f("ix_intakes_status"), ["status"])
        batch_op.create_index(batch_op.f("ix_intakes_household_id"), ["household_id"])
        batch_op.create_index(batch_op.f("ix_intakes_received_at"), ["received_at"])
        batch_op.create_index("ix_intakes_region_path_status", ["region_path", "status"])


def downgrade() -> None:
    op.drop_table("intakes")
