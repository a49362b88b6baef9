"""What a running app holds for consistency: sessions, clients, breaker policy, metrics."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from dnsmate.services.servers import ClientPool
from dnsmate.services.sync.health import BreakerPolicy
from dnsmate.services.sync.metrics import SyncMetrics


@dataclass
class SyncRuntime:
    """Built once by create_app; the write pipeline, the worker and the sync routes share it."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    pool: ClientPool
    breaker: BreakerPolicy
    interval_seconds: float
    metrics: SyncMetrics = field(default_factory=SyncMetrics)
    # One replay per server at a time inside this process (PostgreSQL adds a cross-process
    # advisory lock on top, see locks.exclusive).
    _drain_locks: dict[int, asyncio.Lock] = field(default_factory=dict)

    def drain_lock(self, server_id: int) -> asyncio.Lock:
        return self._drain_locks.setdefault(server_id, asyncio.Lock())
