"""API token requests and responses (the secret appears only in ApiTokenCreated)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from dnsmate.db import as_utc
from dnsmate.powerdns.names import display


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = None
    read_only: bool = False
    zones: list[str] | None = Field(default=None, max_length=1000)


class ApiTokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    name: str
    prefix: str
    read_only: bool
    zones: list[str] | None
    expires_at: datetime | None
    last_used_at: datetime | None
    created_at: datetime

    @field_serializer("zones")
    def _zones(self, zones: list[str] | None) -> list[str] | None:
        return None if zones is None else [display(z) for z in zones]

    @field_serializer("expires_at", "last_used_at", "created_at")
    def _utc(self, moment: datetime | None) -> datetime | None:
        return None if moment is None else as_utc(moment)


class ApiTokenCreated(ApiTokenPublic):
    """Returned once, by the creation: ``token`` is the secret and cannot be shown again."""

    token: str
