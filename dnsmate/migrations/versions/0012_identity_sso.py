"""Single sign-on: where a user signs in (users.auth_provider) and their provider accounts.

Revision ID: 0012_identity_sso
Revises: 0011_lifecycle_fleet_jobs
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_identity_sso"
down_revision = "0011_lifecycle_fleet_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("auth_provider", sa.String(60), nullable=False, server_default="local")
        )
    op.create_table(
        "user_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_identities")),
    )
    op.create_index(op.f("ix_user_identities_user_id"), "user_identities", ["user_id"])
    op.create_index(
        "uq_user_identities_provider_subject",
        "user_identities",
        ["provider", "subject"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("user_identities")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("auth_provider")
