"""Circuit breakers per server, stored in the database so every DNSMate process agrees.

closed     writes go to the server; consecutive failures are counted
open       after ``threshold`` consecutive failures: writes skip the server at once (their
           result says ``skipped: unhealthy``) until ``retry_at``
half-open  ``retry_at`` has passed: the next probe (health check, write or replay) decides;
           success closes the breaker, failure opens it for another cool-down

A write to a zone first replays what a server still owes for that zone (or, without a
replay, skips the server): applying a new change before older ones of the same zone would
apply them out of order. Other zones' queued changes never hold a write back.

A server that did not answer a write long after the others did (a straggler, see
``dnsmate.services.write.stragglers``) opens its breaker at once (``Outcome.trip``): the next
writes must not wait for it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Insert, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import dialect_insert, utcnow
from dnsmate.models import PowerDNSSettings, ServerBreaker, SyncQueueEntry
from dnsmate.services.fleet.server_state import ServerState
from dnsmate.services.webhooks.outbox import emit_now

UNHEALTHY = "unhealthy"
BACKLOG = "earlier changes queued"
STATE_VALUES = {"closed": 0, "half-open": 1, "open": 2}


@dataclass(frozen=True)
class BreakerPolicy:
    """When a breaker opens and for how long."""

    threshold: int
    cooldown_seconds: float


@dataclass(frozen=True)
class Outcome:
    """One server's answer to one operation (write, replay or health probe).

    ``trip``: a failure that opens the breaker at once, whatever the count.
    """

    server_id: int
    success: bool
    error: str | None = None
    latency_ms: float | None = None
    trip: bool = False


class BreakerLike(Protocol):
    """A breaker's state as stored (a ``ServerBreaker`` row or its in-memory copy)."""

    @property
    def state(self) -> str: ...

    @property
    def retry_at(self) -> datetime | None: ...

    @property
    def failures(self) -> int | None: ...


def effective_state(row: BreakerLike | None, now: datetime | None = None) -> str:
    """``closed``, ``open`` or ``half-open`` (an open breaker whose cool-down is over)."""
    if row is None or row.state == "closed":
        return "closed"
    now = now or utcnow()
    if row.retry_at is not None and _aware(row.retry_at) <= now:
        return "half-open"
    return "open"


def skip_reasons(*, state: ServerState, server_ids: Sequence[int]) -> dict[int, str]:
    """Server id -> why writes skip it now; servers absent from the answer take writes."""
    now = utcnow()
    reasons: dict[int, str] = {}
    owing = state.owing()
    for server_id in server_ids:
        if effective_state(state.breakers.get(server_id), now) == "open":
            reasons[server_id] = UNHEALTHY
        elif server_id in owing:
            reasons[server_id] = BACKLOG
    return reasons


async def record_outcomes(
    *,
    session: AsyncSession,
    outcomes: Sequence[Outcome],
    policy: BreakerPolicy,
    commit: bool = True,
    known: ServerState | None = None,
) -> None:
    """Update the breakers of these servers; writes to the database only what changed.

    With ``commit=False`` the caller commits (the write pipeline's one transaction).
    ``known`` (the cached state) answers the common case without reading anything: every
    operation succeeded on a server whose breaker is closed with no failure counted.
    """
    if not outcomes:
        return
    ids = sorted({o.server_id for o in outcomes})
    query = select(ServerBreaker).where(ServerBreaker.server_id.in_(ids))
    seen: Mapping[int, BreakerLike] = (
        known.breakers
        if known is not None
        else {row.server_id: row for row in await session.scalars(query)}
    )
    if all(o.success and o.latency_ms is None for o in outcomes) and all(
        _healthy(seen.get(o.server_id)) for o in outcomes
    ):
        return  # the common case: healthy servers stay healthy, nothing to write
    # Other DNSMate processes update the same rows: create the missing ones without
    # colliding, then lock them all (in id order) and read them afresh before counting.
    await session.execute(_insert_missing(session, ids))
    locked = query.order_by(ServerBreaker.server_id).with_for_update()
    fresh = await session.scalars(locked.execution_options(populate_existing=True))
    rows = {row.server_id: row for row in fresh}
    now = utcnow()
    was_open = {server_id: row.state == "open" for server_id, row in rows.items()}
    for outcome in outcomes:
        row = rows[outcome.server_id]
        if outcome.latency_ms is not None:
            row.checked_at = now
            row.latency_ms = outcome.latency_ms
        if outcome.success:
            if row.state != "closed" or row.failures:
                row.state, row.failures, row.opened_at, row.retry_at = "closed", 0, None, None
            row.last_error = None
            continue
        row.failures = (row.failures or 0) + 1
        row.last_error = outcome.error
        half_open = effective_state(row, now) == "half-open"
        tripped = outcome.trip and row.state == "closed"
        if tripped or half_open or (row.state == "closed" and row.failures >= policy.threshold):
            row.state = "open"
            row.opened_at = now
            row.retry_at = now + timedelta(seconds=policy.cooldown_seconds)
    await _report_transitions(session, rows, was_open)
    if commit:
        await session.commit()


