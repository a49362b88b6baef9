"""DNSSEC requests."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DNSSECEnable(BaseModel):
    algorithm: str = Field(
        default="ECDSAP256SHA256", examples=["ECDSAP256SHA256", "ED25519", "RSASHA256"]
    )
    nsec3: bool | None = Field(
        default=None,
        description="true: NSEC3 (1 0 0 -, RFC 9276); false: NSEC; omitted: keep the zone's",
    )


class DNSSECKey(BaseModel):
    """A signing key as the API shows it (never the private key)."""

    id: int
    keytype: str | None
    flags: int | None
    algorithm: str | None
    bits: int | None
    active: bool
    published: bool
    dnskey: str
    ds: list[str]


class ServerKeys(BaseModel):
    """One target's keys; the key fields are absent when the server did not answer."""

    server: str
    success: bool
    error: str | None
    dnssec: bool | None = None
    api_rectify: bool | None = None
    nsec3param: str | None = None
    matches_reference: bool | None = None
    keys: list[DNSSECKey] | None = None


class DNSSECStatus(BaseModel):
    """Keys on every target, DS records for the registrar, and whether the DNSKEYs match."""

    name: str
    dnssec: bool
    reference_server: str | None
    ds: list[str]
    ds_records: list[str]
    nsec3param: str
    dnskeys_match: bool
    nsec3_match: bool
    mismatched_servers: list[str]
    server_keys: list[ServerKeys]
