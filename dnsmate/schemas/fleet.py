"""Fleet operations: onboarding and retiring servers, reconcile everything, their jobs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dnsmate.schemas.common import PUBLIC, RowId, UTCDateTime

JobStatus = Literal["running", "succeeded", "failed", "cancelled", "interrupted"]


class OnboardRequest(BaseModel):
    source: RowId = Field(description="id of the server whose zones are copied (the reference)")
    force: bool = Field(
        default=False, description="Copy zones whose plan changes over 30 % of their RRsets"
    )


class ZoneCopyPublic(BaseModel):
    """One zone of an onboarding plan."""

    zone: str
    action: Literal["create", "update", "in_sync"]
    rrsets: int = Field(description="RRsets of the source's copy")
    adds: int
    changes: int
    deletes: int
    unsafe: bool = Field(description="The update changes or deletes over 30 % of its RRsets")
    dnssec: bool = Field(description="Signed on the source: its DNSSEC keys are copied too")


class OnboardSummary(BaseModel):
    zones: int
    create: int
    update: int
    in_sync: int
    rrsets: int = Field(description="RRsets to write: every RRset of a created zone, plus updates")
    unsafe: int
    dnssec: int


class OnboardPlan(BaseModel):
    """What onboarding ``server`` from ``source`` does, zone by zone (nothing written yet)."""

    model_config = PUBLIC

    server: str
    server_id: int
    source: str
    source_id: int
    zones: list[ZoneCopyPublic]
    extra_zones: list[str] = Field(description="Zones only the server holds (left alone)")
    summary: OnboardSummary
    safe: bool = Field(description="No zone needs force")


class RetireRequest(BaseModel):
    delete_zones: bool = Field(
        default=False,
        description="Also delete from it the zones the remaining write targets hold",
    )


class ReconcileAllRequest(BaseModel):
    source: RowId = Field(description="id of the server whose copies are right")
    dry_run: bool = True
    force: bool = Field(
        default=False, description="Repair zones whose plan changes over 30 % of a server's RRsets"
    )
    deep: bool = Field(
        default=False,
        description="Compare every zone's content, not only zones whose serials differ",
    )


class ServerRepair(BaseModel):
    """One target's part of a zone's repair."""

    server: str
    create_zone: bool
    copy_keys: bool = Field(description="Holds the signed zone unsigned: keys imported")
    adds: int
    changes: int
    deletes: int
    unsafe: bool
    error: str | None


class ZoneRepair(BaseModel):
    zone: str
    unsafe: bool
    servers: list[ServerRepair]


class ReconcileAllPlan(BaseModel):
    """Every zone that differs from the source somewhere, and what repairs it."""

    model_config = PUBLIC

    source: str
    source_id: int
    servers: list[str] = Field(description="The write targets compared with the source")
    checked: int = Field(description="Zones of the source looked at")
    zones: list[ZoneRepair]
    not_on_source: list[str] = Field(description="Zones the source lacks (left alone)")
    unreachable: dict[str, str]
    unsafe: int
    deep: bool


class JobPublic(BaseModel):
    """A fleet job: onboard, retire or reconcile; poll ``GET /api/jobs/{id}``."""

    model_config = ConfigDict(from_attributes=True, **PUBLIC)

    id: int
    kind: Literal["onboard", "retire", "reconcile"]
    server_id: int | None
    server: str | None
    source_id: int | None
    source: str | None
    status: JobStatus = Field(
        description="interrupted: the process running it stopped (start it again)"
    )
    phase: str
    total: int
    done: int
    progress: float | None = Field(description="done / total, null before the total is known")
    current: str | None = Field(description="The zone at hand")
    options: dict[str, Any]
    result: dict[str, Any]
    error: str | None
    actor: str | None
    cancel_requested: bool = Field(
        description="POST /api/jobs/{id}/cancel was sent: it stops before its next zone"
    )
    cancelled_by: str | None
    created_at: UTCDateTime
    updated_at: UTCDateTime
    finished_at: UTCDateTime | None
