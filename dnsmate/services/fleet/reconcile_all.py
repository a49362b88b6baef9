"""Reconcile everything: every zone that differs from a source server, repaired at once.

Which zones: the source's zones that some write target lacks, whose serial differs from
the source's on some target, or that have changes queued or parked (``deep``: every zone,
as ``sync_status`` does). Each is planned and repaired by the one per-zone reconcile
(``dnsmate.services.sync.reconcile``) through the write path, with its per-zone 30 % rule:
a zone whose plan is unsafe is refused unless ``force``, and the summary lists it. Parked
changes a repair made moot are resolved (``sync.moot``). Zones the source lacks are left
alone and listed. A cancelled job stops before its next zone (the zones repaired so far
stay repaired) and is audited like a finished one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import FleetJob, SyncQueueEntry
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display
from dnsmate.services.errors import DNSMateError
from dnsmate.services.fleet.context import ActorRef, Fleet
from dnsmate.services.fleet.jobs import JobHandle, JobOutcome, refuse_if_running
from dnsmate.services.fleet.servers import ClientPool
from dnsmate.services.history.audit import Actor, record_event
from dnsmate.services.sync.drift import FETCH_CONCURRENCY, Server, comparison_servers
from dnsmate.services.sync.reconcile import ReconcilePlan, plan_zone, reconcile
from dnsmate.services.write.pipeline import WriteScope


@dataclass
class Candidates:
    """The source, the reachable targets, and the zones worth planning."""

    source: Server
    targets: list[Server]
    zones: list[str]
    checked: int
    not_on_source: list[str]
    unreachable: dict[str, str]


async def find_candidates(
    *, session: AsyncSession, pool: ClientPool, source: int, deep: bool
) -> Candidates:
    """The source's zones that may differ on some write target (one listing per server)."""
    ref, others = await comparison_servers(session=session, pool=pool, reference=source)
    listings = await asyncio.gather(
        *(s.client.list_zones() for s in others), return_exceptions=True
    )
    wanted = {z["name"]: z.get("serial") for z in await ref.client.list_zones()}
    queued = set(await session.scalars(select(SyncQueueEntry.zone).distinct()))
    unreachable: dict[str, str] = {}
    reachable: list[Server] = []
    held: list[dict[str, Any]] = []
    for server, listing in zip(others, listings, strict=True):
        if isinstance(listing, PowerDNSError):
            unreachable[server.name] = str(listing)
        elif isinstance(listing, BaseException):
            raise listing
        else:
            reachable.append(server)
            held.append({z["name"]: z.get("serial") for z in listing})
    zones = [
        name
        for name, serial in sorted(wanted.items())
        if deep or name in queued or any(h.get(name, -1) != serial for h in held)
    ]
    extra = sorted({display(n) for h in held for n in h if n not in wanted})
    return Candidates(ref, reachable, zones, len(wanted), extra, unreachable)


def _zone_public(plan: ReconcilePlan) -> dict[str, Any]:
    return {
        "zone": display(plan.zone),
        "unsafe": not plan.safe,
        "servers": [
            {"server": p.server, "create_zone": p.create_zone, "copy_keys": p.copy_keys,
             **p.plan.counts(),
             "unsafe": p.plan.unsafe, "error": p.error}
            for p in plan.servers
        ],
    }  # fmt: skip


def _needs_work(plan: ReconcilePlan) -> bool:
    return any(p.create_zone or p.copy_keys or p.error or p.plan for p in plan.servers)


async def plan_reconcile_all(
    *, session: AsyncSession, pool: ClientPool, source: int, deep: bool
) -> dict[str, Any]:
    """Every zone that differs from ``source`` on some write target, with its plan."""
    found = await find_candidates(session=session, pool=pool, source=source, deep=deep)
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def one(zone: str) -> ReconcilePlan | None:
        async with limit:
            try:
                return await plan_zone(ref=found.source, others=found.targets, zone=zone)
            except DNSMateError:  # deleted on the source since the listing
                return None

    plans = [p for p in await asyncio.gather(*(one(z) for z in found.zones)) if p is not None]
    zones = [_zone_public(p) for p in plans if _needs_work(p)]
    return {
        "source": found.source.name,
        "source_id": found.source.id,
        "servers": [s.name for s in found.targets],
        "checked": found.checked,
        "zones": zones,
        "not_on_source": found.not_on_source,
        "unreachable": found.unreachable,
        "unsafe": sum(1 for z in zones if z["unsafe"]),
        "deep": deep,
    }


