"""Copying one zone from a source server onto another: the plan and its application.

``plan_copy`` compares the source's zone with the target's (the one ``Plan``, SOA left
out: each server keeps its own serial) or notes that the zone must be created there;
``apply_copy`` carries it out on the target alone, through the change objects (under the
target's write lock, large zones in chunks). A zone the source signs gets the source's
DNSSEC keys too (``copy_keys``: private keys exported from the source and imported, so
both servers publish the same DNSKEY set and their signatures validate alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSConflict, PowerDNSNotFound
from dnsmate.powerdns.names import display
from dnsmate.services.write.changes import CreateZone, PatchRRsets
from dnsmate.services.zonedata.dnssec import SyncZoneKeys, export_keys
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.zones import snapshot_payload
from dnsmate.services.zonedata.zonestate import MANAGED_TYPES, state_from_rrsets


@dataclass
class ZoneCopy:
    """What copying ``zone`` needs on the target: create it, or apply ``plan``."""

    zone: str
    source_zone: JSON
    create: bool
    plan: Plan

    @property
    def rrsets(self) -> int:
        """RRsets of the source's copy."""
        return sum(1 for r in self.source_zone.get("rrsets", []) if r.get("records"))

    @property
    def action(self) -> str:
        """``create``, ``update`` or ``in_sync``."""
        return "create" if self.create else ("update" if self.plan else "in_sync")

    @property
    def unsafe(self) -> bool:
        return not self.create and self.plan.unsafe

    def public(self) -> dict[str, Any]:
        return {
            "zone": display(self.zone),
            "action": self.action,
            "rrsets": self.rrsets,
            **self.plan.counts(),
            "unsafe": self.unsafe,
            "dnssec": bool(self.source_zone.get("dnssec")),
        }


async def plan_copy(source: PowerDNSClient, target: PowerDNSClient, zone: str) -> ZoneCopy | None:
    """What makes ``target``'s copy of ``zone`` equal to ``source``'s (None: the source no
    longer has the zone)."""
    try:
        wanted = await source.get_zone(zone)
    except PowerDNSNotFound:
        return None
    try:
        have = await target.get_zone(zone)
    except PowerDNSNotFound:
        return ZoneCopy(zone, wanted, True, Plan())
    plan = Plan.between(
        state_from_rrsets(have.get("rrsets", [])),
        state_from_rrsets(wanted.get("rrsets", [])),
        ignore=MANAGED_TYPES,
    )
    return ZoneCopy(zone, wanted, False, plan)


async def apply_copy(source: PowerDNSClient, target: PowerDNSClient, copy: ZoneCopy) -> bool:
    """Create the zone on ``target`` from the source's copy, or apply the plan there; then,
    if the source signs it, its keys. True when keys were imported or changed."""
    if copy.create:
        create = CreateZone(zone=copy.zone, payload=snapshot_payload(copy.source_zone))
        try:
            await create.apply(target)
        except PowerDNSConflict:  # created meanwhile (a queued creation replayed): fill it
            await create.complete(target)
    elif copy.plan:
        await PatchRRsets(zone=copy.zone, rrsets=copy.plan.rrsets()).apply(target)
    if not copy.source_zone.get("dnssec"):
        return False
    return await copy_keys(source, target, copy.zone, copy.source_zone)


async def copy_keys(
    source: PowerDNSClient, target: PowerDNSClient, zone: str, source_zone: JSON
) -> bool:
    """Make ``target`` sign ``zone`` with exactly the source's keys (and NSEC or NSEC3 as the
    source does); True when something changed there."""
    keys = await export_keys(client=source, zone=zone)
    nsec3param = str(source_zone.get("nsec3param") or "")
    change = SyncZoneKeys(zone=zone, keys=keys, nsec3param=nsec3param)
    return (await change.apply(target)).changed
