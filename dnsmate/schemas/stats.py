"""Per-server operation statistics (the dashboard's success rate and p95 latency)."""

from __future__ import annotations

from typing import Literal

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


class PowerDNSFigures(BaseModel):
    """One server's own statistics (PowerDNS's counters since it started)."""

    server_id: int
    name: str
    state: Literal["ok", "not_answering", "unreachable"]
    error: str | None = None
    uptime_seconds: int | None = None
    udp_queries: int | None = None
    tcp_queries: int | None = None
    packet_cache_hit_rate: float | None = Field(
        default=None, description="packetcache-hit / (hit + miss); null before any lookup"
    )
    query_cache_hit_rate: float | None = Field(
        default=None, description="query-cache-hit / (hit + miss); null before any lookup"
    )
    latency_us: int | None = Field(default=None, description="PowerDNS's average latency (µs)")
