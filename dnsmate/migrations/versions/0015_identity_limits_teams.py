"""Record limits (users, API tokens, teams) and teams with their members and zones.

Revision ID: 0015_identity_limits_teams
Revises: 0014_rfc2136_token_hosts
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_identity_limits_teams"
down_revision = "0014_rfc2136_token_hosts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("record_limits", sa.JSON(), nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("record_limits", sa.JSON(), nullable=True))
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("record_limits", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_members_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_team_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_members")),
    )
    op.create_index(op.f("ix_team_members_user_id"), "team_members", ["user_id"])
    op.create_table(
        "team_zones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_zones_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_zones")),
    )
    op.create_index(op.f("ix_team_zones_team_id"), "team_zones", ["team_id"])
    op.create_index(op.f("ix_team_zones_zone"), "team_zones", ["zone"])
    op.create_index("uq_team_zones_team_zone", "team_zones", ["team_id", "zone"], unique=True)


def downgrade() -> None:
    op.drop_table("team_zones")
    op.drop_table("team_members")
    op.drop_table("teams")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("record_limits")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("record_limits")
