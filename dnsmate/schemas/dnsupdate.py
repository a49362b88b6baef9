"""DNS UPDATE key requests and responses (the secret appears only in DnsUpdateKeyCreated)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from dnsmate.powerdns.names import display
from dnsmate.schemas.common import UTCDateTime


class DnsUpdateKeyCreate(BaseModel):
    # The TSIG key name clients sign with (nsupdate's -y NAME, Kea's key "name").
    name: str = Field(min_length=1, max_length=200)
    algorithm: str = Field(default="hmac-sha256", max_length=40)
    zones: list[str] | None = Field(default=None, max_length=1000)


class DnsUpdateKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    algorithm: str
    zones: list[str] | None
    last_used_at: UTCDateTime | None
    created_at: UTCDateTime

    @field_serializer("name")
    def _name(self, name: str) -> str:
        return display(name)

    @field_serializer("zones")
    def _zones(self, zones: list[str] | None) -> list[str] | None:
        return None if zones is None else [display(z) for z in zones]


class DnsUpdateKeyCreated(DnsUpdateKeyPublic):
    """Returned once, by the creation: ``secret`` (base64) cannot be shown again."""

    secret: str
