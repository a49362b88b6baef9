"""The retry queue (an outbox table): changes owed to servers that missed them.

Rows of one server and zone are replayed in the order DNSMate accepted them (``id``
order); zones are independent, so a change stuck in one zone never holds back another.
Replay is the change's own idempotent ``apply``, so replaying a change that did land (a
timeout after PowerDNS applied it) changes nothing. A change PowerDNS rejects for good
(422, zone missing, record changed underneath) is parked with its error for an admin, and
so is one that keeps failing while the server answers otherwise, after
``DNSMATE_QUEUE_MAX_ATTEMPTS`` attempts; a server that is unavailable (it does not answer
a health probe either) stops the replay of that server until the next round.

Several processes (PostgreSQL only): one replay per server at a time across processes (an
advisory lock taken per change), and rows are claimed with ``SELECT ... FOR UPDATE SKIP
LOCKED``, so no change is replayed twice at once or out of order. With SQLite run one
DNSMate process.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ChangeDelivery, PowerDNSSettings, SyncQueueEntry
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSConflict, PowerDNSError, PowerDNSRejected
from dnsmate.powerdns.names import display
from dnsmate.services.errors import NotFound
from dnsmate.services.fleet.server_state import ACTIVE
from dnsmate.services.fleet.servers import list_servers
from dnsmate.services.sync.health import (
    BACKLOG,
    Outcome,
    breaker_states,
    effective_state,
    record_outcomes,
)
from dnsmate.services.sync.queue_view import describe_change, entry_view
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.webhooks.outbox import emit_now
from dnsmate.services.write.changes import Change, CreateZone, ServerChange
from dnsmate.services.write.multi_powerdns import ServerSkipped, answer_outcome, is_unavailable
from dnsmate.services.write.registry import change_from_json, change_to_json

log = logging.getLogger(__name__)


def enqueue(
    session: AsyncSession,
    *,
    server_id: int,
    change: Change,
    status: str = "pending",
    error: str | None = None,
    actor: str | None = None,
    reason: str = "",
) -> SyncQueueEntry:
    """Add a change owed to one server (the caller commits, then calls ``log_queued``)."""
    entry = SyncQueueEntry(
        server_id=server_id,
        zone=change.zone,
        change=change_to_json(change),
        status=status,
        attempts=0,
        last_error=error,
        actor=actor,
        reason=reason,
    )
    session.add(entry)
    return entry


def log_queued(entry: SyncQueueEntry, action: str) -> None:
    """The INFO line of a queued change, written once its transaction is committed: only
    then is the change owed (a rolled-back entry that is added again is logged once)."""
    log.info("queued %s for server %s (%s): %s", action, entry.server_id, entry.status,
             entry.last_error)  # fmt: skip


async def get_entry(*, session: AsyncSession, entry_id: int) -> SyncQueueEntry:
    entry = await session.get(SyncQueueEntry, entry_id)
    if entry is None:
        raise NotFound(f"Queued change {entry_id} not found")
    return entry


async def retry_entries(*, session: AsyncSession, ids: Collection[int]) -> list[dict[str, Any]]:
    """Put parked (or pending) changes back in line, attempts counted afresh; each keeps its
    place in its zone's order. NotFound when one of ``ids`` is not queued (nothing changes)."""
    entries = await _entries(session, ids)
    for entry in entries:
        entry.status = "pending"
        entry.attempts = 0
    await session.commit()
    names = {row.id: row.name for row in await list_servers(session)}
    return [entry_view(entry, names) for entry in entries]


async def drop_entries(*, session: AsyncSession, ids: Collection[int]) -> int:
    """Drop queued changes: their servers will never receive them (reconcile fixes drift).
    NotFound when one of ``ids`` is not queued (nothing is dropped)."""
    entries = await _entries(session, ids)
    for entry in entries:
        await session.delete(entry)
    await session.commit()
    return len(entries)


