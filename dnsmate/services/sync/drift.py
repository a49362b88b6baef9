"""Drift between servers: per-zone diff, status of every zone, and reconcile from a source.

Comparison is per RRset (name, type) with the RRset equality rule
(``dnsmate.services.zonedata.rrset``: TTL, records in canonical form with their disabled
flags, comments). The SOA serial is ignored (servers bump it independently); the rest of
the SOA is compared.

``sync_status`` is fast because it trusts serials only to pick what to look at: it lists
the zones of every target (one request per server), then fetches and diffs the zones that
are missing somewhere, whose serials differ, or that have changes queued or parked. Equal
serials and an empty queue count as in sync without a content check: the same sequence of
changes gives the same serial, but two different changes can give equal serials too (an
edit behind DNSMate's back that happens to leave serials equal), so ``deep=True`` diffs
every zone (see docs/benchmarks.md for both timings).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import utcnow
from dnsmate.models import PowerDNSSettings, SyncQueueEntry, ZoneDriftCheck
from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import NotFound
from dnsmate.services.fleet.servers import ClientPool, list_servers
from dnsmate.services.sync.metrics import SyncMetrics
from dnsmate.services.write.multi_powerdns import select_targets
from dnsmate.services.zonedata.rrset import RRset
from dnsmate.services.zonedata.zonestate import state_from_rrsets

# How many zones are fetched at once while checking status (per server it is one request at
# a time in PowerDNS's webserver anyway; a few in flight hide the round trips).
FETCH_CONCURRENCY = 8


@dataclass(frozen=True)
class Server:
    """One server taking part in a comparison."""

    id: int
    name: str
    client: PowerDNSClient


async def comparison_servers(
    *, session: AsyncSession, pool: ClientPool, reference: int | None = None
) -> tuple[Server, list[Server]]:
    """The reference server and the others: every write target (plus the reference).

    The reference is the default server unless ``reference`` names another one.
    """
    rows = await list_servers(session)
    targets = select_targets(rows)
    if reference is None:
        ref_row = next((r for r in targets if r.is_default), targets[0])
    else:
        found = next((r for r in rows if r.id == reference), None)
        if found is None:
            raise NotFound(f"PowerDNS server {reference} not found")
        ref_row = found
    others = [r for r in targets if r.id != ref_row.id]
    return _server(pool, ref_row), [_server(pool, r) for r in others]


def _server(pool: ClientPool, row: PowerDNSSettings) -> Server:
    return Server(row.id, row.name, pool.client(row))


def without_serial(rrset: RRset) -> RRset:
    """The RRset as servers are compared: an SOA without its serial (the third field)."""
    if rrset.type != "SOA":
        return rrset
    records = ((" ".join(c.split()[:2] + c.split()[3:]), d) for c, d in rrset.records)
    return RRset.of(rrset.name, rrset.type, rrset.ttl, records, rrset.comments)


def compare(reference: JSON, other: JSON) -> dict[str, list[Any]]:
    """What ``other`` lacks, has in excess, and has differently, relative to ``reference``."""
    ref = state_from_rrsets(reference.get("rrsets", []))
    oth = state_from_rrsets(other.get("rrsets", []))
    missing = [ref[k].drift_public() for k in sorted(ref.keys() - oth.keys())]
    extra = [oth[k].drift_public() for k in sorted(oth.keys() - ref.keys())]
    different = [
        {"name": display(k[0]), "type": k[1], "reference": ref[k].drift_public(),
         "server": oth[k].drift_public()}
        for k in sorted(ref.keys() & oth.keys())
        if without_serial(ref[k]) != without_serial(oth[k])
    ]  # fmt: skip
    return {"missing": missing, "extra": extra, "different": different}


async def _fetch(client: PowerDNSClient, zone: str) -> JSON | None:
    """The whole zone, or None when the server does not have it."""
    try:
        return await client.get_zone(zone)
    except PowerDNSNotFound:
        return None


async def diff_zone(
    *, session: AsyncSession, pool: ClientPool, zone: str, reference: int | None = None
) -> dict[str, Any]:
    """Every target's differences from the reference server for one zone."""
    name = fqdn(zone)
    ref, others = await comparison_servers(session=session, pool=pool, reference=reference)
    fetched = await asyncio.gather(
        *(_fetch(s.client, name) for s in [ref, *others]), return_exceptions=True
    )
    ref_zone = fetched[0]
    if isinstance(ref_zone, BaseException):
        raise ref_zone  # the reference must answer (502 when it is down)
    if ref_zone is None:
        raise NotFound(
            f"Zone {display(name)} not found on the reference server {ref.name}; "
            "choose another with ?reference=<server id>"
        )
    servers = []
    for server, data in zip(others, fetched[1:], strict=True):
        entry: dict[str, Any] = {"server": server.name, "server_id": server.id, "error": None}
        if isinstance(data, PowerDNSError):
            entry |= {"status": "unreachable", "error": str(data)}
        elif isinstance(data, BaseException):
            raise data
        elif data is None:
            entry |= {"status": "missing"}
        else:
            delta = compare(ref_zone, data)
            entry |= {"status": "drifted" if any(delta.values()) else "in_sync", **delta}
        servers.append(entry)
    return {
        "zone": display(name),
        "reference": ref.name,
        "reference_id": ref.id,
        "in_sync": all(s["status"] == "in_sync" for s in servers),
        "servers": servers,
    }


