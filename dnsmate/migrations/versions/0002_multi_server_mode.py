"""Add multi_server_mode to PowerDNS settings (the seed's migration).

Existing servers keep single-server behaviour: the column defaults to false.

Revision ID: 0002_multi_server_mode
Revises: 0001_initial
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_multi_server_mode"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("powerdns_settings") as batch:
        batch.add_column(
            sa.Column("multi_server_mode", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE powerdns_settings SET multi_server_mode = false WHERE multi_server_mode IS NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("powerdns_settings") as batch:
        batch.drop_column("multi_server_mode")
