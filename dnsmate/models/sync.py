"""Multi-server consistency: the retry queue (outbox), circuit breakers, the policy setting."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, TimestampMixin, utcnow


class SyncQueueEntry(TimestampMixin, Base):
    """One change still owed to one server.

    Rows of one server are replayed in ``id`` order (the order DNSMate accepted them).
    ``status`` is ``pending`` (replayed when the server is healthy) or ``parked`` (PowerDNS
    rejected it for good; an admin retries or deletes it). ``audit_event_id`` is the audit
    event of the write that queued it: its delivery is recorded there (``ChangeDelivery``).
    """

    __tablename__ = "sync_queue"
    __table_args__ = (
        Index("ix_sync_queue_server_status", "server_id", "status", "id"),
        Index("ix_sync_queue_server_zone", "server_id", "zone", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_id: Mapped[int] = mapped_column(
        ForeignKey("powerdns_settings.id", ondelete="CASCADE"), index=True
    )
    zone: Mapped[str] = mapped_column(String(255))
    change: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    actor: Mapped[str | None] = mapped_column(String(320), default=None)
    reason: Mapped[str] = mapped_column(String(100), default="")
    audit_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_events.id", ondelete="SET NULL"), default=None
    )


class ChangeDelivery(Base):
    """A change that reached a server after its write answered (replayed from the retry
    queue, or made moot by a reconcile): the audit event of the change shows when.

    Audit events stay append-only; these rows complete them.
    """

    __tablename__ = "change_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("audit_events.id", ondelete="CASCADE"), index=True
    )
    server_id: Mapped[int | None] = mapped_column(
        ForeignKey("powerdns_settings.id", ondelete="SET NULL"), default=None
    )
    server: Mapped[str] = mapped_column(String(100))
    delivered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "queue" (replayed) or "resolved" (no longer needed, e.g. after a reconcile)
    how: Mapped[str] = mapped_column(String(20), default="queue")
    note: Mapped[str | None] = mapped_column(Text, default=None)


class ServerBreaker(Base):
    """The circuit breaker of one server, shared by every DNSMate process through the DB."""

    __tablename__ = "server_breakers"

    server_id: Mapped[int] = mapped_column(
        ForeignKey("powerdns_settings.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20), default="closed")
    failures: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # While open, writes skip the server until this moment; then it is half-open.
    retry_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    latency_ms: Mapped[float | None] = mapped_column(Float, default=None)


class ConsistencySettings(Base):
    """The single row (id 1) of consistency settings; absent means the defaults."""

    __tablename__ = "consistency_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    on_partial_failure: Mapped[str] = mapped_column(String(20), default="retry")


class ZoneDriftCheck(Base):
    """A zone's result in the last sync status check (one row per zone seen on a target):
    what the zone page shows, whichever process or browser tab ran the check."""

    __tablename__ = "zone_drift_checks"

    zone: Mapped[str] = mapped_column(String(255), primary_key=True)  # FQDN, lower case
    status: Mapped[str] = mapped_column(String(20))  # in_sync, drifted, missing, unknown
    drifted_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    missing_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
