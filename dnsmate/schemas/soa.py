"""SOA requests and responses: Settings > Zone defaults, a zone's SOA form."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.services.zonedata.validation import MAX_TTL


class SoaFields(BaseModel):
    """SOA fields; a field left out (null) is not set here: the next layer's value applies
    (zone request, then template, then Settings, then the built-in default)."""

    primary: str | None = Field(
        default=None, max_length=255, examples=["ns1.example.net."],
        description="Primary name server (MNAME); default: the zone's first name server",
    )  # fmt: skip
    hostmaster: str | None = Field(
        default=None, max_length=255, examples=["hostmaster@example.net"],
        description="Responsible mailbox as an e-mail address or a DNS name; "
        "default: hostmaster.<zone>",
    )  # fmt: skip
    refresh: int | None = Field(default=None, ge=0, le=MAX_TTL, examples=[10800])
    retry: int | None = Field(default=None, ge=0, le=MAX_TTL, examples=[3600])
    expire: int | None = Field(default=None, ge=0, le=MAX_TTL, examples=[604800])
    minimum: int | None = Field(
        default=None, ge=0, le=MAX_TTL, examples=[3600], description="Negative-answer TTL"
    )
    ttl: int | None = Field(
        default=None, ge=0, le=MAX_TTL, examples=[3600], description="TTL of the SOA record"
    )


class SoaDefaultsPublic(SoaFields):
    """The stored defaults (null: built-in) and the built-in values."""

    builtin: dict[str, int | str]


class SoaPublic(BaseModel):
    """A zone's SOA as the read server has it."""

    primary: str
    hostmaster: str
    serial: int
    refresh: int
    retry: int
    expire: int
    minimum: int
    ttl: int
    soa_edit_api: str = Field(description="How PowerDNS moves the serial on API changes")
