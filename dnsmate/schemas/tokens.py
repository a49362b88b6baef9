"""API token requests and responses (the secret appears only in ApiTokenCreated)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from dnsmate.powerdns.names import display
from dnsmate.schemas.common import UTCDateTime
from dnsmate.schemas.limits import RecordLimitsBody


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_at: UTCDateTime | None = None
    read_only: bool = False
    zones: list[str] | None = Field(default=None, max_length=1000)
    # A DynDNS token: it changes only these host names, through /nic/update.
    hosts: list[str] | None = Field(default=None, max_length=100)
    # The RRsets the token may write, on top of its user's limits (null: the user's).
    record_limits: RecordLimitsBody | None = None


class ApiTokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    read_only: bool
    zones: list[str] | None
    hosts: list[str] | None = None
    record_limits: dict[str, Any] | None = None
    expires_at: UTCDateTime | None
    last_used_at: UTCDateTime | None
    created_at: UTCDateTime

    @field_serializer("zones", "hosts")
    def _names(self, names: list[str] | None) -> list[str] | None:
        return None if names is None else [display(n) for n in names]


class ApiTokenCreated(ApiTokenPublic):
    """Returned once, by the creation: ``token`` is the secret and cannot be shown again."""

    token: str