async def sync_status(
    *,
    session: AsyncSession,
    pool: ClientPool,
    deep: bool = False,
    metrics: SyncMetrics | None = None,
) -> dict[str, Any]:
    """Every zone on every target: in_sync, drifted, missing (on some server) or unknown.

    ``metrics`` gets the number of zones drifted or missing somewhere (a Prometheus gauge).
    """
    started = time.perf_counter()
    ref, others = await comparison_servers(session=session, pool=pool)
    servers = [ref, *others]
    listings = await asyncio.gather(
        *(s.client.list_zones() for s in servers), return_exceptions=True
    )
    unreachable: dict[str, str] = {}
    serials: dict[str, dict[str, int]] = {}  # zone -> server -> serial
    for server, listing in zip(servers, listings, strict=True):
        if isinstance(listing, PowerDNSError):
            unreachable[server.name] = str(listing)
            continue
        if isinstance(listing, BaseException):
            raise listing
        for z in listing:
            serials.setdefault(z["name"], {})[server.name] = int(z.get("serial") or 0)
    queued = set(await session.scalars(select(SyncQueueEntry.zone).distinct()))
    reachable = [s for s in servers if s.name not in unreachable]
    zones: list[dict[str, Any]] = []
    to_check: list[tuple[dict[str, Any], list[Server]]] = []
    for name in sorted(serials):
        have = serials[name]
        entry: dict[str, Any] = {
            "zone": display(name),
            "missing_on": [s.name for s in reachable if s.name not in have],
            "drifted_on": [],
            "checked": "serial",
        }
        zones.append(entry)
        present = [s for s in reachable if s.name in have]
        suspect = deep or len(set(have.values())) > 1 or name in queued
        if suspect and len(present) > 1:
            to_check.append((entry, present))
    limit = asyncio.Semaphore(FETCH_CONCURRENCY)

    async def check(entry: dict[str, Any], present: list[Server]) -> None:
        async with limit:
            name = fqdn(entry["zone"])
            copies = await asyncio.gather(
                *(_fetch(s.client, name) for s in present), return_exceptions=True
            )
        entry["checked"] = "content"
        base = copies[0]
        for server, copy in zip(present[1:], copies[1:], strict=True):
            if isinstance(base, BaseException) or isinstance(copy, BaseException):
                entry.setdefault("unknown_on", []).append(server.name)
            elif copy is None or base is None:  # deleted since the listing
                entry["missing_on"].append(server.name if copy is None else present[0].name)
            elif any(compare(base, copy).values()):
                entry["drifted_on"].append(server.name)

    await asyncio.gather(*(check(entry, present) for entry, present in to_check))
    summary = {"in_sync": 0, "drifted": 0, "missing": 0, "unknown": 0}
    for entry in zones:
        if entry["missing_on"]:
            entry["status"] = "missing"
        elif entry["drifted_on"]:
            entry["status"] = "drifted"
        elif unreachable or entry.get("unknown_on"):
            entry["status"] = "unknown"
        else:
            entry["status"] = "in_sync"
        summary[entry["status"]] += 1
    if metrics is not None:
        metrics.drifted.set(summary["drifted"] + summary["missing"])
    await _remember(session, zones)
    return {
        "servers": [s.name for s in servers],
        "reference": ref.name,
        "unreachable": unreachable,
        "deep": deep,
        "summary": summary,
        "zones": zones,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }


async def _remember(session: AsyncSession, zones: list[dict[str, Any]]) -> None:
    """Keep this check's result per zone (replacing the previous check's): every process and
    every browser tab reads the same last check (``last_check``)."""
    now = utcnow()
    await session.execute(delete(ZoneDriftCheck))
    session.add_all(
        ZoneDriftCheck(zone=fqdn(entry["zone"]).lower(), status=entry["status"],
                       drifted_on=entry["drifted_on"], missing_on=entry["missing_on"],
                       checked_at=now)
        for entry in zones
    )  # fmt: skip
    await session.commit()


async def last_check(*, session: AsyncSession, zone: str) -> dict[str, Any] | None:
    """The zone's result in the last sync status check, or None when no check saw it."""
    row = await session.get(ZoneDriftCheck, fqdn(zone).lower())
    if row is None:
        return None
    return {"status": row.status, "drifted_on": row.drifted_on, "missing_on": row.missing_on,
            "checked_at": row.checked_at}  # fmt: skip
