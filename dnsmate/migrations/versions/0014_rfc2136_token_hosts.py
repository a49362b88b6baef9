"""API tokens limited to host names (DynDNS tokens, /nic/update).

Revision ID: 0014_rfc2136_token_hosts
Revises: 0013_queue_readable
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_rfc2136_token_hosts"
down_revision = "0013_queue_readable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("hosts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("hosts")
