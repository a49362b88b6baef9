# ruff: noqa: E501
"""Join the six branches that grew from 0002 into one history (no schema change).

0003 … 0008 each descend from 0002_multi_server_mode and touch disjoint tables, so the
order Alembic applies them in does not matter; what mattered is that there were six heads
(`alembic revision` refused to run, and every database recorded six versions). A merge
revision instead of re-chaining the six: a database already at any of today's heads, or at
any subset of them (an older release), upgrades by applying the missing branches and then
this no-op, whereas re-chained parents would contradict the versions such a database has
recorded. Every later revision descends from this one.

Revision ID: 0009_one_history
Revises: 0003_access_control, 0004_consistency, 0005_zone_versions, 0006_templates, 0007_server_stats, 0008_version_settings
Create Date: 2026-12-04
"""

from __future__ import annotations

revision = "0009_one_history"
# One line, as Alembic writes a merge, so that tools reading the scripts as text see the merge.
down_revision = ("0003_access_control", "0004_consistency", "0005_zone_versions", "0006_templates", "0007_server_stats", "0008_version_settings")  # fmt: skip
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
