"""PowerDNS shapes of the compatible API's metadata and TSIG key routes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class PdnsMetadata(BaseModel):
    kind: str = Field(examples=["ALSO-NOTIFY"])
    metadata: list[str] = Field(examples=[["192.0.2.9"]])
    type: Literal["Metadata"] = "Metadata"


class PdnsTSIGKey(BaseModel):
    name: str = Field(examples=["xfr-key"])
    id: str = Field(examples=["xfr-key."])
    algorithm: str = Field(examples=["hmac-sha256"])
    key: str = Field(description="The base64 secret; empty in lists")
    type: Literal["TSIGKey"] = "TSIGKey"
