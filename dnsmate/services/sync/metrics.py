"""Prometheus metrics of one app (its own registry, so several apps in one process coexist).

Counters and the latency histogram are updated as operations finish; gauges (breaker state,
queue depth) are read from the database when ``/metrics`` is scraped; the drifted-zones
gauge is set by each sync status check (on request, or periodically by ``monitor``).

``SyncMetrics.observe`` is the one place where an operation's outcome is recorded: it also
feeds the persisted per-server statistics (``stats.StatsBuffer``) behind the dashboard.
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.services.fleet.servers import list_servers
from dnsmate.services.sync.health import (
    STATE_VALUES,
    breaker_states,
    effective_state,
    pending_counts,
)
from dnsmate.services.sync.stats import StatsBuffer

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class SyncMetrics:
    """Per-server operation counters and latencies, breaker states, queue depth, drift."""

    def __init__(self) -> None:
        # Counts for the dashboard's statistics, flushed to the database (see stats.py).
        self.stats = StatsBuffer()
        self.registry = CollectorRegistry(auto_describe=True)
        self.operations = Counter(
            "dnsmate_powerdns_operations",
            "Operations sent to a PowerDNS server, by kind and outcome "
            "(success, failure, skipped, queued, parked, rolled_back)",
            ["server", "kind", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "dnsmate_powerdns_operation_seconds",
            "Latency of operations per PowerDNS server (reads, writes, replays, health probes)",
            ["server", "kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.breaker = Gauge(
            "dnsmate_breaker_state",
            "Circuit breaker per server: 0 closed, 1 half-open, 2 open",
            ["server"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "dnsmate_sync_queue_depth",
            "Changes waiting in the retry queue per server and status (pending, parked)",
            ["server", "status"],
            registry=self.registry,
        )
        self.drifted = Gauge(
            "dnsmate_zones_drifted",
            "Zones found drifted or missing on some server by the last sync status check",
            registry=self.registry,
        )

    def observe(
        self,
        *,
        server: str,
        server_id: int | None,
        kind: str,
        outcome: str,
        seconds: float | None,
    ) -> None:
        """Count one operation and, when it reached the server, its latency.

        Prometheus labels carry the name (for people); the statistics table the id.
        """
        self.operations.labels(server=server, kind=kind, outcome=outcome).inc()
        if seconds is not None:
            self.latency.labels(server=server, kind=kind).observe(seconds)
        if server_id is not None:
            self.stats.record(server_id=server_id, kind=kind, outcome=outcome, seconds=seconds)

    def render(
        self,
        *,
        breakers: Mapping[str, int],
        queue: Mapping[tuple[str, str], int],
    ) -> bytes:
        """The text exposition, after setting the gauges from the given snapshots."""
        self.breaker.clear()
        for server, value in breakers.items():
            self.breaker.labels(server=server).set(value)
        self.queue_depth.clear()
        for (server, status), count in queue.items():
            self.queue_depth.labels(server=server, status=status).set(count)
        return generate_latest(self.registry)


async def render_metrics(*, session: AsyncSession, metrics: SyncMetrics) -> bytes:
    """The Prometheus text for ``GET /metrics``, gauges read from the database now."""
    servers = {row.id: row.name for row in await list_servers(session)}
    breakers = await breaker_states(session)
    counts = await pending_counts(session)
    states = {
        name: STATE_VALUES[effective_state(breakers.get(sid))] for sid, name in servers.items()
    }
    queue = {(servers[sid], status): 0 for sid in servers for status in ("pending", "parked")}
    for (sid, status), count in counts.items():
        if sid in servers:
            queue[(servers[sid], status)] = count
    return metrics.render(breakers=states, queue=queue)
