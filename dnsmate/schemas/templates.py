"""Zone template requests and responses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import UTCDateTime
from dnsmate.schemas.records import DEFAULT_TTL
from dnsmate.schemas.soa import SoaFields


class TemplateRecord(BaseModel):
    name: str = Field(default="@", max_length=255, examples=["@", "www", "_dmarc"])
    type: str = Field(max_length=10, examples=["MX"])
    content: str = Field(
        max_length=65535,
        examples=["10 mail"],
        description="Zone-file text; names without a trailing dot are relative to the zone",
    )
    ttl: int | None = Field(default=None, description="Omit to use the template's default TTL")


class TemplateBase(BaseModel):
    description: str = Field(default="", max_length=2000)
    default_ttl: int = Field(default=DEFAULT_TTL, ge=0)
    nameservers: list[str] = Field(default_factory=list, examples=[["ns1.example.net."]])
    soa_edit_api: str = Field(default="DEFAULT", examples=["DEFAULT", "INCREASE", "EPOCH"])
    soa: SoaFields | None = Field(
        default=None, description="SOA fields of zones made from it (others: Settings)"
    )
    records: list[TemplateRecord] = Field(default_factory=list)


class TemplateCreate(TemplateBase):
    name: str = Field(min_length=1, max_length=100)


class TemplateUpdate(BaseModel):
    """Fields to change; omitted ones stay (``records`` replaces the whole list)."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    default_ttl: int | None = Field(default=None, ge=0)
    nameservers: list[str] | None = None
    soa_edit_api: str | None = None
    soa: SoaFields | None = None
    records: list[TemplateRecord] | None = None


class TemplateFromZone(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class TemplatePublic(TemplateBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: UTCDateTime
    updated_at: UTCDateTime


class TemplatesPublic(BaseModel):
    items: list[TemplatePublic]
    total: int
