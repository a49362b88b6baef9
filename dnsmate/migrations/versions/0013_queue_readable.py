"""Readable retry queue: each entry knows the audit event of its write, and deliveries
(replayed from the queue, or resolved by a reconcile) complete that event.

Revision ID: 0013_queue_readable
Revises: 0012_identity_sso
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_queue_readable"
down_revision = "0012_identity_sso"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_queue") as batch:
        batch.add_column(sa.Column("audit_event_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_sync_queue_audit_event_id_audit_events"),
            "audit_events",
            ["audit_event_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(
        "ix_sync_queue_server_zone", "sync_queue", ["server_id", "zone", "status", "id"]
    )
    op.create_table(
        "change_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("server", sa.String(100), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("how", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_deliveries")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["audit_events.id"],
            name=op.f("fk_change_deliveries_event_id_audit_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["powerdns_settings.id"],
            name=op.f("fk_change_deliveries_server_id_powerdns_settings"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_change_deliveries_event_id"), "change_deliveries", ["event_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_change_deliveries_event_id"), table_name="change_deliveries")
    op.drop_table("change_deliveries")
    op.drop_index("ix_sync_queue_server_zone", table_name="sync_queue")
    with op.batch_alter_table("sync_queue") as batch:
        batch.drop_constraint(op.f("fk_sync_queue_audit_event_id_audit_events"), type_="foreignkey")
        batch.drop_column("audit_event_id")
