"""Fleet jobs can be cancelled: when someone asked (the job stops between two zones).

Revision ID: 0022_fleet_job_cancel
Revises: 0021_session_epoch
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_fleet_job_cancel"
down_revision = "0021_session_epoch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fleet_jobs") as batch:
        batch.add_column(sa.Column("cancel_requested_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("cancelled_by", sa.String(320)))


def downgrade() -> None:
    with op.batch_alter_table("fleet_jobs") as batch:
        batch.drop_column("cancelled_by")
        batch.drop_column("cancel_requested_at")