async def close_breaker(*, session: AsyncSession, server_id: int) -> None:
    """Close a server's breaker now: a successful check proved the server answers, or its
    connection settings changed (the failures counted were about the old ones). So the
    server's card and the next write never disagree."""
    row = await session.get(ServerBreaker, server_id)
    if row is None or (_healthy(row) and row.last_error is None):
        return
    was_open = {server_id: row.state == "open"}
    row.state, row.failures, row.opened_at, row.retry_at = "closed", 0, None, None
    row.last_error = None
    await _report_transitions(session, {server_id: row}, was_open)
    await session.commit()


async def _report_transitions(
    session: AsyncSession, rows: Mapping[int, ServerBreaker], was_open: Mapping[int, bool]
) -> None:
    """Owe ``server.down`` / ``server.up`` webhooks for breakers that opened or closed."""
    changed = [
        (("server.down" if row.state == "open" else "server.up"), row)
        for server_id, row in rows.items()
        if (row.state == "open") != was_open[server_id]
    ]
    if not changed:
        return
    query = select(PowerDNSSettings.id, PowerDNSSettings.name)
    names = {server_id: name for server_id, name in await session.execute(query)}
    for kind, row in changed:
        data = {"server": names.get(row.server_id, str(row.server_id)), "server_id": row.server_id,
                "state": row.state, "failures": row.failures, "error": row.last_error}  # fmt: skip
        await emit_now(session, kind=kind, data=data)


def _insert_missing(session: AsyncSession, ids: Sequence[int]) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` of closed breakers for ``ids``.

    On SQLite this also takes the database's write lock, which serialises the
    read-count-write that follows the way ``FOR UPDATE`` does on PostgreSQL.
    """
    values = [{"server_id": i, "state": "closed", "failures": 0} for i in ids]
    insert = dialect_insert(session.get_bind().dialect.name, ServerBreaker).values(values)
    return insert.on_conflict_do_nothing(index_elements=["server_id"])


async def breaker_states(session: AsyncSession) -> dict[int, ServerBreaker]:
    """Every stored breaker by server id (a server without a row is closed)."""
    return {row.server_id: row for row in await session.scalars(select(ServerBreaker))}


async def pending_counts(session: AsyncSession) -> dict[tuple[int, str], int]:
    """(server id, status) -> number of queued changes."""
    rows = await session.execute(
        select(SyncQueueEntry.server_id, SyncQueueEntry.status, func.count()).group_by(
            SyncQueueEntry.server_id, SyncQueueEntry.status
        )
    )
    return {(server_id, status): count for server_id, status, count in rows}


async def breaker_view(session: AsyncSession) -> list[dict[str, Any]]:
    """Every server with its breaker (state, failures, last error) and queue depth."""
    servers = list(await session.scalars(select(PowerDNSSettings).order_by(PowerDNSSettings.id)))
    breakers = await breaker_states(session)
    counts = await pending_counts(session)
    now = utcnow()
    view = []
    for server in servers:
        row = breakers.get(server.id)
        view.append(
            {
                "id": server.id,
                "name": server.name,
                "state": effective_state(row, now),
                "failures": row.failures if row else 0,
                "last_error": row.last_error if row else None,
                "latency_ms": row.latency_ms if row else None,
                "checked_at": row.checked_at if row else None,
                "retry_at": row.retry_at if row and row.state == "open" else None,
                "pending": counts.get((server.id, "pending"), 0),
                "parked": counts.get((server.id, "parked"), 0),
            }
        )
    return view


def _healthy(row: BreakerLike | None) -> bool:
    return row is not None and row.state == "closed" and not row.failures


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)
