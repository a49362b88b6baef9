"""DNSSEC requests."""

from __future__ import annotations

from pydantic import BaseModel, Field


class DNSSECEnable(BaseModel):
    algorithm: str = Field(
        default="ECDSAP256SHA256", examples=["ECDSAP256SHA256", "ED25519", "RSASHA256"]
    )
