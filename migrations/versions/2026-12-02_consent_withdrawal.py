"""a consent's withdrawal records who recorded it and why

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs on both databases: a batch rebuild of consents would have to drop a table
    # that referrals and need_publications reference.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE consents ADD COLUMN revoked_by_id INTEGER "
            "CONSTRAINT fk_consents_revoked_by_id_users REFERENCES users (id)"
        )
    else:
        op.add_column("consents", sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_consents_revoked_by_id_users"), "consents", "users", ["revoked_by_id"], ["id"]
        )
    op.add_column(
        "consents", sa.Column("revoke_reason", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.execute("ALTER TABLE consents DROP COLUMN revoke_reason")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that a foreign key names: rebuild the table, with the
        # foreign key checks off for the swap (other tables reference consents).
        op.execute("PRAGMA foreign_keys=OFF")
        with op.batch_alter_table("consents") as batch:
            batch.drop_column("revoked_by_id")
        op.execute("PRAGMA foreign_keys=ON")
    else:
        op.drop_constraint(op.f("fk_consents_revoked_by_id_users"), "consents",
                           type_="foreignkey")
        op.drop_column("consents", "revoked_by_id")
