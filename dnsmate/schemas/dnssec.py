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
