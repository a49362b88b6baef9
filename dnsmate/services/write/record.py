"""The record step: what one write leaves in DNSMate's database, in ONE transaction.

After the servers answered (and after the rollback, when ``settle`` asked for one), the
request's session gets, in this order (which does not matter: every part reads only the
outcome): the circuit breakers' outcomes, the retry-queue entries (pending, parked, and
restores a rollback still owes), the zone version, the grants of a deleted zone dropped,
and the audit event. Then one commit.

The servers already hold the change, so recording never changes the answer's status. A
part that fails is logged and named in ``warnings``; the others are still written: after a
failure the transaction is rolled back and every part is written again in a transaction of
its own (the slow path, taken only after a failure).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import SyncQueueEntry
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


def actor_name(actor: Actor) -> str:
    """Who a queue entry or webhook names: the user's e-mail, else how the change came."""
    return actor.user.email if actor.user is not None else actor.via


@dataclass(frozen=True)
class _Write:
    """One write as the parts see it."""

    session: AsyncSession
    actor: Actor
    targets: MultiPowerDNSService
    outcome: WriteOutcome
    # The queue entries of the change itself: the audit part links them to its event.
    queued: list[SyncQueueEntry] = field(default_factory=list)
    # Every entry added in the open transaction: logged after its commit, forgotten when it
    # is rolled back (the slow path adds them again).
    added: list[tuple[SyncQueueEntry, str]] = field(default_factory=list)


Part = Callable[[_Write], Awaitable[None]]


class WriteRecorder:
    """Writes breakers, queue entries, the version, grants and the audit event of a write."""

    def __init__(
        self,
        *,
        breaker: BreakerPolicy,
        versions: VersionRecorder,
        servers: ServerStateCache | None = None,
        hooks: HookCache | None = None,
    ) -> None:
        self.breaker = breaker
        self.versions = versions
        # The webhook subscriptions in memory: a write nobody listens to costs no statement.
        self.hooks = hooks
        # The breakers as held in memory: healthy servers staying healthy need no statement.
        self.servers = servers
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
        self,
        *,
        session: AsyncSession,
        actor: Actor,
        targets: MultiPowerDNSService,
        outcome: WriteOutcome,
    ) -> list[str]:
        """Record ``outcome`` with one commit; returns warnings for the parts that failed."""
        write = _Write(session, actor, targets, outcome)
        zone = outcome.change.zone
        async with self.versions.lock(zone):
            try:
                for _name, part in self._parts:
                    await part(write)
                await session.commit()
            except Exception:
                log.exception("%s on %s: recording failed", outcome.change.action, zone)
                await self._reset(write)
            else:
                self._committed(write)
                self._after_commit(write)
                return []
            warnings = await self._one_by_one(write)
        self._after_commit(write)
        return warnings

    async def _one_by_one(self, write: _Write) -> list[str]:
        """The slow path: every part in a transaction of its own, so one failure loses one."""
        warnings = []
        for name, part in self._parts:
            try:
                await part(write)
                await write.session.commit()
                self._committed(write)
            except Exception:
                log.exception("%s on %s: %s failed", write.outcome.change.action,
                              write.outcome.change.zone, name)  # fmt: skip
                await self._reset(write)
                warnings.append(
                    f"The change was applied, but {name} failed afterwards: see the DNSMate log"
                )
        return warnings

    def _committed(self, write: _Write) -> None:
        for entry, action in write.added:
            log_queued(entry, action)
        write.added.clear()

    async def _reset(self, write: _Write) -> None:
        # A failed statement leaves the transaction unusable; the route still uses the user.
        await write.session.rollback()
        # The entries added since the last commit are gone with it.
        lost = {id(entry) for entry, _action in write.added}
        write.queued[:] = [entry for entry in write.queued if id(entry) not in lost]
        write.added.clear()
        user = write.actor.user
        if user is not None and user in write.session:
            await write.session.refresh(user)

    def _after_commit(self, write: _Write) -> None:
        if self._changed_versions(write):
            self.versions.schedule_prune(write.outcome.change.zone)

    def _changed_versions(self, write: _Write) -> bool:
        return any(r.success and r.value and r.value.changed for r in write.outcome.results)

    # -- the parts ---------------------------------------------------------------------------

    async def _breakers(self, write: _Write) -> None:
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
            session=write.session,
            outcomes=outcomes,
            policy=self.breaker,
            commit=False,
            known=self.servers.held() if self.servers is not None else None,
        )

    async def _queue(self, write: _Write) -> None:
        outcome, session = write.outcome, write.session
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

    async def _version(self, write: _Write) -> None:
        outcome = write.outcome
        if outcome.decision.roll_back:
            return  # the servers are (or will be, from the queue) as they were before
        reference = next((r for r in outcome.results if r.success and r.value), None)
        user = write.actor.user
        await self.versions.add_version(
            session=write.session,
            change=outcome.change,
            reference=reference,
            actor=user.email if user is not None else None,
            via=write.actor.via,
            targets=write.targets,
        )

    async def _grants(self, write: _Write) -> None:
        outcome = write.outcome
        if not isinstance(outcome.change, DeleteZone) or outcome.decision.roll_back:
            return
        if outcome.any_succeeded:
            await grants.forget_zone(session=write.session, zone=outcome.change.zone)

    async def _webhooks(self, write: _Write) -> None:
        events = write_events(write.outcome, actor_name(write.actor))
        if not events:
            return
        to = await subscribers(write.session, self.hooks)
        for kind, data in events:
            emit(write.session, to=to, kind=kind, data=data)

    async def _audit(self, write: _Write) -> None:
        event = await add_change_event(
            session=write.session, actor=write.actor, outcome=write.outcome
        )
        if write.queued:
            # The queue records each delivery on this event (only writes that queued pay).
            await write.session.flush()
            for entry in write.queued:
                entry.audit_event_id = event.id
