"""The servers as a write sees them: settings, circuit breakers and retry backlog, in memory.

Every write needs the configured servers (to choose its targets), their breakers (to skip
an unhealthy one) and which of them still owe queued changes (to replay those first).
These change rarely, so each process holds one ``ServerState`` (``ServerStateCache``),
dropped whenever one of the three tables changes (``dnsmate.services.invalidation``: at
once in this process, by notification in the others on PostgreSQL, and after
``server_cache_seconds`` in any case).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import PowerDNSSettings, ServerBreaker, SyncQueueEntry
from dnsmate.services.invalidation import SERVERS, Invalidator, Memo

# A server's lifecycle: "active"; PENDING when it was added to write targets that hold zones
# (not a write target, nothing queued for it, until onboarded); SEEDING while an onboarding
# job copies zones onto it (not a target either, but every write is queued for it).
ACTIVE = "active"
PENDING = "pending"
SEEDING = "seeding"


@dataclass(frozen=True)
class ServerRow:
    """A copy of one ``PowerDNSSettings`` row (what target selection and clients read)."""

    id: int
    name: str
    api_url: str
    api_key_encrypted: str
    server_id: str
    timeout_seconds: float
    verify_ssl: bool
    is_default: bool
    is_active: bool
    multi_server_mode: bool
    lifecycle: str = "active"

    @classmethod
    def of(cls, row: PowerDNSSettings) -> ServerRow:
        return cls(
            id=row.id,
            name=row.name,
            api_url=row.api_url,
            api_key_encrypted=row.api_key_encrypted,
            server_id=row.server_id,
            timeout_seconds=row.timeout_seconds,
            verify_ssl=row.verify_ssl,
            is_default=row.is_default,
            is_active=row.is_active,
            multi_server_mode=row.multi_server_mode,
            lifecycle=row.lifecycle,
        )


@dataclass(frozen=True)
class BreakerRow:
    """A copy of one ``ServerBreaker`` row (what ``effective_state`` reads)."""

    server_id: int
    state: str
    failures: int
    retry_at: datetime | None

    @classmethod
    def of(cls, row: ServerBreaker) -> BreakerRow:
        return cls(row.server_id, row.state, row.failures or 0, row.retry_at)

    @property
    def healthy(self) -> bool:
        """Closed with no failure counted: a success changes nothing in the database."""
        return self.state == "closed" and not self.failures


@dataclass(frozen=True)
class ServerState:
    """Servers (by id), their breakers and the (server id, zone) pairs with pending queued
    changes: replay order is kept per server and zone, so a write waits only for its zone."""

    servers: tuple[ServerRow, ...]
    breakers: Mapping[int, BreakerRow]
    backlog: frozenset[tuple[int, str]]

    def seeding(self) -> list[int]:
        """Ids of the servers being onboarded: every write is queued for them."""
        return [row.id for row in self.servers if row.lifecycle == SEEDING]

    def ids(self) -> dict[str, int]:
        """Server name -> id."""
        return {row.name: row.id for row in self.servers}

    def owing(self) -> frozenset[int]:
        """The ids of the servers that owe queued changes (for any zone)."""
        return frozenset(server_id for server_id, _zone in self.backlog)

    def owes(self, server_id: int, zone: str | None) -> bool:
        """The server owes queued changes for ``zone`` (for any zone when None)."""
        if zone is None:
            return server_id in self.owing()
        return (server_id, zone) in self.backlog


async def load_server_state(session: AsyncSession) -> ServerState:
    """Read the state from the database (three statements)."""
    rows = await session.scalars(select(PowerDNSSettings).order_by(PowerDNSSettings.id))
    servers = tuple(ServerRow.of(row) for row in rows)
    breakers = {
        row.server_id: BreakerRow.of(row) for row in await session.scalars(select(ServerBreaker))
    }
    owed = (
        select(SyncQueueEntry.server_id, SyncQueueEntry.zone)
        .where(SyncQueueEntry.status == "pending")
        .distinct()
    )
    backlog = frozenset((server_id, zone) for server_id, zone in await session.execute(owed))
    return ServerState(servers, breakers, backlog)


class ServerStateCache:
    """This process's ``ServerState``, reloaded after a change or ``ttl_seconds``."""

    def __init__(self, invalidator: Invalidator, *, ttl_seconds: float) -> None:
        self._memo: Memo[ServerState] = Memo(invalidator, SERVERS, ttl_seconds=ttl_seconds)

    async def get(self, session: AsyncSession) -> ServerState:
        """The current state (read with ``session`` when not held)."""
        return await self._memo.get_or_load(lambda: load_server_state(session))

    def held(self) -> ServerState | None:
        """The state if it is held and current, without reading anything."""
        return self._memo.get()