async def start_reconcile_all(
    *,
    session: AsyncSession,
    fleet: Fleet,
    source: int,
    force: bool,
    deep: bool,
    actor: Actor,
) -> FleetJob:
    """Start the job that repairs every differing zone from ``source``."""
    await refuse_if_running(session=session, kind="reconcile", server_id=None)
    ref, _others = await comparison_servers(session=session, pool=fleet.runtime.pool,
                                            reference=source)  # fmt: skip
    who = ActorRef.of(actor)
    job = FleetJob(
        kind="reconcile",
        source_id=ref.id,
        source_name=ref.name,
        phase="Finding the zones that differ",
        options={"force": force, "deep": deep},
        plan={},
        result={},
        actor=who.email or who.via,
    )

    async def work(handle: JobHandle) -> JobOutcome:
        return await _repair(handle, fleet=fleet, source=ref.id, force=force, deep=deep, who=who)

    return await fleet.runner.start(session=session, job=job, work=work)


async def _repair(
    handle: JobHandle, *, fleet: Fleet, source: int, force: bool, deep: bool, who: ActorRef
) -> JobOutcome:
    runtime = fleet.runtime
    async with runtime.sessions() as session:
        found = await find_candidates(session=session, pool=runtime.pool, source=source,
                                      deep=deep)  # fmt: skip
    await handle.progress(phase="Repairing zones", total=len(found.zones), done=0)
    result: dict[str, Any] = {
        "checked": found.checked, "candidates": len(found.zones), "repaired": [],
        "in_sync": 0, "refused": [], "failed": [], "queued": [], "resolved_parked": 0,
        "not_on_source": found.not_on_source, "unreachable": found.unreachable,
    }  # fmt: skip
    stopped = False
    for done, zone in enumerate(found.zones, start=1):
        if await handle.cancel_requested():
            stopped = True
            break
        async with runtime.sessions() as session:
            scope = WriteScope(session, await who.actor(session),
                               await fleet.pipeline.targets(session))  # fmt: skip
            try:
                answer = await reconcile(session=session, pool=runtime.pool,
                                         pipeline=fleet.pipeline, scope=scope, zone=zone,
                                         source=source, dry_run=False, force=force)  # fmt: skip
            except (PowerDNSError, DNSMateError) as exc:
                result["failed"].append({"zone": display(zone), "error": str(exc)})
            else:
                _classify(result, display(zone), answer)
        await handle.progress(done=done, current=display(zone))
    async with runtime.sessions() as session:
        await record_event(
            session=session,
            actor=await who.actor(session),
            action="sync.reconcile_all",
            target=f"from server {source}",
            after={k: result[k] for k in ("repaired", "refused", "failed", "resolved_parked")},
            outcome="success" if not (result["failed"] or result["refused"]) else "partial",
        )
    if stopped:
        return await handle.cancelled(
            result, f"{len(result['repaired'])} zone(s) repaired, the others left as they were"
        )
    if result["failed"] or result["refused"]:
        parts = [f"{len(result['repaired'])} zone(s) repaired"]
        if result["refused"]:
            parts.append(f"{len(result['refused'])} refused (over 30 % of RRsets: use force)")
        if result["failed"]:
            parts.append(f"{len(result['failed'])} failed")
        return JobOutcome("failed", result, "; ".join(parts))
    return JobOutcome("succeeded", result)


def _classify(result: dict[str, Any], zone: str, answer: dict[str, Any]) -> None:
    result["resolved_parked"] += len(answer.get("resolved_parked", []))
    if answer["refused"]:
        result["refused"].append(zone)
        return
    failures = [f"{r['server']}: {r['error']}" for r in answer["results"] if not r["success"]]
    result["queued"].extend(f"{zone}: {s}" for s in answer.get("queued_servers", []))
    if failures:
        result["failed"].append({"zone": zone, "error": "; ".join(failures)})
    elif answer["results"]:
        result["repaired"].append(zone)
    else:
        result["in_sync"] += 1
