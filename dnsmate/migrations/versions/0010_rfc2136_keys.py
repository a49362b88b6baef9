"""TSIG keys for RFC 2136 dynamic updates.

Revision ID: 0010_rfc2136_keys
Revises: 0009_one_history
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_rfc2136_keys"
down_revision = "0009_one_history"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dns_update_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("algorithm", sa.String(40), nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=False),
        sa.Column("zones", sa.JSON(), nullable=True),
        sa.Column("last_used_at", _TS, nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dns_update_keys")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_dns_update_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("name", name=op.f("uq_dns_update_keys_name")),
    )
    op.create_index(op.f("ix_dns_update_keys_user_id"), "dns_update_keys", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_dns_update_keys_user_id"), table_name="dns_update_keys")
    op.drop_table("dns_update_keys")
