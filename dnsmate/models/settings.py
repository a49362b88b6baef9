"""The PowerDNS servers DNSMate manages."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, TimestampMixin


class PowerDNSSettings(TimestampMixin, Base):
    """One PowerDNS Authoritative server and how DNSMate writes to it."""

    __tablename__ = "powerdns_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    api_url: Mapped[str] = mapped_column(String(500))
    # Fernet token; the key is derived from DNSMATE_SECRET_KEY (see dnsmate.security).
    api_key_encrypted: Mapped[str] = mapped_column("api_key", Text)
    server_id: Mapped[str] = mapped_column(String(100), default="localhost")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    multi_server_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    timeout_seconds: Mapped[float] = mapped_column(Float, default=10.0)
    verify_ssl: Mapped[bool] = mapped_column(Boolean, default=True)
    # "active", or "seeding" while an onboarding job copies the zones onto it: it is then no
    # write target, and every write is queued for it (replayed once seeding is done).
    lifecycle: Mapped[str] = mapped_column(String(20), default="active", server_default="active")


class RecordSettings(Base):
    """The single row (id 1) of record-change defaults; absent: the defaults below.

    ``auto_ptr``: an A/AAAA change keeps the PTR in the managed reverse zone in step unless
    the request says otherwise (``?ptr=``).
    """

    __tablename__ = "record_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    auto_ptr: Mapped[bool] = mapped_column(Boolean, default=False)
