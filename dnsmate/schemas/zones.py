"""Zone requests and responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from dnsmate.schemas.common import PUBLIC, UTCDateTime
from dnsmate.schemas.soa import SoaFields


class ZoneCreate(BaseModel):
    name: str = Field(min_length=1, max_length=253, examples=["example.com"])
    kind: str = Field(
        default="Native", examples=["Native", "Master", "Slave", "Producer", "Consumer"]
    )
    nameservers: list[str] = Field(default_factory=list, examples=[["ns1.example.com."]])
    masters: list[str] = Field(default_factory=list)
    template_id: int | None = Field(
        default=None, description="Start the zone with this template's records and settings"
    )
    soa: SoaFields | None = Field(
        default=None, description="SOA fields for this zone (others: template, then Settings)"
    )


class ZoneClone(BaseModel):
    """A new zone with a copy of this zone's records."""

    name: str = Field(min_length=1, max_length=253, examples=["copy.example.com"])
    kind: str | None = Field(default=None, description="Default: the source zone's kind")


class ZonePublic(BaseModel):
    model_config = PUBLIC

    name: str
    kind: str | None
    serial: int | None
    dnssec: bool
    account: str = ""
    masters: list[str] = []


class ZonesPublic(BaseModel):
    items: list[ZonePublic]
    total: int
    page: int
    per_page: int


class ZoneDriftPublic(BaseModel):
    """A zone's result in the last sync status check (``GET /api/sync/status`` or the
    periodic check): ``in_sync``, ``drifted``, ``missing`` or ``unknown``."""

    status: Literal["in_sync", "drifted", "missing", "unknown"]
    drifted_on: list[str]
    missing_on: list[str]
    checked_at: UTCDateTime


class ZoneDetail(ZonePublic):
    """One zone: its metadata, apex name servers and where writes go now."""

    nameservers: list[str]
    catalog: str = Field(default="", description='The catalog (Producer zone) it is in ("": none)')
    servers: list[str] = Field(description="The servers a write to this zone goes to now")
    drift: ZoneDriftPublic | None = Field(
        default=None,
        description="The zone in the last sync status check (admins; none before a check)",
    )
    can_write_records: bool = Field(description="The caller may change this zone's records")
    can_manage_zone: bool = Field(
        description="The caller may delete this zone or save it as a template"
    )