def record_delivery(
    session: AsyncSession, entry: SyncQueueEntry, server: str, how: str, note: str | None = None
) -> None:
    """Record on the audit event of the entry's write that its server has the change
    (``how``: "queue" when replayed, "resolved" when a reconcile made it moot, see
    ``moot``); the caller commits."""
    if entry.audit_event_id is not None:
        session.add(ChangeDelivery(event_id=entry.audit_event_id, server_id=entry.server_id,
                                   server=server, how=how, note=note))  # fmt: skip


async def _entries(session: AsyncSession, ids: Collection[int]) -> list[SyncQueueEntry]:
    wanted = sorted(set(ids))
    query = select(SyncQueueEntry).where(SyncQueueEntry.id.in_(wanted)).order_by(SyncQueueEntry.id)
    entries = list(await session.scalars(query))
    missing = sorted(set(wanted) - {entry.id for entry in entries})
    if missing:
        raise NotFound(f"Queued change {missing[0]} not found")
    return entries


@dataclass
class DrainReport:
    """What one drain did: changes replayed, parked and still failing, servers unavailable."""

    replayed: int = 0
    parked: int = 0
    failed: int = 0
    unavailable: dict[str, str] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {
            "replayed": self.replayed,
            "parked": self.parked,
            "failed": self.failed,
            "unavailable": self.unavailable,
        }


class ZoneBehind(ServerSkipped):
    """A write skipped a server because an older change of the same zone still fails there
    (the server answers otherwise): the write is queued behind it."""


async def drain_queue(
    *,
    runtime: SyncRuntime,
    server_ids: Collection[int] | None = None,
    include_open: bool = False,
) -> DrainReport:
    """Replay pending changes for every server (or ``server_ids``), oldest first per zone.

    Servers whose breaker is open are left alone unless ``include_open``; a half-open one
    is probed by its first replay. Returns when every server is drained or unavailable, or
    its remaining changes belong to zones whose oldest change failed in this round.
    """
    report = DrainReport()
    async with runtime.sessions() as session:
        rows = await list_servers(session)
        breakers = await breaker_states(session)
        owed = select(SyncQueueEntry.server_id).where(SyncQueueEntry.status == "pending")
        pending = set(await session.scalars(owed.distinct()))
    for row in rows:
        if row.id not in pending or (server_ids is not None and row.id not in server_ids):
            continue
        if row.lifecycle != ACTIVE:
            continue  # seeding: replayed once its onboarding has copied the zones
        if not include_open and effective_state(breakers.get(row.id)) == "open":
            report.unavailable[row.name] = "breaker open"
            continue
        await _drain_server(runtime, row, report)
    return report


async def catch_up(
    client: PowerDNSClient, *, runtime: SyncRuntime, server_id: int, zone: str | None
) -> None:
    """Replay what is still queued for a server and ``zone`` right before a new write to it.

    Keeps the acceptance order within the zone without making the new write wait for the
    worker, nor for changes owed for other zones. Raises the server's error when it is
    unavailable, and ``ZoneBehind`` when an older change of the zone still fails while the
    server answers (the new change then queues behind it in both cases).
    """
    async with runtime.sessions() as session:
        row = await session.get(PowerDNSSettings, server_id)
    if row is None:
        return
    report = DrainReport()
    failure = await _drain_server(runtime, row, report, zone=zone)
    if failure is not None:
        raise failure
    if report.failed:
        raise ZoneBehind(f"skipped: {BACKLOG}")


