"""Zone versions: one row per change of a zone (delta, and now and then a full snapshot).

Revision ID: 0005_zone_versions
Revises: 0002_multi_server_mode
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_zone_versions"
down_revision = "0002_multi_server_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("zone", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(320), nullable=True),
        sa.Column("via", sa.String(100), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("rrset_count", sa.Integer(), nullable=False),
        sa.Column("since_snapshot", sa.Integer(), nullable=False),
        sa.Column("delta", sa.LargeBinary(), nullable=False),
        sa.Column("snapshot", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_versions")),
    )
    op.create_index("ix_zone_versions_zone_id", "zone_versions", ["zone", "id"])


def downgrade() -> None:
    op.drop_index("ix_zone_versions_zone_id", table_name="zone_versions")
    op.drop_table("zone_versions")
