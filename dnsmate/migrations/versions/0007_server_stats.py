"""Per-server operation statistics (success rate and latency histogram per minute).

Revision ID: 0007_server_stats
Revises: 0002_multi_server_mode
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_server_stats"
down_revision = "0002_multi_server_mode"
branch_labels = None
depends_on = None

# Frozen copy of dnsmate.models.stats.HISTOGRAM_BUCKETS at the time of this migration.
BUCKETS = 30


def upgrade() -> None:
    op.create_table(
        "server_stats",
        sa.Column(
            "server_id",
            sa.Integer(),
            sa.ForeignKey(
                "powerdns_settings.id",
                ondelete="CASCADE",
                name="fk_server_stats_server_id_powerdns_settings",
            ),
            nullable=False,
        ),
        sa.Column("minute", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        *(sa.Column(f"h{i:02d}", sa.Integer(), nullable=False) for i in range(BUCKETS)),
        sa.PrimaryKeyConstraint("server_id", "minute", "kind", name="pk_server_stats"),
    )
    op.create_index("ix_server_stats_minute", "server_stats", ["minute"])


def downgrade() -> None:
    op.drop_index("ix_server_stats_minute", table_name="server_stats")
    op.drop_table("server_stats")
