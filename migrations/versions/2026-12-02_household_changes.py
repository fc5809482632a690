"""members who left the household, and the household's recorded changes of circumstance

Revision ID: 0013
Revises: 0017
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs on both databases: a batch rebuild of household_members would have to drop
    # a table that needs and consents reference.
    op.add_column(
        "household_members", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True)
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE household_members ADD COLUMN removed_by_id INTEGER "
            "CONSTRAINT fk_household_members_removed_by_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("household_members", sa.Column("removed_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_household_members_removed_by_id_users"), "household_members", "users",
            ["removed_by_id"], ["id"],
        )
    op.add_column(
        "household_members",
        sa.Column("removed_reason", sa.Text(), nullable=False, server_default=""),
    )

    op.create_table(
        "household_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("income_before", sa.Numeric(12, 2), nullable=True),
        sa.Column("income_after", sa.Numeric(12, 2), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"],
            name=op.f("fk_household_changes_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["household_members.id"],
            name=op.f("fk_household_changes_member_id_household_members"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"],
            name=op.f("fk_household_changes_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_changes")),
    )
    op.create_index(
        op.f("ix_household_changes_household_id"), "household_changes", ["household_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_household_changes_household_id"), table_name="household_changes")
    op.drop_table("household_changes")
    op.execute("ALTER TABLE household_members DROP COLUMN removed_reason")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that a foreign key names: rebuild the table, with the
        # foreign key checks off for the swap (other tables reference household_members).
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("household_members") as batch:
            batch.drop_column("removed_by_id")
            batch.drop_column("removed_at")
        op.execute("PRAGMA foreign_keys=ON")
    else:
        op.drop_constraint(op.f("fk_household_members_removed_by_id_users"),
                           "household_members", type_="foreignkey")
        op.drop_column("household_members", "removed_by_id")
        op.drop_column("household_members", "removed_at")
