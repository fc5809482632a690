"""the data overview's narrow copies of needs and referrals (insight_needs, insight_referrals)

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Filled from the rows already there; afterwards zhuanjie.insight.facts keeps them in step.
FILL_NEEDS = """
INSERT INTO insight_needs (need_id, region_path, category, status, outcome, created_at,
                           closed_at, first_sent_at, first_delivered_at)
SELECT n.id, n.region_path, n.category, n.status, n.outcome, n.created_at, n.closed_at,
       f.first_sent, f.first_delivered
FROM needs n LEFT JOIN (SELECT need_id, min(sent_at) AS first_sent,
                               min(delivered_at) AS first_delivered
                        FROM referrals GROUP BY need_id) f ON f.need_id = n.id
"""
FILL_REFERRALS = """
INSERT INTO insight_referrals (referral_id, need_id, region_path, organisation_id, status,
                               sent_at, respond_by_at, responded_at, decline_reason,
                               delivered_at, deliver_by_date)
SELECT r.id, r.need_id, n.region_path, r.organisation_id, r.status, r.sent_at,
       r.respond_by_at, r.responded_at, r.decline_reason, r.delivered_at, r.deliver_by_date
FROM referrals r JOIN needs n ON n.id = r.need_id
"""


def upgrade() -> None:
    op.create_table(
        "insight_needs",
        sa.Column("need_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("region_path", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("need_id", name=op.f("pk_insight_needs")),
    )
    op.create_index(op.f("ix_insight_needs_region_path"), "insight_needs", ["region_path"])
    for column in ("created_at", "closed_at"):
        op.create_index(op.f(f"ix_insight_needs_{column}"), "insight_needs", [column])
    op.create_table(
        "insight_referrals",
        sa.Column("referral_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=120), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("respond_by_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.String(length=30), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deliver_by_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("referral_id", name=op.f("pk_insight_referrals")),
    )
    for column in ("need_id", "region_path", "sent_at", "delivered_at"):
        op.create_index(op.f(f"ix_insight_referrals_{column}"), "insight_referrals", [column])
    for column in ("respond_by_at", "deliver_by_date"):
        op.create_index(f"ix_insight_referrals_status_{column}", "insight_referrals",
                        ["status", column])
    op.execute(FILL_NEEDS)
    op.execute(FILL_REFERRALS)


def downgrade() -> None:
    for column in ("deliver_by_date", "respond_by_at"):
        op.drop_index(f"ix_insight_referrals_status_{column}", table_name="insight_referrals")
    for column in ("delivered_at", "sent_at", "region_path", "need_id"):
        op.drop_index(op.f(f"ix_insight_referrals_{column}"), table_name="insight_referrals")
    op.drop_table("insight_referrals")
    for column in ("closed_at", "created_at"):
        op.drop_index(op.f(f"ix_insight_needs_{column}"), table_name="insight_needs")
    op.drop_index(op.f("ix_insight_needs_region_path"), table_name="insight_needs")
    op.drop_table("insight_needs")
