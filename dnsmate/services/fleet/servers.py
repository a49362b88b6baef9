"""PowerDNS server settings and the long-lived clients built from them.

Invariant: whenever at least one server exists, exactly one is the default.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import PowerDNSSettings
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.schemas.settings import PowerDNSSettingsCreate, PowerDNSSettingsUpdate
from dnsmate.security import SecretBox
from dnsmate.services.errors import Conflict, InvalidInput, NoServerAvailable, NotFound
from dnsmate.services.fleet.read_routing import ReadRouter, ReadStrategy
from dnsmate.services.fleet.server_health import HealthChecks
from dnsmate.services.fleet.server_state import (
    ACTIVE,
    PENDING,
    ServerRow,
    ServerState,
    ServerStateCache,
    load_server_state,
)
from dnsmate.services.sync.health import BACKLOG, UNHEALTHY, close_breaker, skip_reasons
from dnsmate.services.write.coalesce import Coalescer
from dnsmate.services.write.multi_powerdns import (
    MultiPowerDNSService,
    OperationObserver,
    Prepare,
    select_targets,
)
from dnsmate.services.write.stragglers import Stragglers


class ClientPool:
    """One PowerDNSClient per configured server, reused across requests.

    Write locks are keyed by the server's address, not by the settings row, so two rows
    pointing at one PowerDNS (or a row edited while a write runs) still never write at once.
    ``lock_factory`` (``Locks.write_lock``) makes them span processes (PostgreSQL advisory
    locks, on connections outside the request pool); without it they
    are asyncio locks. ``read_router`` (one per process, like the pool) orders the read
    targets of every service ``build_multi`` makes, per ``read_strategy``; ``observer``
    (the app's ``SyncMetrics.observe``) records the outcome of every read they make.
    ``connect_timeout_seconds`` bounds every client's connection set-up (each server's own
    ``timeout_seconds`` bounds its reads); ``straggler_seconds`` is how long a write waits
    for a server after another answered (``dnsmate.services.write.stragglers``; 0: no limit).
    """

    def __init__(
        self,
        box: SecretBox,
        *,
        write_retries: int,
        retry_base_seconds: float,
        lock_factory: Callable[[str], AbstractAsyncContextManager[Any]] | None = None,
        read_strategy: ReadStrategy = "default-first",
        observer: OperationObserver | None = None,
        state: ServerStateCache | None = None,
        connect_timeout_seconds: float | None = None,
        straggler_seconds: float = 0.0,
        health_deadline_seconds: float = 1.0,
    ) -> None:
        self._box = box
        self._connect_timeout = connect_timeout_seconds
        # The requests of straggling servers, left to finish in the background.
        self.stragglers = Stragglers(seconds=straggler_seconds)
        # The health page's checks: one in flight per server, bounded by a deadline.
        self.checks = HealthChecks(deadline_seconds=health_deadline_seconds)
        # The servers, breakers and backlog held in memory (read afresh every time without).
        self.state = state
        self._retries = write_retries
        self._retry_base = retry_base_seconds
        self._clients: dict[int, tuple[tuple[Any, ...], PowerDNSClient]] = {}
        self._locks: dict[str, AbstractAsyncContextManager[Any]] = {}
        # Per lock key, like the locks: the group commit of each server's record changes.
        self._coalescers: dict[str, Coalescer] = {}
        self._lock_factory = lock_factory
        self.read_router = ReadRouter(read_strategy)
        self.observer = observer

    def client(self, row: PowerDNSSettings | ServerRow) -> PowerDNSClient:
        fingerprint = (
            row.name,
            row.api_url,
            row.api_key_encrypted,
            row.server_id,
            row.timeout_seconds,
            row.verify_ssl,
        )
        cached = self._clients.get(row.id)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        client = self.detached(row)
        key = f"{client.api_url}|{row.server_id}"
        if key not in self._locks:
            self._locks[key] = self._lock_factory(key) if self._lock_factory else asyncio.Lock()
        client.write_lock = self._locks[key]
        if key not in self._coalescers:
            self._coalescers[key] = Coalescer(self._locks[key])
        client.coalescer = self._coalescers[key]
        self._clients[row.id] = (fingerprint, client)
        return client

    def detached(self, row: PowerDNSSettings | ServerRow) -> PowerDNSClient:
        """A client for ``row`` outside the pool (not kept, not sharing the server's write
        lock; the caller closes it): to read from a connection not saved yet."""
        return PowerDNSClient(
            name=row.name,
            api_url=row.api_url,
            api_key=self._box.decrypt(row.api_key_encrypted),
            server_id=row.server_id,
            timeout=row.timeout_seconds,
            connect_timeout=self._connect_timeout,
            verify_ssl=row.verify_ssl,
            write_retries=self._retries,
            retry_base_seconds=self._retry_base,
            settings_id=row.id,
        )

    def coalescers(self) -> list[Coalescer]:
        """Every server's group commit of record changes (one per write lock)."""
        return list(self._coalescers.values())

    async def aclose(self) -> None:
        await self.stragglers.aclose()
        await asyncio.gather(*(c.aclose() for c in self._coalescers.values()))
        await self.checks.aclose()
        await asyncio.gather(*(client.aclose() for _, client in self._clients.values()))
        self._clients.clear()


