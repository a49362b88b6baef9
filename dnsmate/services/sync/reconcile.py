"""Reconcile a zone: make every target hold the source server's copy, octoDNS-style.

First a plan per server (creates, updates, deletes of RRsets, or the whole zone when it is
missing), then, unless it is a dry run, one atomic PATCH per server (a PatchRRsets change)
and a zone creation where it is missing, both through the one write path (so the audit
log, versions and the retry queue see them). Like octoDNS, a plan that updates or deletes
more than 30 % of a server's RRsets is refused without ``force`` (``Plan.unsafe``: zones
with fewer than 10 RRsets are exempt, as in octoDNS).

The SOA is not reconciled: every server keeps its own serial, which PowerDNS bumps on each
change (sending the source's serial could move a server's serial backwards). A signed zone
created on a server that lacked it, or held there unsigned (``copy_keys``), gets the
source's DNSSEC keys (``SyncZoneKeys``), so it publishes the same DNSKEY set.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import NotFound
from dnsmate.services.fleet.servers import ClientPool
from dnsmate.services.sync.drift import Server, comparison_servers
from dnsmate.services.sync.moot import resolve_parked
from dnsmate.services.write.changes import CreateZone, PatchRRsets
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata.dnssec import SyncZoneKeys, export_keys
from dnsmate.services.zonedata.plan import MAX_SAFE_CHANGE_FRACTION, Plan
from dnsmate.services.zonedata.rrset import Key, RRset
from dnsmate.services.zonedata.zones import snapshot_payload
from dnsmate.services.zonedata.zonestate import MANAGED_TYPES, state_from_rrsets


@dataclass
class ServerPlan:
    """What reconcile would do on one server: its Plan, or the zone to create, or an error."""

    server: str
    server_id: int
    create_zone: bool = False
    plan: Plan = field(default_factory=Plan)
    error: str | None = None
    copy_keys: bool = False  # the source signs the zone; this server holds it unsigned

    def public(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "server": self.server,
            "create_zone": self.create_zone,
            "copy_keys": self.copy_keys,
            "creates": [new.drift_public() for new in plan.creates],
            "updates": [new.drift_public() for _old, new in plan.updates],
            "deletes": [_key(old) for old in plan.deletes],
            "existing_rrsets": plan.existing,
            "unsafe": plan.unsafe,
            "error": self.error,
        }


@dataclass
class ReconcilePlan:
    """The source server's zone and a plan per other target."""

    zone: str
    source: str
    source_zone: JSON
    servers: list[ServerPlan]
    source_client: PowerDNSClient | None = None

    @property
    def safe(self) -> bool:
        return not any(p.plan.unsafe for p in self.servers)

    def public(self) -> dict[str, Any]:
        return {
            "zone": display(self.zone),
            "source": self.source,
            "safe": self.safe,
            "servers": [p.public() for p in self.servers],
        }


def _key(rrset: RRset) -> dict[str, str]:
    return {"name": display(rrset.name), "type": rrset.type}


async def plan_reconcile(
    *, session: AsyncSession, pool: ClientPool, zone: str, source: int
) -> ReconcilePlan:
    """Per target: the RRset creates, updates and deletes that make it equal to ``source``."""
    ref, others = await comparison_servers(session=session, pool=pool, reference=source)
    return await plan_zone(ref=ref, others=others, zone=zone)


async def plan_zone(*, ref: Server, others: list[Server], zone: str) -> ReconcilePlan:
    """``plan_reconcile`` for servers already chosen (no database access)."""
    name = fqdn(zone)
    try:
        source_zone = await ref.client.get_zone(name)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found on the source server {ref.name}") from exc
    wanted = state_from_rrsets(source_zone.get("rrsets", []))
    copies = await asyncio.gather(
        *(s.client.get_zone(name) for s in others), return_exceptions=True
    )
    plans = []
    for server, copy in zip(others, copies, strict=True):
        plan = ServerPlan(server.name, server.id)
        plans.append(plan)
        if isinstance(copy, PowerDNSNotFound):
            plan.create_zone = True
            continue
        if isinstance(copy, PowerDNSError):
            plan.error = str(copy)
            continue
        if isinstance(copy, BaseException):
            raise copy
        have = state_from_rrsets(copy.get("rrsets", []))
        plan.plan = Plan.between(have, wanted, ignore=MANAGED_TYPES)
        plan.copy_keys = bool(source_zone.get("dnssec")) and not copy.get("dnssec")
    return ReconcilePlan(name, ref.name, source_zone, plans, ref.client)


