"""What a running app holds for consistency: sessions, clients, breaker policy, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dnsmate.services.fleet.servers import ClientPool
from dnsmate.services.sync.health import BreakerPolicy
from dnsmate.services.sync.locks import Locks, ProcessLock
from dnsmate.services.sync.metrics import SyncMetrics
from dnsmate.services.webhooks.outbox import HookCache


@dataclass
class SyncRuntime:
    """Built once by create_app; the write pipeline, the worker and the sync routes share it.

    ``sessions`` come from an engine of their own, not from the request pool: a request
    that replays a server's queued changes before its write (``catch_up``) already holds a
    pooled connection and must never wait for a second one from the same pool.
    """

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    pool: ClientPool
    breaker: BreakerPolicy
    interval_seconds: float
    locks: Locks
    # A queued change that keeps failing while its server answers is parked after this
    # many attempts (``DNSMATE_QUEUE_MAX_ATTEMPTS``).
    max_attempts: int = 5
    # The webhook subscriptions held in memory (events are added to the outbox with the
    # change they report); None reads them from the database.
    hooks: HookCache | None = None
    # The zones drifted or missing at this process's last drift check (webhooks report
    # only zones new to that set).
    drifted: set[str] = field(default_factory=set)
    metrics: SyncMetrics = field(default_factory=SyncMetrics)

    def drain_lock(self, server_id: int) -> ProcessLock:
        """One replay per server at a time, in this process and (PostgreSQL) in all; held
        for one change at a time, so replays of different zones take turns."""
        return self.locks.get(f"replay:{server_id}")
