"""accounts and sessions: server-side sign-ins, login throttling, forced password change

Revision ID: 0004
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKEN_DAYS = 90  # tokens issued before this revision never expired; now they do


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column(
            "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column(
        "users", sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True)
    )

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=30), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])

    op.create_table(
        "login_throttles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttles")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_login_throttles_scope_key")),
    )
    op.create_index(op.f("ix_login_throttles_updated_at"), "login_throttles", ["updated_at"])

    # Every token expires: give the old ones TOKEN_DAYS from when they were made.
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(tokens.c.id, tokens.c.created_at).where(tokens.c.expires_at.is_(None))
    ).all()
    for token_id, created_at in rows:
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
        expires = created_at + timedelta(days=TOKEN_DAYS)
        if bind.dialect.name == "sqlite":
            expires = expires.astimezone(UTC).replace(tzinfo=None)
        bind.execute(tokens.update().where(tokens.c.id == token_id).values(expires_at=expires))


def downgrade() -> None:
    op.drop_index(op.f("ix_login_throttles_updated_at"), table_name="login_throttles")
    op.drop_table("login_throttles")
    op.drop_index(op.f("ix_user_sessions_user_id"), table_name="user_sessions")
    op.drop_table("user_sessions")
    # Plain ALTERs (SQLite >= 3.35), as in 0002: batch mode would rebuild the table.
    op.execute("ALTER TABLE users DROP COLUMN password_changed_at")
    op.execute("ALTER TABLE users DROP COLUMN must_change_password")
