"""Reconcile a zone: make every target hold the source server's copy, octoDNS-style.

First a plan per server (creates, updates, deletes of RRsets, or the whole zone when it is
missing), then, unless it is a dry run, one atomic PATCH per server (a PatchRRsets change)
and a zone creation where it is missing, both through the one write path (so the audit
log, versions and the retry queue see them). Like octoDNS, a plan that updates or deletes
more than 30 % of a server's RRsets is refused without ``force`` (zones with fewer than 10
RRsets are exempt, as in octoDNS: one change in a tiny zone is not a mass deletion).

The SOA is not reconciled: every server keeps its own serial, which PowerDNS bumps on each
change (sending the source's serial could move a server's serial backwards).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.changes import CreateZone, PatchRRsets, RunsChanges
from dnsmate.services.errors import NotFound
from dnsmate.services.servers import ClientPool
from dnsmate.services.sync.drift import (
    Key,
    comparison_servers,
    public_rrset,
    rrset_index,
    same_rrset,
)
from dnsmate.services.zones import snapshot_payload
from dnsmate.services.zonestate import rrset_data, to_rrset

MAX_SAFE_CHANGE_FRACTION = 0.30
MIN_EXISTING_RRSETS = 10


@dataclass
class ServerPlan:
    """What reconcile would do on one server."""

    server: str
    server_id: int
    create_zone: bool = False
    creates: list[Key] = field(default_factory=list)
    updates: list[Key] = field(default_factory=list)
    deletes: list[Key] = field(default_factory=list)
    existing: int = 0
    error: str | None = None

    @property
    def changes(self) -> int:
        return len(self.creates) + len(self.updates) + len(self.deletes)

    @property
    def unsafe(self) -> bool:
        if self.existing < MIN_EXISTING_RRSETS:
            return False
        limit = MAX_SAFE_CHANGE_FRACTION * self.existing
        return len(self.updates) > limit or len(self.deletes) > limit


@dataclass
class Plan:
    zone: str
    source: str
    source_zone: JSON
    servers: list[ServerPlan]

    @property
    def safe(self) -> bool:
        return not any(p.unsafe for p in self.servers)

    def public(self) -> dict[str, Any]:
        index = rrset_index(self.source_zone)

        def rrsets(keys: list[Key]) -> list[dict[str, Any]]:
            return [public_rrset(index[k]) if k in index else _key(k) for k in keys]

        return {
            "zone": display(self.zone),
            "source": self.source,
            "safe": self.safe,
            "servers": [
                {
                    "server": p.server,
                    "create_zone": p.create_zone,
                    "creates": rrsets(p.creates),
                    "updates": rrsets(p.updates),
                    "deletes": [_key(k) for k in p.deletes],
                    "existing_rrsets": p.existing,
                    "unsafe": p.unsafe,
                    "error": p.error,
                }
                for p in self.servers
            ],
        }


def _key(key: Key) -> dict[str, str]:
    return {"name": display(key[0]), "type": key[1]}


async def plan_reconcile(
    *, session: AsyncSession, pool: ClientPool, zone: str, source: int
) -> Plan:
    """Per target: the RRset creates, updates and deletes that make it equal to ``source``."""
    name = fqdn(zone)
    ref, others = await comparison_servers(session=session, pool=pool, reference=source)
    try:
        source_zone = await ref.client.get_zone(name)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found on the source server {ref.name}") from exc
    wanted = {k: v for k, v in rrset_index(source_zone).items() if k[1] != "SOA"}
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
        have = {k: v for k, v in rrset_index(copy).items() if k[1] != "SOA"}
        plan.existing = len(have)
        plan.creates = sorted(wanted.keys() - have.keys())
        plan.deletes = sorted(have.keys() - wanted.keys())
        plan.updates = sorted(
            k for k in wanted.keys() & have.keys() if not same_rrset(wanted[k], have[k])
        )
    return Plan(name, ref.name, source_zone, plans)


async def reconcile(
    *,
    session: AsyncSession,
    pool: ClientPool,
    runner: RunsChanges,
    zone: str,
    source: int,
    dry_run: bool,
    force: bool,
) -> dict[str, Any]:
    """Plan, then (unless ``dry_run``, or unsafe without ``force``) apply it.

    Returns the plan with ``applied``, ``refused``, the per-server ``results`` and, once
    applied, ``queued_servers`` (failed servers the change is queued for) and ``warnings``.
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
    index = rrset_index(plan.source_zone)
    runs = []
    missing = [p.server for p in plan.servers if p.create_zone]
    if missing:
        payload = snapshot_payload(plan.source_zone)
        created = await runner.run(
            CreateZone(zone=plan.zone, payload=payload), multi=runner.multi.subset(missing)
        )
        runs.append(created)
    fix = [p for p in plan.servers if not p.create_zone and p.error is None and p.changes]
    if fix:
        keys = sorted({k for p in fix for k in (*p.creates, *p.updates, *p.deletes)})
        rrsets = tuple(to_rrset(k, rrset_data(index[k]) if k in index else None) for k in keys)
        patched = await runner.run(
            PatchRRsets(zone=plan.zone, rrsets=rrsets),
            multi=runner.multi.subset([p.server for p in fix]),
        )
        runs.append(patched)
    answer["applied"] = True
    answer["results"] = [r.public() for run in runs for r in run.results]
    # Under the retry policy a server that failed gets the change later, from the queue.
    answer["queued_servers"] = [server for run in runs for server in run.queued_servers]
    answer["warnings"] = [warning for run in runs for warning in run.warnings]
    return answer
