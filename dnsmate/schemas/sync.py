"""Consistency settings, the retry queue, drift and reconcile."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import RowId, UTCDateTime
from dnsmate.schemas.outcomes import ServerOutcome
from dnsmate.services.sync.policy import PartialFailurePolicy


class ConsistencySettingsPublic(BaseModel):
    on_partial_failure: PartialFailurePolicy = Field(
        description="retry (queue for failed servers), report (207 only), rollback (all or nothing)"
    )


class ConsistencySettingsUpdate(ConsistencySettingsPublic):
    pass


class QueueLine(BaseModel):
    """One record (or zone) a queued change touches, as a person checks it."""

    operation: str = Field(description="add, update, delete, replace, create zone, ...")
    name: str | None
    type: str | None
    content: str | None = Field(description="New content (None: the whole RRset or zone)")
    old_content: str | None = Field(description="For an update: the content it replaces")


class QueueEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    server_id: int
    server: str
    zone: str
    status: str = Field(description="pending (replayed in turn) or parked (an admin decides)")
    attempts: int = Field(description="Replays that failed while the server answered")
    last_error: str | None
    actor: str | None
    reason: str
    operation: str = Field(description="The kind of change (AddRecord, BulkRecords, ...)")
    lines: list[QueueLine]
    change: dict[str, Any]
    audit_event_id: int | None = Field(description="The audit event of the write that queued it")
    age_seconds: float = Field(description="Seconds since the change was queued")
    created_at: UTCDateTime
    updated_at: UTCDateTime


class QueuePublic(BaseModel):
    items: list[QueueEntryPublic]
    pending: int = Field(description="Pending entries matching the server and zone filters")
    parked: int = Field(description="Parked entries matching the server and zone filters")


class QueueSelection(BaseModel):
    """Queue entries to retry or drop at once."""

    ids: list[RowId] = Field(min_length=1, max_length=1000)


class QueueRetried(BaseModel):
    items: list[QueueEntryPublic]


class QueueDropped(BaseModel):
    dropped: int


class ReconcileRequest(BaseModel):
    source: int = Field(description="id of the server whose copy of the zone is right")
    dry_run: bool = True
    force: bool = False


class RRsetKey(BaseModel):
    name: str
    type: str


class RRsetComment(BaseModel):
    content: str
    account: str


class DriftRRset(RRsetKey):
    """An RRset as drift and reconcile show it (record contents sorted)."""

    ttl: int
    records: list[str]
    comments: list[RRsetComment] | None = Field(
        default=None, description="The RRset's PowerDNS comments (absent when it has none)"
    )


class ServerReconcilePlan(BaseModel):
    """What reconciling does to one target: RRsets it creates, updates and deletes."""

    server: str
    create_zone: bool
    copy_keys: bool = Field(
        description="The source signs the zone and this server holds it unsigned: the "
        "source's DNSSEC keys are imported (as for a zone it creates)"
    )
    creates: list[DriftRRset]
    updates: list[DriftRRset]
    deletes: list[RRsetKey]
    existing_rrsets: int
    unsafe: bool = Field(description="Changes or deletes more than 30 % of the server's RRsets")
    error: str | None


class ReconcileAnswer(BaseModel):
    """The plan (200, ``dry_run``), refused (409: unsafe without ``force``), or applied
    (200, or 207 when some servers failed: ``results`` holds the per-server outcomes)."""

    zone: str
    source: str
    safe: bool
    servers: list[ServerReconcilePlan]
    dry_run: bool
    applied: bool
    refused: bool
    results: list[ServerOutcome]
    message: str | None = Field(default=None, description="Why it was refused (409)")
    queued_servers: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    resolved_parked: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Parked changes of the zone on servers that now hold the source's copy: "
        "moot, removed from the queue (each with a sync.queue.resolve audit event)",
    )


class DrainReportPublic(BaseModel):
    """What one drain did: changes replayed, parked and still failing, servers unavailable."""

    replayed: int
    parked: int
    failed: int = Field(
        description="Replays that failed while the server answered; they stay pending "
        "(holding back only their zone) until parked after the configured attempts"
    )
    unavailable: dict[str, str] = Field(description="Server name: why it was not drained")


class BreakerPublic(BaseModel):
    """A server's circuit breaker and queue depth."""

    id: int
    name: str
    state: str
    failures: int
    last_error: str | None
    latency_ms: float | None
    checked_at: UTCDateTime | None
    retry_at: UTCDateTime | None
    pending: int
    parked: int
