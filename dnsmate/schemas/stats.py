"""Per-server operation statistics (the dashboard's success rate and p95 latency)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.services.sync.stats import Window


class OperationStats(BaseModel):
    operations: int = Field(description="Operations the server answered or failed")
    failed: int
    success_rate: float | None = Field(description="ok / operations; null without operations")
    p95_ms: float | None = Field(
        description="Estimated 95th percentile latency in ms; null without timed operations"
    )


class ServerStats(OperationStats):
    server_id: int
    name: str
    by_kind: dict[str, OperationStats] = Field(
        description="The same per kind (read, write, replay, health), kinds with operations only"
    )


class ServerStatsPublic(BaseModel):
    window: Window
    minutes: int = Field(description="Length of the window in minutes (the current one included)")
    servers: list[ServerStats]
