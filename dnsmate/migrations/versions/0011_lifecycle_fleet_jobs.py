"""Server lifecycle: a server's lifecycle state (seeding while onboarded) and fleet jobs.

Revision ID: 0011_lifecycle_fleet_jobs
Revises: 0010_rfc2136_keys
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_lifecycle_fleet_jobs"
down_revision = "0010_rfc2136_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("powerdns_settings") as batch:
        batch.add_column(
            sa.Column("lifecycle", sa.String(20), nullable=False, server_default="active")
        )
    op.create_table(
        "fleet_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("server_id", sa.Integer(), nullable=True),
        sa.Column("server_name", sa.String(100), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(100), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("phase", sa.String(100), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("current", sa.String(255), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(320), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_jobs")),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["powerdns_settings.id"],
            name=op.f("fk_fleet_jobs_server_id_powerdns_settings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["powerdns_settings.id"],
            name=op.f("fk_fleet_jobs_source_id_powerdns_settings"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_fleet_jobs_server_id"), "fleet_jobs", ["server_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_fleet_jobs_server_id"), table_name="fleet_jobs")
    op.drop_table("fleet_jobs")
    with op.batch_alter_table("powerdns_settings") as batch:
        batch.drop_column("lifecycle")
