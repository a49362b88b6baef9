"""The last sync status check per zone (the zone page's drift flag comes from the server).

Revision ID: 0016_fanout_drift_checks
Revises: 0015_identity_limits_teams
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_fanout_drift_checks"
down_revision = "0015_identity_limits_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_drift_checks",
        sa.Column("zone", sa.String(255), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("drifted_on", sa.JSON(), nullable=False),
        sa.Column("missing_on", sa.JSON(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("zone_drift_checks")