async def reconcile(
    *,
    session: AsyncSession,
    pool: ClientPool,
    pipeline: WritePipeline,
    scope: WriteScope,
    zone: str,
    source: int,
    dry_run: bool,
    force: bool,
) -> dict[str, Any]:
    """Plan, then (unless ``dry_run``, or unsafe without ``force``) apply it.

    Returns the plan with ``applied``, ``refused``, the per-server ``results`` and, once
    applied, ``queued_servers`` (failed servers the change is queued for), ``warnings`` and
    ``resolved_parked`` (parked changes of the zone on servers that now hold the source's
    copy: moot, removed from the queue with an audit event each).
    """
    plan = await plan_reconcile(session=session, pool=pool, zone=zone, source=source)
    answer = plan.public() | {"dry_run": dry_run, "applied": False, "refused": False}
    answer["results"] = []
    if dry_run:
        return answer
    if not plan.safe and not force:
        answer["refused"] = True
        answer["message"] = (
            f"The plan changes or deletes more than {MAX_SAFE_CHANGE_FRACTION:.0%} of a "
            "server's RRsets; review it and send force=true to apply it"
        )
        return answer
    runs = []
    made: list[int] = []
    missing = [p.server_id for p in plan.servers if p.create_zone]
    if missing:
        payload = snapshot_payload(plan.source_zone)
        created = await pipeline.run(
            CreateZone(zone=plan.zone, payload=payload), scope=scope.narrowed(missing)
        )
        runs.append(created)
        made = [r.server_id for r in created.results if r.success and r.server_id]
    fix = [p for p in plan.servers if not p.create_zone and p.error is None and p.plan]
    if fix:
        # Every server's plan leads to the source's RRsets: one change for them all.
        wanted: dict[Key, JSON] = {
            (rrset["name"], rrset["type"]): rrset for p in fix for rrset in p.plan.rrsets()
        }
        patched = await pipeline.run(
            PatchRRsets(zone=plan.zone, rrsets=tuple(wanted.values())),
            scope=scope.narrowed([p.server_id for p in fix]),
        )
        runs.append(patched)
    # A signed zone created from the copy, or held unsigned: it signs with the source's keys.
    unsigned = made + [p.server_id for p in plan.servers if p.copy_keys and p.error is None]
    if plan.source_zone.get("dnssec") and plan.source_client is not None and unsigned:
        keys = await export_keys(client=plan.source_client, zone=plan.zone)
        nsec3param = str(plan.source_zone.get("nsec3param") or "")
        signed = await pipeline.run(
            SyncZoneKeys(zone=plan.zone, keys=keys, nsec3param=nsec3param),
            scope=scope.narrowed(unsigned),
        )
        runs.append(signed)
    answer["applied"] = True
    answer["results"] = [r.public() for run in runs for r in run.results]
    # Servers now holding the source's copy: their parked changes of this zone are moot.
    settled = {source, *(p.server_id for p in plan.servers if p.error is None and not p.create_zone
                         and not p.plan and not p.copy_keys)}  # fmt: skip
    settled |= {r.server_id for run in runs for r in run.results if r.success and r.server_id}
    answer["resolved_parked"] = await resolve_parked(
        session=session, actor=scope.actor, zone=plan.zone, server_ids=settled, source=plan.source
    )
    # Under the retry policy a server that failed gets the change later, from the queue.
    answer["queued_servers"] = [server for run in runs for server in run.queued_servers]
    answer["warnings"] = [warning for run in runs for warning in run.warnings]
    return answer
