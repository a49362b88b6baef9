"""Per-server operation statistics: success rate and p95 latency over the last hour and day.

Every operation DNSMate sends to a PowerDNS server (reads, writes, queue replays, health
probes) is recorded once, by ``SyncMetrics.observe``, which also feeds ``StatsBuffer``: counts
per (server, minute, kind) in memory. ``flush`` adds them to the ``server_stats`` table with
an upsert that adds (so several processes sharing a database all contribute), periodically
(``Settings.stats_flush_seconds``, see ``monitor``), on shutdown, and before every read of
the statistics, so a reader always includes its own process's latest counts. Rows older than
``RETENTION_MINUTES`` are pruned by the same background task.

The success rate measures server faults, not the user's input. Outcomes: ``success`` and
``rejected`` (the server answered with a data error: 404, 409, 422, a record changed
underneath; it did its job) count as ok; ``failure`` (unreachable, timeout, not answering,
5xx, bad key) as failed; ``skipped``, ``queued``, ``parked`` and ``rolled_back`` are not
requests a server answered and are not counted here (they stay in the Prometheus counters).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Insert, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import dialect_insert
from dnsmate.models.stats import COUNTER_COLUMNS, HISTOGRAM_COLUMNS, server_stats
from dnsmate.services.fleet.servers import list_servers
from dnsmate.services.sync import histogram

Window = Literal["1h", "24h"]
WINDOW_MINUTES: dict[str, int] = {"1h": 60, "24h": 24 * 60}
RETENTION_MINUTES = 2 * 24 * 60
STATS_KINDS = ("read", "write", "replay", "health")
OK_OUTCOMES = frozenset({"success", "rejected"})
FAILED_OUTCOMES = frozenset({"failure"})

Key = tuple[int, int, str]  # server id, minute, kind


def stats_kind(kind: str) -> str:
    """The statistics kind of a metrics kind: every change action (record.create, ...) is a
    write; read, replay and health stay themselves."""
    return kind if kind in STATS_KINDS else "write"


def minute_of(timestamp: float) -> int:
    """Minutes since the Unix epoch."""
    return int(timestamp // 60)


@dataclass
class Bucket:
    """Counts of one (server, minute, kind): ok, failed and the latency histogram."""

    ok: int = 0
    failed: int = 0
    latency: list[int] = field(default_factory=histogram.empty)

    def add(self, other: Bucket) -> None:
        self.ok += other.ok
        self.failed += other.failed
        histogram.merge(self.latency, other.latency)

    @property
    def operations(self) -> int:
        return self.ok + self.failed


class StatsBuffer:
    """This process's counts that are not in the database yet."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._pending: dict[Key, Bucket] = {}
        # Held by a flush from taking the counts to committing them: a reader that flushes
        # meanwhile waits, and then sees them in the database.
        self.flushing = asyncio.Lock()

    def record(self, *, server_id: int, kind: str, outcome: str, seconds: float | None) -> None:
        """Count one operation (outcomes other than ok and failed ones are ignored)."""
        if outcome in OK_OUTCOMES:
            ok = True
        elif outcome in FAILED_OUTCOMES:
            ok = False
        else:
            return
        key = (server_id, minute_of(self._clock()), stats_kind(kind))
        bucket = self._pending.get(key)
        if bucket is None:
            bucket = self._pending[key] = Bucket()
        if ok:
            bucket.ok += 1
        else:
            bucket.failed += 1
        if seconds is not None:
            bucket.latency[histogram.bucket_index(seconds * 1000)] += 1

    def take(self) -> dict[Key, Bucket]:
        """Everything counted so far; the buffer starts empty again."""
        taken, self._pending = self._pending, {}
        return taken

    def restore(self, taken: dict[Key, Bucket]) -> None:
        """Put back counts whose flush failed, so the next flush retries them."""
        for key, bucket in taken.items():
            self._pending.setdefault(key, Bucket()).add(bucket)

    def __len__(self) -> int:
        return len(self._pending)


