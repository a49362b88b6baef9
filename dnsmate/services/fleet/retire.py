"""Retiring a server: it stops receiving writes, and optionally loses DNSMate's zones.

At once (in the request): multi-server mode off, an onboarding in progress stops, the
changes still queued for it are dropped (it will never receive them), and when it was the
default another write target becomes the default. Refused when that would leave no write
target or make a server a target that is not one now (a default server alone, not
seeded). Then a job deletes, when asked, the zones it holds that the remaining write
targets also hold; zones only it holds are kept and listed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import FleetJob, SyncQueueEntry
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display
from dnsmate.services.errors import Conflict, NoServerAvailable
from dnsmate.services.fleet.context import ActorRef, Fleet
from dnsmate.services.fleet.jobs import JobHandle, JobOutcome, refuse_if_running
from dnsmate.services.fleet.server_state import ACTIVE, ServerRow
from dnsmate.services.fleet.servers import get_server, list_servers
from dnsmate.services.history.audit import Actor
from dnsmate.services.write.changes import DeleteZone
from dnsmate.services.write.multi_powerdns import select_targets


async def start_retirement(
    *, session: AsyncSession, fleet: Fleet, server_id: int, delete_zones: bool, actor: Actor
) -> FleetJob:
    """Stop writing to the server now; a job deletes its zones when ``delete_zones``."""
    await refuse_if_running(session=session, kind="retire", server_id=server_id)
    rows = await list_servers(session)
    server = await get_server(session, server_id)
    before = [ServerRow.of(r) for r in rows]
    after = [dataclasses.replace(r, multi_server_mode=False) if r.id == server_id else r
             for r in before]  # fmt: skip
    now = _target_ids(before)
    remaining = _target_ids(after)
    if not remaining or server_id in remaining or not set(remaining) <= set(now):
        raise Conflict(
            f"Retiring {server.name} would leave no write target that holds the zones: "
            "onboard another server first"
        )
    server.multi_server_mode = False
    server.lifecycle = ACTIVE
    if server.is_default:
        for row in rows:
            row.is_default = row.id == remaining[0]
    dropped = await session.execute(
        delete(SyncQueueEntry).where(SyncQueueEntry.server_id == server_id)
    )
    job = FleetJob(
        kind="retire",
        server_id=server.id,
        server_name=server.name,
        source_id=remaining[0],
        phase="Listing the zones" if delete_zones else "Done",
        options={"delete_zones": delete_zones},
        plan={},
        result={},
        actor=ActorRef.of(actor).email or actor.via,
    )
    counts = {"dropped_queue": int(dropped.rowcount or 0)}  # type: ignore[attr-defined]

    async def work(handle: JobHandle) -> JobOutcome:
        if not delete_zones:
            return JobOutcome("succeeded", counts | {"deleted": 0, "kept": [], "failed": []})
        return await _delete_zones(handle, fleet=fleet, server_id=server_id,
                                   keep_from=remaining[0], counts=counts)  # fmt: skip

    return await fleet.runner.start(session=session, job=job, work=work)


def _target_ids(rows: list[ServerRow]) -> list[int]:
    try:
        return [r.id for r in select_targets(rows)]
    except NoServerAvailable:
        return []


async def _delete_zones(
    handle: JobHandle, *, fleet: Fleet, server_id: int, keep_from: int, counts: dict[str, int]
) -> JobOutcome:
    runtime = fleet.runtime
    async with runtime.sessions() as session:
        server = await get_server(session, server_id)
        target = await get_server(session, keep_from)
    client, reference = runtime.pool.client(server), runtime.pool.client(target)
    held = {z["name"] for z in await client.list_zones()}
    managed = {z["name"] for z in await reference.list_zones()}
    doomed = sorted(held & managed)
    await handle.progress(phase="Deleting zones", total=len(doomed), done=0)
    failed: list[dict[str, str]] = []
    for done, name in enumerate(doomed, start=1):
        if await handle.cancel_requested():
            so_far = counts | {"deleted": done - 1 - len(failed), "failed": failed}
            return await handle.cancelled(so_far, "the server stays retired; its other zones "
                                                  "are kept")  # fmt: skip
        try:
            await DeleteZone(zone=name).apply(client)
        except PowerDNSError as exc:
            failed.append({"zone": display(name), "error": str(exc)})
        await handle.progress(done=done, current=display(name))
    result: dict[str, Any] = counts | {
        "deleted": len(doomed) - len(failed),
        "kept": sorted(display(n) for n in held - managed),
        "failed": failed,
    }
    if failed:
        return JobOutcome("failed", result, f"{len(failed)} zone(s) could not be deleted")
    return JobOutcome("succeeded", result)
