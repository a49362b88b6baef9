"""Access control tables: API tokens, zone grants, login attempts, the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, utcnow


class ApiToken(Base):
    """A user's API token. Only the SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so an operator can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(20))
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Absolute zone names the token is limited to; None means every zone the user may use.
    zones: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # Absolute host names a DynDNS token may change (/nic/update only); None: not limited.
    hosts: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # RecordLimits.to_json() or None: the RRsets this token may write (beyond its user's).
    record_limits: Mapped[Any] = mapped_column(JSON, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ZoneGrant(Base):
    """A zone a manager may read and write (absolute zone name)."""

    __tablename__ = "zone_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    zone: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("uq_zone_grants_user_zone", "user_id", "zone", unique=True),)


class LoginAttempt(Base):
    """One login attempt; failures within the window drive the throttle
    (services/access/throttle.py).

    An attempt is stored as a failure before the password is checked and set to succeeded
    after; ``cleared`` marks the failures of an (account, address) that later logged in.
    """

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    client_ip: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class AuditEvent(Base):
    """One recorded action. Append-only: nothing updates or deletes these rows."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    # Kept as text too, so events stay readable after the user is deleted.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    user_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    via: Mapped[str] = mapped_column(String(120))
    client_ip: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    zone: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    target: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # success, partial or failed
    outcome: Mapped[str] = mapped_column(String(20))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    servers: Mapped[Any] = mapped_column(JSON, nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
