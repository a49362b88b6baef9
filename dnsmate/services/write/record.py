"""The record step: what one write leaves in DNSMate's database, in ONE transaction.

After the servers answered (and after the rollback, when ``settle`` asked for one), a
write gets, in this order (which does not matter: every part reads only the outcome): the
circuit breakers' outcomes, the retry-queue entries (pending, parked, and restores a
rollback still owes), the zone version, the grants of a deleted zone dropped, the audit
event and the webhooks outbox. Then one commit.

Group commit. The writes of one zone record in turn (each version builds on the one
before). A write hands its outcome to its zone's queue and waits; one drain task per zone
takes every write waiting there (up to ``MAX_GROUP``) and records them in ONE transaction
with one commit, each with its own version (chained in arrival order), audit event and
queue entries. A lone write is a group of one and costs what it did alone.

The record step writes on sessions of its own engine (``sessions``), never on the
request's: a request may hold a pooled connection of the request engine while it waits
for its zone's turn, so a recorder that asked that pool could wait for ever once the pool
is full of waiting writes (issue 11: 64 writers on PostgreSQL stalled 62 s and answered
500 "QueuePool limit ... reached"). A connection of the record engine is only ever held by
a drain recording a group, which waits for nothing but the database. Anything a caller
left uncommitted in its own session is not part of the write's transaction.

The servers already hold the change, so recording never changes the answer's status. A
group whose transaction fails is rolled back and each of its writes is recorded again
alone; a write that fails alone is written once more part by part, each part in a
transaction of its own, so one failing part loses only itself: it is logged and named in
that write's ``warnings`` (the slow path, taken only after a failure).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.models import SyncQueueEntry
from dnsmate.powerdns.names import fqdn
from dnsmate.services.access import grants
from dnsmate.services.fleet.server_state import SEEDING, ServerStateCache, load_server_state
from dnsmate.services.history.audit import Actor, add_change_event
from dnsmate.services.history.version_recorder import VersionRecorder
from dnsmate.services.sync.health import BreakerPolicy, Outcome, record_outcomes
from dnsmate.services.sync.queue import enqueue, log_queued
from dnsmate.services.webhooks.events import write_events
from dnsmate.services.webhooks.outbox import HookCache, emit, subscribers
from dnsmate.services.write.changes import DeleteZone
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService, is_unavailable
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.stragglers import ServerStraggling

log = logging.getLogger(__name__)

# Writes of one zone recorded in one transaction at most.
MAX_GROUP = 32
FAILED = "The change was applied, but {} failed afterwards: see the DNSMate log"


def actor_name(actor: Actor) -> str:
    """Who a queue entry or webhook names: the user's e-mail, else how the change came."""
    return actor.user.email if actor.user is not None else actor.via


@dataclass(eq=False)
class _Write:
    """One write as the parts see it, waiting in its zone's queue until it is recorded."""

    actor: Actor
    targets: MultiPowerDNSService
    outcome: WriteOutcome
    # Set once the write is recorded: the warnings of its parts that failed.
    recorded: asyncio.Future[list[str]]
    # The queue entries of the change itself: the audit part links them to its event.
    queued: list[SyncQueueEntry] = field(default_factory=list)
    # Every entry added in the open transaction: logged after its commit, forgotten when it
    # is rolled back (the slow path adds them again).
    added: list[tuple[SyncQueueEntry, str]] = field(default_factory=list)

    def forget_uncommitted(self) -> None:
        """The open transaction was rolled back: its entries are gone with it."""
        lost = {id(entry) for entry, _action in self.added}
        self.queued[:] = [entry for entry in self.queued if id(entry) not in lost]
        self.added.clear()


Part = Callable[[AsyncSession, _Write], Awaitable[None]]


def take_group(queue: deque[_Write], limit: int) -> list[_Write]:
    """The first ``limit`` writes of ``queue`` (taken out of it), in arrival order."""
    return [queue.popleft() for _ in range(min(limit, len(queue)))]


