"""Webhook endpoints and their delivery log (the secret only in the creation answer)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import UTCDateTime


class WebhookCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=1, max_length=2000, description="http:// or https:// URL")
    events: list[str] = Field(
        min_length=1, max_length=20, description="Event kinds (GET /api/webhooks/events)"
    )


class WebhookUpdate(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=100)
    url: str | None = Field(None, min_length=1, max_length=2000)
    events: list[str] | None = Field(None, min_length=1, max_length=20)
    is_active: bool | None = None


class WebhookPublic(BaseModel):
    id: int
    name: str
    url: str
    events: list[str]
    is_active: bool
    created_by: str | None
    created_at: UTCDateTime
    pending: int = 0
    delivered: int = 0
    failed: int = 0


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="The signing secret: shown once, store it now")


class WebhookEventKind(BaseModel):
    kind: str
    description: str


class WebhookDeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    webhook_id: int
    event: str
    payload: dict[str, Any]
    status: str = Field(description="pending, delivered or failed (gave up)")
    attempts: int
    next_attempt_at: UTCDateTime
    last_status_code: int | None
    last_response: str | None = Field(description="The start of the endpoint's last answer")
    last_error: str | None
    created_at: UTCDateTime
    delivered_at: UTCDateTime | None
