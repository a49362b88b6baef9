"""The partial-failure policy, applied by a change hook after every fan-out.

``retry`` (default)  207; the change is queued for every server that was unavailable or
                     skipped, and replayed in order when it is healthy again. A server that
                     answered with a data error (422, 404, 409) gets it parked for an admin.
``report``           207 only, as in the seed: nothing is queued (except for a server
                     skipped because older changes are queued for it: applying it out of
                     order would be worse than waiting).
``rollback``         all or nothing: every server where the change succeeded is restored to
                     the state captured just before the write; the answer is 400.

A change that no server took is never queued: the client got a 400 and knows it failed.
Except under ``retry`` when a server may have applied it (the request reached it but the
answer was lost): then it is queued for every server that failed, and the answer is 202,
because a change that may be on one server must end up on all of them.
The hook also counts every per-server outcome (metrics) and feeds the circuit breakers.
"""

from __future__ import annotations

import logging
from typing import Literal, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ConsistencySettings
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.changes import (
    AddRecord,
    Change,
    ChangeEvent,
    ChangeHook,
    CreateZone,
    DeleteRecords,
    DeleteZone,
    PatchRRsets,
    ServerChange,
    UpdateRecord,
)
from dnsmate.services.multi_powerdns import ServerResult, is_unavailable
from dnsmate.services.servers import list_servers
from dnsmate.services.sync.health import BACKLOG, Outcome, record_outcomes
from dnsmate.services.sync.queue import enqueue
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.zones import snapshot_payload

log = logging.getLogger(__name__)

PartialFailurePolicy = Literal["retry", "report", "rollback"]
POLICIES: tuple[str, ...] = get_args(PartialFailurePolicy)
DEFAULT_POLICY: PartialFailurePolicy = "retry"


async def get_policy(session: AsyncSession) -> str:
    """The configured partial-failure policy (``retry`` until an admin changes it)."""
    row = await session.get(ConsistencySettings, 1)
    return row.on_partial_failure if row is not None else DEFAULT_POLICY


async def set_policy(*, session: AsyncSession, policy: PartialFailurePolicy) -> str:
    """Store the partial-failure policy for every later write."""
    row = await session.get(ConsistencySettings, 1)
    if row is None:
        row = ConsistencySettings(id=1)
        session.add(row)
    row.on_partial_failure = policy
    await session.commit()
    return policy


class NotReversible(Exception):
    """DNSMate cannot compute the inverse of this kind of change."""


def undo_change(change: Change, done: ServerChange | None) -> Change | None:
    """The change that restores one server to its state before ``change`` (None: nothing).

    Record changes restore the touched RRsets; a created zone is deleted; a deleted zone is
    recreated from its snapshot (without DNSSEC keys). A change class may define
    ``undo(done)``; any other kind raises NotReversible.
    """
    if done is None or not done.changed:
        return None
    if isinstance(change, CreateZone):
        return DeleteZone(zone=change.zone)
    if isinstance(change, DeleteZone):
        if done.zone_before is None:
            return None
        return CreateZone(zone=change.zone, payload=snapshot_payload(done.zone_before))
    if isinstance(change, AddRecord | UpdateRecord | DeleteRecords | PatchRRsets):
        return PatchRRsets(zone=change.zone, rrsets=tuple(done.before))
    undo = getattr(change, "undo", None)
    if undo is None:
        raise NotReversible(f"{change.action} cannot be rolled back automatically")
    inverse: Change | None = undo(done)
    return inverse


def make_change_hook(runtime: SyncRuntime) -> ChangeHook:
    """The hook create_app registers first, so later hooks see what the policy did."""

    async def hook(event: ChangeEvent) -> None:
        await apply_policy(runtime=runtime, event=event)

    return hook


async def apply_policy(*, runtime: SyncRuntime, event: ChangeEvent) -> None:
    """Count outcomes, update breakers, then queue, report or roll back a partial failure."""
    if not event.result.results:
        return
    if event.session is not None:
        await _apply_policy(runtime, event, event.session)
        return
    async with runtime.sessions() as session:
        await _apply_policy(runtime, event, session)


