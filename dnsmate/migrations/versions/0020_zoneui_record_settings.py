"""Record-change defaults stored in the database (automatic PTR upkeep).

Revision ID: 0020_zoneui_record_settings
Revises: 0019_zonefeat_soa
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_zoneui_record_settings"
down_revision = "0019_zonefeat_soa"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("auto_ptr", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_settings")),
    )


def downgrade() -> None:
    op.drop_table("record_settings")
