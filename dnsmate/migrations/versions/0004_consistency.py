"""Multi-server consistency: retry queue (outbox), circuit breakers, policy setting.

Revision ID: 0004_consistency
Revises: 0002_multi_server_mode
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_consistency"
down_revision = "0002_multi_server_mode"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_queue",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(255), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(320), nullable=True),
        sa.Column("reason", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_queue")),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["powerdns_settings.id"],
            name=op.f("fk_sync_queue_server_id_powerdns_settings"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_sync_queue_server_id"), "sync_queue", ["server_id"])
    op.create_index("ix_sync_queue_server_status", "sync_queue", ["server_id", "status", "id"])
    op.create_table(
        "server_breakers",
        sa.Column("server_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("server_id", name=op.f("pk_server_breakers")),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["powerdns_settings.id"],
            name=op.f("fk_server_breakers_server_id_powerdns_settings"),
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "consistency_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("on_partial_failure", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consistency_settings")),
    )


def downgrade() -> None:
    op.drop_table("consistency_settings")
    op.drop_table("server_breakers")
    op.drop_index("ix_sync_queue_server_status", table_name="sync_queue")
    op.drop_index(op.f("ix_sync_queue_server_id"), table_name="sync_queue")
    op.drop_table("sync_queue")
