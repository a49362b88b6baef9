"""Zone templates: records, name servers and SOA-EDIT-API to start a new zone with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, TimestampMixin


class ZoneTemplate(TimestampMixin, Base):
    """A named set of records (names ``@`` or relative to the zone) and zone settings."""

    __tablename__ = "zone_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    default_ttl: Mapped[int] = mapped_column(Integer, default=3600)
    nameservers: Mapped[list[str]] = mapped_column(JSON, default=list)
    soa_edit_api: Mapped[str] = mapped_column(String(30), default="DEFAULT")
    # [{"name": "@", "type": "MX", "content": "10 mail", "ttl": null}, ...]
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # SOA fields this template sets ({"hostmaster": ..., "refresh": ...}); others: defaults.
    soa: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ZoneDefaults(Base):
    """Settings > Zone defaults (one row, id 1): the SOA new zones start with.

    A None column means "the built-in default" (``dnsmate.services.zonedata.soa``).
    """

    __tablename__ = "zone_defaults"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soa_primary: Mapped[str | None] = mapped_column(String(255), nullable=True)
    soa_hostmaster: Mapped[str | None] = mapped_column(String(255), nullable=True)
    soa_refresh: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soa_retry: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soa_expire: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soa_minimum: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soa_ttl: Mapped[int | None] = mapped_column(Integer, nullable=True)
