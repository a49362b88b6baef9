"""Version retention settings stored in the database (the environment gives the defaults).

Revision ID: 0008_version_settings
Revises: 0002_multi_server_mode
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_version_settings"
down_revision = "0002_multi_server_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "version_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("max_per_zone", sa.Integer(), nullable=True),
        sa.Column("max_age_days", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_settings")),
    )


def downgrade() -> None:
    op.drop_table("version_settings")
