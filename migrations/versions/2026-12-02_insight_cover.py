"""indexes the data overview reads alone at province size: a period's needs and referrals
(instant first, then what is counted), the scope's need ids, the overdue counts with the
region, a period's visits

At 1,200,000 needs and 2,000,000 referrals the overview's time went to fetching table rows
at random for a few columns; each index below holds every column its statement reads, so
PostgreSQL answers from the index (an index-only scan) once the table is vacuumed.

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW = (
    ("ix_insight_needs_created_at_cover", "insight_needs",
     ["created_at", "region_path", "outcome", "first_sent_at", "first_delivered_at"]),
    ("ix_insight_needs_region_path_need_id", "insight_needs", ["region_path", "need_id"]),
    ("ix_insight_referrals_status_region_path_respond_by_at", "insight_referrals",
     ["status", "region_path", "respond_by_at"]),
    ("ix_insight_referrals_status_region_path_deliver_by_date", "insight_referrals",
     ["status", "region_path", "deliver_by_date"]),
    ("ix_insight_referrals_sent_at_cover", "insight_referrals",
     ["sent_at", "region_path", "responded_at", "decline_reason", "delivered_at"]),
    ("ix_follow_ups_done_at_status_need_id", "follow_ups",
     ["done_at", "status", "need_id", "need_met"]),
)
REPLACED = (  # served by the ones with the region
    ("ix_insight_referrals_status_respond_by_at", "insight_referrals",
     ["status", "respond_by_at"]),
    ("ix_insight_referrals_status_deliver_by_date", "insight_referrals",
     ["status", "deliver_by_date"]),
)


def upgrade() -> None:
    for name, table, columns in NEW:
        op.create_index(name, table, columns, unique=False)
    for name, table, _columns in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns, unique=False)
    for name, table, _columns in reversed(NEW):
        op.drop_index(name, table_name=table)