def _upsert_add(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (server_id, minute, kind) DO UPDATE SET c = c + excluded.c,
    executed with a list of rows (SQLAlchemy batches them within the driver's limits)."""
    keys = [server_stats.c.server_id, server_stats.c.minute, server_stats.c.kind]
    insert = dialect_insert(dialect, server_stats)
    return insert.on_conflict_do_update(
        index_elements=keys,
        set_={c: server_stats.c[c] + insert.excluded[c] for c in COUNTER_COLUMNS},
    )


async def flush(*, session: AsyncSession, buffer: StatsBuffer) -> int:
    """Add the buffer's counts to the database; returns the number of rows written.

    Counts of servers that no longer exist are dropped. When the write fails, the counts go
    back into the buffer for the next flush.
    """
    async with buffer.flushing:
        return await _flush(session, buffer)


async def _flush(session: AsyncSession, buffer: StatsBuffer) -> int:
    taken = buffer.take()
    if not taken:
        return 0
    try:
        known = {row.id for row in await list_servers(session)}
        rows = [
            {
                "server_id": server_id,
                "minute": minute,
                "kind": kind,
                "ok": bucket.ok,
                "failed": bucket.failed,
                **dict(zip(HISTOGRAM_COLUMNS, bucket.latency, strict=True)),
            }
            for (server_id, minute, kind), bucket in taken.items()
            if server_id in known
        ]
        # One key order in every process: concurrent upserts never deadlock on PostgreSQL.
        rows.sort(key=lambda r: (r["server_id"], r["minute"], r["kind"]))
        if rows:
            await session.execute(_upsert_add(session.get_bind().dialect.name), rows)
        await session.commit()
    except BaseException:
        buffer.restore(taken)
        raise
    return len(rows)


async def prune(*, session: AsyncSession, now: float | None = None) -> None:
    """Delete rows older than the retention (two days)."""
    oldest = minute_of(time.time() if now is None else now) - RETENTION_MINUTES
    await session.execute(delete(server_stats).where(server_stats.c.minute < oldest))
    await session.commit()


def _summary(bucket: Bucket) -> dict[str, Any]:
    operations = bucket.operations
    p95 = histogram.quantile(bucket.latency, 0.95)
    return {
        "operations": operations,
        "failed": bucket.failed,
        "success_rate": bucket.ok / operations if operations else None,
        "p95_ms": round(p95, 1) if operations and p95 is not None else None,
    }


async def server_stats_view(
    *,
    session: AsyncSession,
    buffer: StatsBuffer,
    window: Window,
    now: float | None = None,
) -> dict[str, Any]:
    """Every configured server's operations, failures, success rate and p95 latency over
    the window (the current minute and the ones before it), overall and by kind.

    Flushes this process's buffer first, so its latest operations are included.
    """
    await flush(session=session, buffer=buffer)
    since = minute_of(time.time() if now is None else now) - WINDOW_MINUTES[window] + 1
    sums = [func.coalesce(func.sum(server_stats.c[c]), 0) for c in COUNTER_COLUMNS]
    result = await session.execute(
        select(server_stats.c.server_id, server_stats.c.kind, *sums)
        .where(server_stats.c.minute >= since)
        .group_by(server_stats.c.server_id, server_stats.c.kind)
    )
    by_server: dict[int, dict[str, Bucket]] = {}
    for server_id, kind, ok, failed, *latency in result:
        bucket = Bucket(int(ok), int(failed), [int(n) for n in latency])
        by_server.setdefault(server_id, {})[kind] = bucket
    servers = []
    for row in await list_servers(session):
        kinds = by_server.get(row.id, {})
        total = Bucket()
        for bucket in kinds.values():
            total.add(bucket)
        servers.append(
            {
                "server_id": row.id,
                "name": row.name,
                **_summary(total),
                "by_kind": {
                    kind: _summary(kinds[kind])
                    for kind in STATS_KINDS
                    if kind in kinds and kinds[kind].operations
                },
            }
        )
    return {"window": window, "minutes": WINDOW_MINUTES[window], "servers": servers}
