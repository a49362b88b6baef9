"""Onboarding: a server joins the write targets only once it holds every zone.

    plan      ``plan_onboarding``: the source's zones, per zone create / update / in sync,
              its RRsets, the 30 % safety rule (``Plan.unsafe``) where the zone exists
    start     ``start_onboarding``: the server becomes ``seeding`` (no write target, even
              if it was one) and a job starts; from then on every write that stands is
              queued for it (``WriteRecorder``), and its queue is not replayed
    seed      the job lists the source's zones again and copies each (``fleet.copy``),
              re-planned at that moment, with its DNSSEC keys when the source signs it
              (``signed`` counts the zones whose keys were imported or changed); an unsafe
              zone without ``force`` is refused
    activate  every zone copied: the server is ``active`` with multi-server mode on (and so
              are the current targets, so that a single default server stays a target);
              then the writes queued during seeding are replayed in order

The seeding state is set before any zone is read from the source, and the record step
reads it after the fan-out, so a write is either queued for the server or already in the
source's copy (replaying it then changes nothing: changes are idempotent). With several
processes, the others learn of the state by notification, at the latest after
``server_cache_seconds``: the job waits that long (``Fleet.settle_seconds``) before it
reads the first zone. A failed zone
leaves the server seeding (writes still queued for it): start again, or retire it.
Cancelling the job (``jobs.cancel_job``) stops it before its next zone: the server is
``pending`` again (no write target, nothing queued: its queued writes are dropped, since a
new onboarding copies every zone after it starts queueing again).
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import FleetJob, PowerDNSSettings, SyncQueueEntry
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display
from dnsmate.services.errors import Conflict, InvalidInput, NoServerAvailable
from dnsmate.services.fleet.context import ActorRef, Fleet
from dnsmate.services.fleet.copy import ZoneCopy, apply_copy, plan_copy
from dnsmate.services.fleet.jobs import JobHandle, JobOutcome, refuse_if_running
from dnsmate.services.fleet.server_state import ACTIVE, PENDING, SEEDING
from dnsmate.services.fleet.servers import ClientPool, get_server, list_servers
from dnsmate.services.history.audit import Actor, record_event
from dnsmate.services.sync.drift import FETCH_CONCURRENCY
from dnsmate.services.sync.queue import drain_queue
from dnsmate.services.write.multi_powerdns import select_targets


async def _check(*, session: AsyncSession, server_id: int, source_id: int) -> None:
    server = await get_server(session, server_id)
    source = await get_server(session, source_id, "source server")
    if server.id == source.id:
        raise InvalidInput("source", "choose another server than the one being onboarded")
    if not server.is_active or not source.is_active:
        raise Conflict("Both servers must be active (switch them on in Settings > PowerDNS)")
    rows = await list_servers(session)
    try:
        targets = select_targets(rows)
    except NoServerAvailable:
        targets = []
    if [t.id for t in targets] == [server.id]:
        raise Conflict(f"{server.name} is the only write target: onboard another server instead")


async def plan_onboarding(
    *, session: AsyncSession, pool: ClientPool, server_id: int, source_id: int
) -> dict[str, Any]:
    """Per zone of the source: create or update on the server, or already in sync."""
    await _check(session=session, server_id=server_id, source_id=source_id)
    server = await get_server(session, server_id)
    source = await get_server(session, source_id, "source server")
    src, dst = pool.client(source), pool.client(server)
    listed, present = await asyncio.gather(src.list_zones(), dst.list_zones())
    names = sorted(z["name"] for z in listed)
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def one(name: str) -> ZoneCopy | None:
        async with limit:
            return await plan_copy(src, dst, name)

    copies = [c for c in await asyncio.gather(*(one(n) for n in names)) if c is not None]
    zones = [c.public() for c in copies]
    extra = sorted(display(z["name"]) for z in present if z["name"] not in set(names))
    return {
        "server": server.name,
        "server_id": server.id,
        "source": source.name,
        "source_id": source.id,
        "zones": zones,
        "extra_zones": extra,
        "summary": _summary(zones),
        "safe": not any(z["unsafe"] for z in zones),
    }


def _summary(zones: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "zones": len(zones),
        "create": sum(1 for z in zones if z["action"] == "create"),
        "update": sum(1 for z in zones if z["action"] == "update"),
        "in_sync": sum(1 for z in zones if z["action"] == "in_sync"),
        "rrsets": sum(z["rrsets"] for z in zones if z["action"] == "create")
        + sum(z["adds"] + z["changes"] + z["deletes"] for z in zones if z["action"] == "update"),
        "unsafe": sum(1 for z in zones if z["unsafe"]),
        "dnssec": sum(1 for z in zones if z["dnssec"]),
    }


async def start_onboarding(
    *,
    session: AsyncSession,
    fleet: Fleet,
    server_id: int,
    source_id: int,
    force: bool,
    actor: Actor,
) -> FleetJob:
    """Make the server ``seeding`` and start the job that copies every zone onto it."""
    await _check(session=session, server_id=server_id, source_id=source_id)
    await refuse_if_running(session=session, kind="onboard", server_id=server_id)
    server = await get_server(session, server_id)
    source = await get_server(session, source_id, "source server")
    server.lifecycle = SEEDING
    server.multi_server_mode = False
    who = ActorRef.of(actor)
    job = FleetJob(
        kind="onboard",
        server_id=server.id,
        server_name=server.name,
        source_id=source.id,
        source_name=source.name,
        phase="Listing the source's zones",
        options={"force": force},
        plan={},
        result={},
        actor=who.email or who.via,
    )

    async def work(handle: JobHandle) -> JobOutcome:
        return await _seed(handle, fleet=fleet, server_id=server_id, source_id=source_id,
                           force=force, who=who)  # fmt: skip

    return await fleet.runner.start(session=session, job=job, work=work)


async def _seed(
    handle: JobHandle, *, fleet: Fleet, server_id: int, source_id: int, force: bool, who: ActorRef
) -> JobOutcome:
    runtime = fleet.runtime
    async with runtime.sessions() as session:
        server = await get_server(session, server_id)
        source = await get_server(session, source_id, "source server")
    src, dst = runtime.pool.client(source), runtime.pool.client(server)
    if fleet.settle_seconds:
        # Until every process sees the server seeding, its writes might not be queued for
        # it: the copy starts after them, so it holds them.
        await handle.progress(phase="Waiting for every DNSMate process to queue writes")
        await handle.wait(fleet.settle_seconds)
    if await handle.cancel_requested():
        return await _stop_seeding(handle, fleet, server_id, {})
    names = sorted(z["name"] for z in await src.list_zones())
    await handle.progress(phase="Copying zones", total=len(names), done=0)
    counts = {"created": 0, "updated": 0, "in_sync": 0, "gone": 0, "rrsets": 0, "signed": 0}
    failed: list[dict[str, str]] = []
    refused: list[str] = []
    for done, name in enumerate(names, start=1):
        if not await _still_seeding(fleet, server_id):
            return JobOutcome("cancelled", {**counts}, "the server was retired during seeding")
        if await handle.cancel_requested():
            so_far = {**counts, "failed": failed, "refused": refused}
            return await _stop_seeding(handle, fleet, server_id, so_far)
        try:
            copy = await plan_copy(src, dst, name)
            if copy is None:
                counts["gone"] += 1  # deleted on the source since the listing
            elif copy.unsafe and not force:
                refused.append(display(name))
            else:
                signed = await apply_copy(src, dst, copy)
                key = {"create": "created", "update": "updated"}.get(copy.action, "in_sync")
                counts[key] += 1
                counts["signed"] += int(signed)
                counts["rrsets"] += copy.rrsets if copy.create else len(copy.plan)
        except PowerDNSError as exc:
            failed.append({"zone": display(name), "error": str(exc)})
        await handle.progress(done=done, current=display(name))
    result: dict[str, Any] = {**counts, "failed": failed, "refused": refused}
    if failed or refused:
        why = [f"{len(failed)} zone(s) failed"] if failed else []
        if refused:
            why.append(f"{len(refused)} zone(s) would change over 30 % of their RRsets (force)")
        message = f"{'; '.join(why)}: {server.name} stays seeding; start again or retire it"
        return JobOutcome("failed", result, message)
    await handle.progress(phase="Replaying the writes queued during seeding", current=None)
    if not await _activate(fleet, server_id):
        return JobOutcome("cancelled", result, "the server was retired during seeding")
    report = await drain_queue(runtime=runtime, server_ids=[server_id], include_open=True)
    result |= {"replayed": report.replayed, "parked": report.parked}
    async with runtime.sessions() as session:
        await record_event(
            session=session,
            actor=await who.actor(session),
            action="settings.server.onboard",
            target=server.name,
            detail=f"seeded from {source.name}: {counts['created']} zone(s) created, "
            f"{counts['updated']} updated, {report.replayed} queued write(s) replayed",
        )
    return JobOutcome("succeeded", result)


async def _stop_seeding(
    handle: JobHandle, fleet: Fleet, server_id: int, result: dict[str, Any]
) -> JobOutcome:
    """Cancelled: the server goes back to pending (no write target) and what was queued for
    it is dropped. The zones copied so far stay; onboarding it again re-plans every zone
    after it is seeding again, so the copy then holds those writes."""
    dropped = 0
    async with fleet.runtime.sessions() as session:
        row = await session.get(PowerDNSSettings, server_id)
        name = row.name if row is not None else f"server {server_id}"
        if row is not None and row.lifecycle == SEEDING:
            row.lifecycle = PENDING
            gone = await session.execute(
                delete(SyncQueueEntry).where(SyncQueueEntry.server_id == server_id)
            )
            dropped = int(gone.rowcount or 0)  # type: ignore[attr-defined]
        await session.commit()
    return await handle.cancelled(
        result | {"dropped_queue": dropped},
        f"{name} is pending, not a write target; the {dropped} write(s) queued for it were "
        "dropped (onboarding it again copies every zone afresh)",
    )


async def _still_seeding(fleet: Fleet, server_id: int) -> bool:
    async with fleet.runtime.sessions() as session:
        row = await session.get(PowerDNSSettings, server_id)
        return row is not None and row.lifecycle == SEEDING


async def _activate(fleet: Fleet, server_id: int) -> bool:
    """Make the seeded server a write target (with the current ones); False if retired."""
    async with fleet.runtime.sessions() as session:
        rows = await list_servers(session)
        server = next((r for r in rows if r.id == server_id), None)
        if server is None or server.lifecycle != SEEDING:
            return False
        try:
            current = select_targets(rows)
        except NoServerAvailable:
            current = []
        for row in [*current, server]:
            row.multi_server_mode = True
        server.lifecycle = ACTIVE
        await session.commit()
    return True
