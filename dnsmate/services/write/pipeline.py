"""The write pipeline: every DNS change DNSMate makes goes through ``WritePipeline.run``.

    validate        the route builds the change object (``add_record_change`` & co. raise
                    InvalidInput naming the bad field) before anything is sent
    choose targets  ``WritePipeline.targets``: the servers of the current settings, with
                    skip reasons (open breaker) and catch-up replays (queued changes)
    fan out         ``change.apply`` on every target concurrently (``MultiPowerDNSService``);
                    under ``retry``, a server still working long after another answered is
                    left behind "not answering" (``dnsmate.services.write.stragglers``)
    settle          ``settle(results, policy)``: a pure decision (status, queue, park,
                    roll back), see ``dnsmate.services.write.settle``
    roll back       only when the decision asks: ``change.undo`` on the servers it names
    record          breakers, retry queue, version, grants, audit: one transaction, shared
                    with the other writes of the zone waiting at that moment (group
                    commit), on the record step's own engine
    log             one line per write with every server's outcome (``change_log``)
    answer          ``dnsmate.api.results`` renders the ``WriteOutcome``

``create_app`` builds one ``WritePipeline`` with its collaborators; each request brings a
``WriteScope`` (its session, who acts, the targets).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.services.access import permissions
from dnsmate.services.fleet.servers import build_multi
from dnsmate.services.history.audit import Actor
from dnsmate.services.history.change_log import log_change_outcome
from dnsmate.services.history.version_recorder import VersionRecorder
from dnsmate.services.sync.policy import DEFAULT_POLICY, PartialFailurePolicy, get_policy
from dnsmate.services.sync.queue import catch_up
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.write.changes import Change, ServerChange
from dnsmate.services.write.multi_powerdns import (
    MultiPowerDNSResult,
    MultiPowerDNSService,
    answer_outcome,
)
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.record import WriteRecorder
from dnsmate.services.write.rollback import RollbackReport, roll_back
from dnsmate.services.write.settle import Decision, settle
from dnsmate.services.write.touches import touched_rrsets


@dataclass(frozen=True)
class WriteScope:
    """Who writes, through which database session, to which servers (one per request)."""

    session: AsyncSession
    actor: Actor
    targets: MultiPowerDNSService

    def narrowed(self, server_ids: Collection[int | None]) -> WriteScope:
        """The same scope with only the targets whose ids are in ``server_ids``."""
        return dataclasses.replace(self, targets=self.targets.subset(server_ids))


class WritePipeline:
    """Runs changes: fan out, settle, roll back when asked, record; one per app."""

    def __init__(
        self,
        *,
        runtime: SyncRuntime,
        versions: VersionRecorder,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        """``sessions``: the record step's own engine, never the request pool (see
        ``dnsmate.services.write.record``)."""
        self.runtime = runtime
        self.recorder = WriteRecorder(
            sessions=sessions, breaker=runtime.breaker, versions=versions,
            servers=runtime.pool.state, hooks=runtime.hooks,
        )  # fmt: skip

    async def idle(self) -> None:
        """Wait until every write handed to the record step is recorded (at shutdown)."""
        await self.recorder.idle()

    async def targets(self, session: AsyncSession) -> MultiPowerDNSService:
        """The servers a write goes to now (a target that owes queued changes for the
        written zone replays them first; one with an open breaker is skipped)."""
        return await build_multi(session=session, pool=self.runtime.pool, catch_up=self._catch_up)

    async def run(
        self, change: Change, *, scope: WriteScope, policy: PartialFailurePolicy | None = None
    ) -> WriteOutcome:
        """Apply ``change`` on every target of ``scope`` and record what happened.

        ``policy`` overrides the stored partial-failure policy for this write. The caller's
        record limits are checked first (PermissionDenied): every API, protocol and gateway
        writes through here, so none can go around them.
        """
        if scope.actor.user is not None:
            await permissions.check_records(
                session=scope.session,
                user=scope.actor.user,
                zone=change.zone,
                rrsets=touched_rrsets(change),
            )
        cut = functools.partial(self._cuts_stragglers, scope.session, policy)
        result = await scope.targets.execute(change.apply, zone=change.zone, may_cut=cut)
        decision = await self._settle(result, scope.session, policy)
        rollback = RollbackReport()
        if decision.roll_back:
            rollback = await roll_back(
                change=change, results=result.results, decision=decision, targets=scope.targets
            )
        outcome = WriteOutcome(change, result, decision, rollback)
        self._observe(outcome)
        outcome.warnings = await self.recorder.record(
            actor=scope.actor, targets=scope.targets, outcome=outcome
        )
        log_change_outcome(outcome, scope.actor)
        return outcome

    async def _settle(
        self,
        result: MultiPowerDNSResult[ServerChange],
        session: AsyncSession,
        policy: PartialFailurePolicy | None,
    ) -> Decision:
        if policy is None and not result.all_succeeded:
            policy = await get_policy(session)  # read only when some server failed
        return settle(result.results, policy or DEFAULT_POLICY)

    async def _cuts_stragglers(
        self, session: AsyncSession, policy: PartialFailurePolicy | None
    ) -> bool:
        """Only ``retry`` answers without a straggling server: its change is queued for it.
        (``report`` would lose it and ``rollback`` could not restore a server that applies
        it late; both wait for every answer.)"""
        return (policy or await get_policy(session)) == "retry"

    def _observe(self, outcome: WriteOutcome) -> None:
        """Count every per-server outcome (metrics and operation statistics)."""
        observe, kind = self.runtime.metrics.observe, outcome.change.action
        queued, restored = outcome.decision.queue, outcome.rollback.restored
        for r in outcome.results:
            state = "skipped" if r.skipped else answer_outcome(r.exc)
            seconds = None if r.skipped else r.duration_ms / 1000
            on = functools.partial(observe, server=r.server, server_id=r.server_id, kind=kind)
            on(outcome=state, seconds=seconds)
            if r.server_id in queued:
                on(outcome="queued", seconds=None)
            if r.server_id in restored:
                on(outcome="rolled_back", seconds=None)

    async def _catch_up(self, client: PowerDNSClient, server_id: int, zone: str | None) -> None:
        await catch_up(client, runtime=self.runtime, server_id=server_id, zone=zone)