async def _drain_server(
    runtime: SyncRuntime, row: PowerDNSSettings, report: DrainReport, *, zone: str | None = None
) -> PowerDNSError | None:
    """Replay one server's pending changes (only ``zone``'s when given), oldest first per
    zone; returns the error that stopped it when the server is unavailable.

    A change that fails while the server answers otherwise holds back only its own zone:
    it counts an attempt and is parked after ``runtime.max_attempts`` of them. One
    replay at a time per server (``drain_lock``), taken per change, so a write's catch-up
    for one zone never waits for a whole drain of the others.
    """
    client = runtime.pool.client(row)
    observe = functools.partial(
        runtime.metrics.observe, server=row.name, server_id=row.id, kind="replay"
    )
    held_back: set[str] = set()  # zones whose oldest change failed in this drain
    while True:
        async with runtime.drain_lock(row.id), runtime.sessions() as session:
            query = select(SyncQueueEntry).where(
                SyncQueueEntry.server_id == row.id, SyncQueueEntry.status == "pending"
            )
            if zone is not None:
                query = query.where(SyncQueueEntry.zone == zone)
            if held_back:
                query = query.where(SyncQueueEntry.zone.not_in(held_back))
            entry = await session.scalar(
                query.order_by(SyncQueueEntry.id).limit(1).with_for_update(skip_locked=True)
            )
            if entry is None:
                return None
            started = time.perf_counter()
            try:
                await replay(_decode(entry.change), client)
            except PowerDNSError as exc:
                seconds = time.perf_counter() - started
                entry.last_error = str(exc)
                if is_unavailable(exc) and not await _answers(client):
                    await session.commit()
                    await record_outcomes(
                        session=session,
                        outcomes=[Outcome(row.id, False, str(exc))],
                        policy=runtime.breaker,
                    )
                    observe(outcome="failure", seconds=seconds)
                    report.unavailable[row.name] = str(exc)
                    return exc
                # The server answers: this change is what fails (attempts count only then,
                # so an outage never parks what it held back).
                entry.attempts += 1
                if is_unavailable(exc) and entry.attempts < runtime.max_attempts:
                    await session.commit()
                    log.warning("%s: queued change %s failed (attempt %s of %s): %s",
                                row.name, entry.id, entry.attempts, runtime.max_attempts,
                                exc)  # fmt: skip
                    observe(outcome="failure", seconds=seconds)
                    report.failed += 1
                    held_back.add(entry.zone)
                    continue
                entry.status = "parked"
                await emit_now(session, kind="queue.parked", hooks=runtime.hooks, data={
                    "server": row.name, "zone": display(entry.zone), "entry": entry.id,
                    "attempts": entry.attempts, "error": str(exc),
                    "lines": describe_change(entry.change)})  # fmt: skip
                await session.commit()
                log.warning("%s: parked queued change %s after %s attempt(s): %s",
                            row.name, entry.id, entry.attempts, exc)  # fmt: skip
                observe(outcome=answer_outcome(exc), seconds=seconds)
                observe(outcome="parked", seconds=None)
                report.parked += 1
                continue
            seconds = time.perf_counter() - started
            log.info("%s: replayed queued change %s (%s)", row.name, entry.id, entry.change)
            record_delivery(session, entry, row.name, "queue")
            await session.delete(entry)
            await session.commit()
            await record_outcomes(
                session=session, outcomes=[Outcome(row.id, True)], policy=runtime.breaker
            )
            observe(outcome="success", seconds=seconds)
            report.replayed += 1


async def _answers(client: PowerDNSClient) -> bool:
    """The server answers its API (a failure was about the change, not the server)."""
    try:
        await client.server_info()
    except PowerDNSError:
        return False
    return True


def _decode(data: dict[str, Any]) -> Change:
    try:
        return change_from_json(data)
    except (KeyError, TypeError, ValueError) as exc:  # a kind this version does not know
        raise PowerDNSRejected(f"cannot replay this change: {exc!r}") from exc


async def replay(change: Change, client: PowerDNSClient) -> ServerChange:
    """Apply a queued change; a zone creation that finds the zone there (its first answer
    was lost) only makes sure the zone holds the RRsets it was created with."""
    try:
        return await change.apply(client)
    except PowerDNSConflict:
        if isinstance(change, CreateZone):
            return await change.complete(client)
        raise