class WriteRecorder:
    """Records writes (breakers, queue entries, version, grants, audit, webhooks), a zone's
    waiting writes together; on sessions of ``sessions``, the record step's own engine."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        breaker: BreakerPolicy,
        versions: VersionRecorder,
        servers: ServerStateCache | None = None,
        hooks: HookCache | None = None,
    ) -> None:
        self.sessions = sessions
        self.breaker = breaker
        self.versions = versions
        # The webhook subscriptions in memory: a write nobody listens to costs no statement.
        self.hooks = hooks
        # The breakers as held in memory: healthy servers staying healthy need no statement.
        self.servers = servers
        # Per zone: the writes waiting to be recorded, and the task recording them.
        self._queues: dict[str, deque[_Write]] = {}
        self._drains: dict[str, asyncio.Task[None]] = {}
        # (what a warning calls it, the part)
        self._parts: tuple[tuple[str, Part], ...] = (
            ("the breaker update", self._breakers),
            ("the retry queue", self._queue),
            ("the version record", self._version),
            ("the grants cleanup", self._grants),
            ("the audit log", self._audit),
            ("the webhooks outbox", self._webhooks),
        )

    async def record(
        self, *, actor: Actor, targets: MultiPowerDNSService, outcome: WriteOutcome
    ) -> list[str]:
        """Record ``outcome`` (with the other writes of its zone waiting now); returns
        warnings for the parts that failed."""
        zone = fqdn(outcome.change.zone)
        write = _Write(actor, targets, outcome, asyncio.get_running_loop().create_future())
        self._queues.setdefault(zone, deque()).append(write)
        if zone not in self._drains:
            self._drains[zone] = asyncio.create_task(self._drain(zone))
        # A caller that gives up still has its write recorded: the servers hold the change.
        return await asyncio.shield(write.recorded)

    def waiting(self, zone: str) -> int:
        """How many writes of ``zone`` wait for the next group."""
        return len(self._queues.get(fqdn(zone), ()))

    async def idle(self) -> None:
        """Wait until every write handed over so far is recorded (shutdown, tests)."""
        while self._drains:
            await asyncio.gather(*self._drains.values(), return_exceptions=True)

    async def _drain(self, zone: str) -> None:
        queue = self._queues[zone]
        group: list[_Write] = []
        try:
            while queue:
                async with self.versions.lock(zone):
                    group = take_group(queue, MAX_GROUP)
                    await self._record_group(group)
                group = []
        except BaseException as exc:
            # Cancelled (shutdown) or a bug: no write waits for ever.
            for write in [*group, *queue]:
                if write.recorded.done():
                    continue
                if isinstance(exc, Exception):
                    write.recorded.set_result([FAILED.format("recording")])
                else:
                    write.recorded.cancel()
            queue.clear()
            if not isinstance(exc, Exception):
                raise
            log.exception("Recording the writes of %s failed", zone)
        finally:
            del self._drains[zone]
            if not queue:
                self._queues.pop(zone, None)

    async def _record_group(self, group: list[_Write]) -> None:
        """Record ``group`` in one transaction; after a failure, each write alone."""
        try:
            await self._in_one_transaction(group)
        except Exception:
            log.exception("Recording %d write(s) of %s failed; each is recorded again alone",
                          len(group), group[0].outcome.change.zone)  # fmt: skip
            for write in group:
                write.forget_uncommitted()
            for write in group:
                # A group of one goes straight to its slow path.
                alone = self._one_by_one(write) if len(group) == 1 else self._record_alone(write)
                warnings = await alone
                self._after_commit(write)
                write.recorded.set_result(warnings)
            return
        for write in group:
            self._committed(write)
            self._after_commit(write)
            write.recorded.set_result([])

    async def _record_alone(self, write: _Write) -> list[str]:
        """One write in one transaction; after a failure, part by part."""
        try:
            await self._in_one_transaction([write])
        except Exception:
            change = write.outcome.change
            log.exception("%s on %s: recording failed", change.action, change.zone)
            write.forget_uncommitted()
            return await self._one_by_one(write)
        self._committed(write)
        return []

    async def _in_one_transaction(self, writes: list[_Write]) -> None:
        """Every part of every write of ``writes``, then one commit."""
        async with self.sessions() as session:
            try:
                for write in writes:
                    for _name, part in self._parts:
                        await part(session, write)
                await session.commit()
            except BaseException:
                self.versions.rolled_back(session)
                raise
            self.versions.committed(session)

    async def _one_by_one(self, write: _Write) -> list[str]:
        """The slow path: every part in a transaction of its own, so one failure loses one."""
        warnings = []
        async with self.sessions() as session:
            for name, part in self._parts:
                try:
                    await part(session, write)
                    await session.commit()
                    self.versions.committed(session)
                    self._committed(write)
                except Exception:
                    log.exception("%s on %s: %s failed", write.outcome.change.action,
                                  write.outcome.change.zone, name)  # fmt: skip
                    self.versions.rolled_back(session)
                    await session.rollback()
                    write.forget_uncommitted()
                    warnings.append(FAILED.format(name))
        return warnings

    def _committed(self, write: _Write) -> None:
        for entry, action in write.added:
            log_queued(entry, action)
        write.added.clear()

    def _after_commit(self, write: _Write) -> None:
        if self._changed_versions(write):
            self.versions.schedule_prune(write.outcome.change.zone)

    def _changed_versions(self, write: _Write) -> bool:
        return any(r.success and r.value and r.value.changed for r in write.outcome.results)

    # -- the parts ---------------------------------------------------------------------------

    async def _breakers(self, session: AsyncSession, write: _Write) -> None:
        outcomes = []
        for r in write.outcome.results:
            if r.server_id is None or r.skipped:
                continue
            # A data error (404, 422) still proves the server answers.
            healthy = r.success or (r.exc is not None and not is_unavailable(r.exc))
            # A straggler opens its breaker at once: the next write must not wait for it.
            trip = isinstance(r.exc, ServerStraggling)
            outcomes.append(Outcome(r.server_id, healthy, None if healthy else r.error, trip=trip))
        await record_outcomes(
            session=session,
            outcomes=outcomes,
            policy=self.breaker,
            commit=False,
            known=self.servers.held() if self.servers is not None else None,
        )

    async def _queue(self, session: AsyncSession, write: _Write) -> None:
        outcome = write.outcome
        by_id = {r.server_id: r for r in outcome.results}
        who = actor_name(write.actor)
        action = outcome.change.action
        for server_id in outcome.decision.queue:
            error = by_id[server_id].error
            entry = enqueue(session, server_id=server_id, change=outcome.change, error=error,
                            actor=who, reason=error or "")  # fmt: skip
            write.queued.append(entry)
            write.added.append((entry, action))
        for server_id in outcome.decision.park:
            entry = enqueue(session, server_id=server_id, change=outcome.change, status="parked",
                            error=by_id[server_id].error, actor=who, reason="rejected")  # fmt: skip
            write.queued.append(entry)
            write.added.append((entry, action))
        for owed in outcome.rollback.owed:
            # The restore is owed to that server: queued so it converges later.
            entry = enqueue(session, server_id=owed.server_id, change=owed.change,
                            error=owed.error, actor=write.actor.via, reason="rollback")  # fmt: skip
            write.added.append((entry, owed.change.action))
        if outcome.decision.durable:
            # A server being onboarded gets every change that stands, replayed after seeding.
            # Read after the fan-out: a change the seeding's copy may have missed is queued.
            for server_id in await self._seeding(session):
                if server_id not in by_id:
                    entry = enqueue(session, server_id=server_id, change=outcome.change,
                                    actor=who, reason=SEEDING)  # fmt: skip
                    write.added.append((entry, action))

    async def _seeding(self, session: AsyncSession) -> list[int]:
        if self.servers is not None:
            return (await self.servers.get(session)).seeding()
        return (await load_server_state(session)).seeding()

    async def _version(self, session: AsyncSession, write: _Write) -> None:
        outcome = write.outcome
        if outcome.decision.roll_back:
            return  # the servers are (or will be, from the queue) as they were before
        reference = next((r for r in outcome.results if r.success and r.value), None)
        user = write.actor.user
        await self.versions.add_version(
            session=session,
            change=outcome.change,
            reference=reference,
            actor=user.email if user is not None else None,
            via=write.actor.via,
            targets=write.targets,
        )

    async def _grants(self, session: AsyncSession, write: _Write) -> None:
        outcome = write.outcome
        if not isinstance(outcome.change, DeleteZone) or outcome.decision.roll_back:
            return
        if outcome.any_succeeded:
            await grants.forget_zone(session=session, zone=outcome.change.zone)

    async def _webhooks(self, session: AsyncSession, write: _Write) -> None:
        events = write_events(write.outcome, actor_name(write.actor))
        if not events:
            return
        to = await subscribers(session, self.hooks)
        for kind, data in events:
            emit(session, to=to, kind=kind, data=data)

    async def _audit(self, session: AsyncSession, write: _Write) -> None:
        event = await add_change_event(session=session, actor=write.actor, outcome=write.outcome)
        if write.queued:
            # The queue records each delivery on this event (only writes that queued pay).
            await session.flush()
            for entry in write.queued:
                entry.audit_event_id = event.id