async def _apply_policy(runtime: SyncRuntime, event: ChangeEvent, session: AsyncSession) -> None:
    # The request's own session when there is one: a second connection per request would
    # exhaust the pool under concurrent writes.
    result = event.result
    ids = {row.name: row.id for row in await list_servers(session)}
    outcomes = []
    for r in result.results:
        _observe(runtime, r, event.change.action)
        if r.server in ids and not r.skipped:
            # A data error (404, 422) still proves the server answers.
            healthy = r.success or (r.exc is not None and not is_unavailable(r.exc))
            outcomes.append(Outcome(ids[r.server], healthy, None if healthy else r.error))
    await record_outcomes(session=session, outcomes=outcomes, policy=runtime.breaker)
    if result.all_succeeded:
        return
    policy = str(event.options.get("on_partial_failure") or await get_policy(session))
    result.policy = policy
    if policy == "rollback":
        if result.any_succeeded:
            await _rollback(runtime, session, event, ids)
        return
    actor = event.actor.email if event.actor is not None else event.via
    behind = {r.server for r in result.results if _behind_backlog(r)}
    # A write that may have landed somewhere (answer lost) must land everywhere.
    maybe = any(r.exc is not None and r.exc.maybe_applied for r in result.results)
    if not result.any_succeeded and not behind and not (maybe and policy == "retry"):
        return  # nobody took it: a plain 400, nothing to replay
    for r in result.results:
        if r.success or r.server not in ids:
            continue
        transient = r.exc is None or is_unavailable(r.exc)
        if r.server in behind or (transient and policy == "retry"):
            enqueue(session, server_id=ids[r.server], change=event.change, error=r.error,
                    actor=actor, reason=r.error or "")  # fmt: skip
            result.queued_servers.append(r.server)
            runtime.metrics.observe(
                server=r.server, kind=event.change.action, outcome="queued", seconds=None
            )
        elif not transient and policy == "retry" and result.any_succeeded:
            enqueue(session, server_id=ids[r.server], change=event.change, status="parked",
                    error=r.error, actor=actor, reason="rejected")  # fmt: skip
    await session.commit()


async def _rollback(
    runtime: SyncRuntime, session: AsyncSession, event: ChangeEvent, ids: dict[str, int]
) -> None:
    result = event.result
    clients = {c.name: c for c in event.multi.clients} if event.multi is not None else {}
    for r in result.results:
        if not r.success:
            continue
        try:
            undo = undo_change(event.change, r.value)
        except NotReversible as exc:
            result.rollback_errors.append(f"{r.server}: {exc}")
            continue
        try:
            if undo is not None:
                await undo.apply(clients[r.server])
        except PowerDNSError as exc:
            assert undo is not None
            log.warning("%s: rollback of %s failed: %s", r.server, event.change.action, exc)
            result.rollback_errors.append(f"{r.server}: rollback failed: {exc}")
            if r.server in ids:
                # The restore is owed to that server: queue it so it converges later.
                enqueue(session, server_id=ids[r.server], change=undo, error=str(exc),
                        actor=event.via, reason="rollback")  # fmt: skip
                result.queued_servers.append(r.server)
            continue
        result.rolled_back_servers.append(r.server)
        runtime.metrics.observe(
            server=r.server, kind=event.change.action, outcome="rolled_back", seconds=None
        )
    await session.commit()


def _behind_backlog(r: ServerResult[ServerChange]) -> bool:
    return r.skipped and (r.error or "").endswith(BACKLOG)


def _observe(runtime: SyncRuntime, r: ServerResult[ServerChange], kind: str) -> None:
    outcome = "skipped" if r.skipped else ("success" if r.success else "failure")
    seconds = None if r.skipped else r.duration_ms / 1000
    runtime.metrics.observe(server=r.server, kind=kind, outcome=outcome, seconds=seconds)
