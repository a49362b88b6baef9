"""TSIG keys for RFC 2136 dynamic updates (``dnsmate.services.dnsupdate``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, utcnow


class DnsUpdateKey(Base):
    """A TSIG key that signs DNS UPDATE messages; it acts as the user who created it.

    The secret is kept encrypted with the SecretBox (DNSMATE_SECRET_KEY), not hashed:
    verifying an HMAC needs the secret itself.
    """

    __tablename__ = "dns_update_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The key name as it appears in the TSIG record: absolute, lower case.
    name: Mapped[str] = mapped_column(String(255), unique=True)
    # dnspython's algorithm name, e.g. "hmac-sha256."
    algorithm: Mapped[str] = mapped_column(String(40))
    secret_encrypted: Mapped[str] = mapped_column(Text)
    # Absolute zone names the key is limited to; None means every zone its user may change.
    zones: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
