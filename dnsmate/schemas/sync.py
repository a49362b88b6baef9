"""Consistency settings, the retry queue, drift and reconcile."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import UTCDateTime
from dnsmate.services.sync.policy import PartialFailurePolicy


class ConsistencySettingsPublic(BaseModel):
    on_partial_failure: PartialFailurePolicy = Field(
        description="retry (queue for failed servers), report (207 only), rollback (all or nothing)"
    )


class ConsistencySettingsUpdate(ConsistencySettingsPublic):
    pass


class QueueEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    server_id: int
    server: str
    zone: str
    status: str
    attempts: int
    last_error: str | None
    actor: str | None
    reason: str
    change: dict[str, Any]
    created_at: UTCDateTime
    updated_at: UTCDateTime


class QueuePublic(BaseModel):
    items: list[QueueEntryPublic]
    pending: int
    parked: int


class ReconcileRequest(BaseModel):
    source: int = Field(description="id of the server whose copy of the zone is right")
    dry_run: bool = True
    force: bool = False
