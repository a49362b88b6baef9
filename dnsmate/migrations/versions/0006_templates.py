"""Zone templates.

Revision ID: 0006_templates
Revises: 0002_multi_server_mode
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_templates"
down_revision = "0002_multi_server_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("default_ttl", sa.Integer(), nullable=False),
        sa.Column("nameservers", sa.JSON(), nullable=False),
        sa.Column("soa_edit_api", sa.String(30), nullable=False),
        sa.Column("records", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_zone_templates_name")),
    )


def downgrade() -> None:
    op.drop_table("zone_templates")
