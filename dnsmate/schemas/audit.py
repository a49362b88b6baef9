"""Audit events as the API shows them (read-only: there is no create, update or delete)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from dnsmate.powerdns.names import display
from dnsmate.schemas.common import UTCDateTime


class DeliveryPublic(BaseModel):
    """A server that got the change after its write answered."""

    server: str
    delivered_at: UTCDateTime
    how: str = Field(description="queue (replayed) or resolved (no longer needed)")
    note: str | None


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: UTCDateTime
    user_id: int | None
    user_email: str | None
    via: str
    client_ip: str | None
    action: str
    zone: str | None
    target: str | None
    outcome: str
    before: Any
    after: Any
    servers: Any
    detail: str | None
    deliveries: list[DeliveryPublic] = Field(
        default_factory=list, description="Servers the retry queue delivered the change to later"
    )
    delivered_at: UTCDateTime | None = Field(
        None, description="When the last server that was owed the change got it"
    )

    @field_serializer("zone")
    def _zone(self, zone: str | None) -> str | None:
        return None if zone is None else display(zone)


class AuditEventsPublic(BaseModel):
    items: list[AuditEventPublic]
    total: int
    page: int
    per_page: int
