"""Fleet jobs: onboarding, retiring and reconcile-everything runs, tracked in the database.

A job runs in the process that accepted it; its state lives here so that any DNSMate
process can answer ``GET /api/jobs/{id}``. ``heartbeat_at`` moves while the job runs: a
``running`` job whose heartbeat stopped belonged to a process that died (``interrupted``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, TimestampMixin, utcnow


class FleetJob(TimestampMixin, Base):
    """One long-running fleet operation and its progress."""

    __tablename__ = "fleet_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "onboard", "retire" or "reconcile"
    kind: Mapped[str] = mapped_column(String(20))
    server_id: Mapped[int | None] = mapped_column(
        ForeignKey("powerdns_settings.id", ondelete="SET NULL"), default=None, index=True
    )
    server_name: Mapped[str | None] = mapped_column(String(100), default=None)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("powerdns_settings.id", ondelete="SET NULL"), default=None
    )
    source_name: Mapped[str | None] = mapped_column(String(100), default=None)
    # "running", "succeeded", "failed" or "cancelled"
    status: Mapped[str] = mapped_column(String(20), default="running")
    phase: Mapped[str] = mapped_column(String(100), default="")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    current: Mapped[str | None] = mapped_column(String(255), default=None)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    actor: Mapped[str | None] = mapped_column(String(320), default=None)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Set by POST /api/jobs/{id}/cancel: the work stops before its next zone ("cancelled").
    cancel_requested_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    cancelled_by: Mapped[str | None] = mapped_column(String(320), default=None)