async def list_servers(session: AsyncSession) -> list[PowerDNSSettings]:
    return list(
        (await session.scalars(select(PowerDNSSettings).order_by(PowerDNSSettings.id))).all()
    )


async def get_server(
    session: AsyncSession, server_id: int, what: str = "server"
) -> PowerDNSSettings:
    """A configured server, or NotFound naming its role (``source server``)."""
    row = await session.get(PowerDNSSettings, server_id)
    if row is None:
        raise NotFound(f"PowerDNS {what} {server_id} not found")
    return row


async def create_server(
    *, session: AsyncSession, box: SecretBox, data: PowerDNSSettingsCreate, pending: bool = False
) -> PowerDNSSettings:
    """Add a server; the first one becomes the default. A ``pending`` one is no write target
    (multi-server mode off, not the default) until it is onboarded."""
    existing = await list_servers(session)
    row = PowerDNSSettings(
        **data.model_dump(exclude={"api_key", "seed_from"}),
        api_key_encrypted=box.encrypt(data.api_key.get_secret_value()),
    )
    if pending:
        row.lifecycle, row.multi_server_mode, row.is_default = PENDING, False, False
    if not existing:
        row.is_default = True
    session.add(row)
    await _commit_unique(session, data.name)
    if row.is_default:
        await _make_sole_default(session, row)
    return row


async def update_server(
    *, session: AsyncSession, box: SecretBox, server_id: int, data: PowerDNSSettingsUpdate
) -> PowerDNSSettings:
    row = await get_server(session, server_id)
    changes = data.model_dump(exclude_unset=True, exclude={"api_key", "force_join"})
    require_key_for_new_address(row, data)
    if changes.get("is_default") is False and row.is_default:
        raise Conflict("Choose another default server instead of unsetting this one")
    if row.lifecycle != ACTIVE:
        await _refuse_joining(session, row, changes)
    for key, value in changes.items():
        if value is not None:
            setattr(row, key, value)
    if data.api_key is not None:
        row.api_key_encrypted = box.encrypt(data.api_key.get_secret_value())
    await _commit_unique(session, row.name)
    if row.is_default:
        await _make_sole_default(session, row)
    return row


def require_key_for_new_address(row: PowerDNSSettings, data: PowerDNSSettingsUpdate) -> None:
    """InvalidInput when ``data`` moves the server (address, certificate check) without
    giving its API key again: the stored key must never follow a new address (or a
    connection no longer verified), or whoever can point a server elsewhere would receive
    the real key. Check before anything is sent to the new address."""
    changes = data.model_dump(exclude_unset=True, include={"api_url", "verify_ssl"})
    moved = [f for f, v in changes.items() if v is not None and v != getattr(row, f)]
    if moved and data.api_key is None:
        raise InvalidInput("api_key", f"give the API key again when changing {' and '.join(moved)}")


def joins_targets(
    rows: list[PowerDNSSettings], row: PowerDNSSettings, changes: dict[str, Any]
) -> bool:
    """``changes`` to ``row`` would make it a write target that is not one now."""
    now = _target_ids([ServerRow.of(r) for r in rows])
    return row.id not in now and row.id in _targets_after(rows, row, changes)


def _targets_after(
    rows: list[PowerDNSSettings], row: PowerDNSSettings, changes: dict[str, Any]
) -> set[int]:
    """The write targets' ids once ``changes`` are made to ``row``."""
    wanted = {k: v for k, v in changes.items() if k in ("is_active", "is_default",
              "multi_server_mode") and v is not None}  # fmt: skip
    after = [dataclasses.replace(r, **wanted) if r.id == row.id else r
             for r in (ServerRow.of(r) for r in rows)]  # fmt: skip
    if wanted.get("is_default"):
        after = [dataclasses.replace(r, is_default=r.id == row.id) for r in after]
    return _target_ids(after)


def _target_ids(rows: list[ServerRow]) -> set[int]:
    try:
        return {t.id for t in select_targets(rows)}
    except NoServerAvailable:
        return set()


