"""SOA defaults for new zones (Settings > Zone defaults) and a template's SOA fields.

Revision ID: 0019_zonefeat_soa
Revises: 0018_identity_passkeys
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_zonefeat_soa"
down_revision = "0018_identity_passkeys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "zone_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soa_primary", sa.String(255), nullable=True),
        sa.Column("soa_hostmaster", sa.String(255), nullable=True),
        sa.Column("soa_refresh", sa.Integer(), nullable=True),
        sa.Column("soa_retry", sa.Integer(), nullable=True),
        sa.Column("soa_expire", sa.Integer(), nullable=True),
        sa.Column("soa_minimum", sa.Integer(), nullable=True),
        sa.Column("soa_ttl", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_defaults")),
    )
    with op.batch_alter_table("zone_templates") as batch:
        batch.add_column(sa.Column("soa", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("zone_templates") as batch:
        batch.drop_column("soa")
    op.drop_table("zone_defaults")
