"""Drift between the target servers: the status of every zone, and one zone's differences."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from dnsmate.schemas.sync import DriftRRset


class ZoneSyncState(BaseModel):
    zone: str
    status: Literal["in_sync", "drifted", "missing", "unknown"]
    missing_on: list[str]
    drifted_on: list[str]
    unknown_on: list[str] | None = Field(
        default=None, description="Servers whose copy could not be read (absent when none)"
    )
    checked: Literal["serial", "content"]


class SyncStatus(BaseModel):
    """Every zone on every target (``GET /api/sync/status``)."""

    servers: list[str]
    reference: str
    unreachable: dict[str, str] = Field(description="Server name: error")
    deep: bool
    summary: dict[str, int] = Field(description="Zones per status")
    zones: list[ZoneSyncState]
    duration_ms: float


class RRsetDifference(BaseModel):
    name: str
    type: str
    reference: DriftRRset
    server: DriftRRset


class ServerDiff(BaseModel):
    """One target against the reference; the RRset lists are absent unless compared."""

    server: str
    server_id: int
    status: Literal["in_sync", "drifted", "missing", "unreachable"]
    error: str | None
    missing: list[DriftRRset] | None = None
    extra: list[DriftRRset] | None = None
    different: list[RRsetDifference] | None = None


class ZoneDiff(BaseModel):
    """One zone on every target, compared with the reference server."""

    zone: str
    reference: str
    reference_id: int
    in_sync: bool
    servers: list[ServerDiff]