async def _refuse_joining(
    session: AsyncSession, row: PowerDNSSettings, changes: dict[str, Any]
) -> None:
    """Conflict when ``changes`` would make a server not onboarded (pending or seeding) a
    write target: it lacks zones the targets hold."""
    if row.id in _targets_after(await list_servers(session), row, changes):
        raise Conflict(
            f"{row.name} is not onboarded yet ({row.lifecycle}): onboard it (Onboard… in "
            f"Settings, or POST /api/settings/powerdns/{row.id}/onboard) and it becomes a "
            "write target once every zone is copied"
        )


async def hosts(session: AsyncSession) -> list[str]:
    """The host part of every configured server's API URL (an address or a name)."""
    return [h for row in await list_servers(session) if (h := urlsplit(row.api_url).hostname)]


async def delete_server(*, session: AsyncSession, server_id: int) -> None:
    """Remove a server; if it was the default, the lowest-id remaining one (active first) is."""
    row = await get_server(session, server_id)
    was_default = row.is_default
    await session.delete(row)
    await session.commit()
    if was_default:
        remaining = await list_servers(session)
        if remaining:
            successor = sorted(remaining, key=lambda s: (not s.is_active, s.id))[0]
            await _make_sole_default(session, successor)


async def _make_sole_default(session: AsyncSession, row: PowerDNSSettings) -> None:
    for other in await list_servers(session):
        other.is_default = other.id == row.id
    await session.commit()


async def _commit_unique(session: AsyncSession, name: str) -> None:
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(f"A PowerDNS server named {name!r} already exists") from exc


CatchUp = Callable[[PowerDNSClient, int, str | None], Awaitable[None]]


async def build_multi(
    *, session: AsyncSession, pool: ClientPool, catch_up: CatchUp | None = None
) -> MultiPowerDNSService:
    """The multi-server engine for this request: the targets of the current settings.

    Writes skip targets whose circuit breaker is open. Reads try the targets in the order
    of the pool's ``read_router`` (``Settings.read_strategy``); writes still go to all.
    A target that still owes queued changes for the written zone gets them replayed by
    ``catch_up(client, server_id, zone)`` before a new write (changes owed for other zones
    wait for their own turn), or is skipped without ``catch_up`` (see
    ``dnsmate.services.sync``).
    """
    state = await server_state(session=session, pool=pool)
    targets = select_targets(state.servers)
    reasons = skip_reasons(state=state, server_ids=[row.id for row in targets])
    skip = {key: why for key, why in reasons.items() if why == UNHEALTHY or catch_up is None}
    before: dict[int, Prepare] = {}
    if catch_up is not None:
        for key, why in reasons.items():
            if why == BACKLOG:
                before[key] = functools.partial(_call_catch_up, catch_up, state, key)
    return MultiPowerDNSService(
        [pool.client(row) for row in targets],
        skip=skip,
        before_write=before,
        router=pool.read_router,
        observer=pool.observer,
        stragglers=pool.stragglers,
    )


async def build_browse(
    *, session: AsyncSession, pool: ClientPool, server_id: int
) -> MultiPowerDNSService:
    """Reads from one configured server, write target or not (browsing it is read-only)."""
    row = await get_server(session, server_id)
    return MultiPowerDNSService([pool.client(row)], router=pool.read_router, observer=pool.observer)


async def server_state(*, session: AsyncSession, pool: ClientPool) -> ServerState:
    """The servers, breakers and backlog: the pool's cached copy, or read with ``session``."""
    if pool.state is not None:
        return await pool.state.get(session)
    return await load_server_state(session)


async def _call_catch_up(
    catch_up: CatchUp, state: ServerState, server_id: int, client: PowerDNSClient, zone: str | None
) -> None:
    if state.owes(server_id, zone):
        await catch_up(client, server_id, zone)


async def servers_health(*, session: AsyncSession, pool: ClientPool) -> list[dict[str, Any]]:
    """Health of every configured server, each on its own within the pool's deadline
    (``HealthChecks``). A server that answers has its breaker closed, so its card and the
    next write agree."""
    rows = await list_servers(session)
    checks = await pool.checks.check([(row.id, pool.client(row)) for row in rows])
    state = await server_state(session=session, pool=pool)
    for row in rows:
        breaker = state.breakers.get(row.id)
        if checks[row.id]["healthy"] and breaker is not None and not breaker.healthy:
            await close_breaker(session=session, server_id=row.id)
    return [
        {
            "id": row.id,
            "name": row.name,
            "is_default": row.is_default,
            "is_active": row.is_active,
            "multi_server_mode": row.multi_server_mode,
            **checks[row.id],
        }
        for row in rows
    ]
