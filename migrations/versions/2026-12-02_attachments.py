"""attachments (encrypted scans and photos) and the referral check-in event

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("owner_type", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=True),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=20), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_attachments_household_id_households")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_attachments_storage_key")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_household_id"), ["household_id"], unique=False
        )
        batch_op.create_index(
            "ix_attachments_owner_type_owner_id", ["owner_type", "owner_id"], unique=False
        )
    op.add_column(
        "referral_events",
        sa.Column("kind", sa.String(length=20), nullable=False, server_default="move"),
    )


def downgrade() -> None:
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_owner_type_owner_id")
        batch_op.drop_index(batch_op.f("ix_attachments_household_id"))
    op.drop_table("attachments")
