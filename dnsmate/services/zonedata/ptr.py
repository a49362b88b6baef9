"""Automatic PTR records: the reverse-zone records that follow A and AAAA records.

When an A/AAAA record is added, changed or deleted with PTR upkeep on, the PTR for its
address (``10.2.0.192.in-addr.arpa. PTR www.example.com.``) is added to, moved within or
removed from the reverse zone DNSMate manages for that address: the longest zone under
``in-addr.arpa.``/``ip6.arpa.`` on the read server that contains the reverse name. Each
reverse zone gets one ``BulkRecords`` change through the write pipeline, so the PTRs reach
every target and are audited and versioned in that zone. An address without a managed
reverse zone, or in a reverse zone the user may not change, is reported in a note; the
forward change stands either way.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import dns.reversename
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.access import permissions
from dnsmate.services.errors import PermissionDenied
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata.bulk import BulkOp, BulkRecords
from dnsmate.services.zonedata.rrset import content_key

REVERSE_TREES = ("in-addr.arpa.", "ip6.arpa.")
ADDRESS_TYPES = ("A", "AAAA")
PTR_TTL = 3600


@dataclass(frozen=True)
class PtrEdit:
    """One PTR to add or remove: the address, the host it names, and the TTL to give it."""

    op: str  # "add" or "delete"
    address: str
    host: str
    ttl: int = PTR_TTL

    @property
    def reverse(self) -> str:
        return str(dns.reversename.from_address(self.address).to_text()).lower()


@dataclass
class PtrPlan:
    """The PTR edits grouped by reverse zone, and notes for those that cannot be made."""

    by_zone: dict[str, list[PtrEdit]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def changes(self) -> list[BulkRecords]:
        """One BulkRecords change per reverse zone."""
        return [
            BulkRecords(
                zone=zone,
                operations=tuple(
                    BulkOp(
                        row=i,
                        op=e.op,
                        name=e.reverse,
                        type="PTR",
                        content=fqdn(e.host),
                        ttl=e.ttl if e.op == "add" else None,
                    )
                    for i, e in enumerate(edits, start=1)
                ),
            )
            for zone, edits in sorted(self.by_zone.items())
        ]


def suggested_zone(address: str) -> str:
    """A reverse zone that would hold ``address``'s PTR: its /24, or its /48 for IPv6."""
    labels = str(dns.reversename.from_address(address).to_text()).split(".")
    keep = 3 if ipaddress.ip_address(address).version == 4 else 12
    return ".".join(labels[-(keep + 3) : -1])  # the kept labels, then in-addr/ip6 and arpa


def reverse_zone(name: str, zones: Iterable[str]) -> str | None:
    """The longest of ``zones`` that contains ``name`` (absolute names), or None."""
    inside = [z for z in zones if name == z or name.endswith("." + z)]
    return max(inside, key=len, default=None)


async def plan_ptrs(
    *, multi: MultiPowerDNSService, user: User, session: AsyncSession, edits: list[PtrEdit]
) -> PtrPlan:
    """Group ``edits`` by the reverse zone DNSMate manages for each address, with notes."""
    plan = PtrPlan()
    if not edits:
        return plan
    listed = await multi.read(lambda c: c.list_zones())
    zones = [z["name"] for z in listed if str(z["name"]).endswith(REVERSE_TREES)]
    writable: dict[str, bool] = {}  # once per reverse zone (a bulk change has thousands)
    for edit in edits:
        zone = reverse_zone(edit.reverse, zones)
        if zone is None:
            plan.notes.append(
                f"No PTR for {edit.address}: DNSMate manages no reverse zone containing "
                f"{display(edit.reverse)} (create {suggested_zone(edit.address)} to keep PTRs)"
            )
            continue
        if zone not in writable:
            writable[zone] = await _may_write(session, user, zone)
        if not writable[zone]:
            plan.notes.append(
                f"No PTR for {edit.address}: you may not change the reverse zone {display(zone)}"
            )
            continue
        plan.by_zone.setdefault(zone, []).append(edit)
    return plan


async def _may_write(session: AsyncSession, user: User, zone: str) -> bool:
    try:
        await permissions.check_zone(session=session, user=user, zone=zone, write=True)
    except PermissionDenied:
        return False
    return True


def outcome_edits(outcome: WriteOutcome) -> list[PtrEdit]:
    """The PTR edits that follow what a record change did to A/AAAA RRsets (as the first
    server that took it reports before and after)."""
    done = next((r.value for r in outcome.results if r.success and r.value), None)
    if done is None or not done.changed:
        return []
    edits: list[PtrEdit] = []
    after = {(r["name"], r["type"]): r for r in done.after}
    for old in done.before:
        if old["type"] not in ADDRESS_TYPES:
            continue
        new = after.get((old["name"], old["type"]), {"records": [], "ttl": PTR_TTL})
        was = {r["content"] for r in old.get("records", [])}
        now = {r["content"] for r in new.get("records", [])}
        host = display(old["name"])
        edits += [PtrEdit("delete", address, host) for address in sorted(was - now)]
        edits += [PtrEdit("add", address, host, new["ttl"]) for address in sorted(now - was)]
    return edits


async def follow(
    *, pipeline: WritePipeline, scope: WriteScope, outcome: WriteOutcome
) -> dict[str, Any]:
    """Keep the PTRs in step with ``outcome``'s A/AAAA changes: one change per reverse zone.

    Answers ``{"zones": [{"zone", "success_servers", "failed_servers"}], "notes": [...]}``.
    """
    return await _apply(pipeline=pipeline, scope=scope, edits=outcome_edits(outcome))


async def create_zone_ptrs(
    *, pipeline: WritePipeline, scope: WriteScope, zone: str
) -> dict[str, Any]:
    """Add the PTR of every enabled A/AAAA record of ``zone`` (as the read server has it)."""
    name = fqdn(zone)
    data = await scope.targets.read(lambda c: c.get_zone(name))
    edits = [
        PtrEdit("add", record["content"], display(rrset["name"]), int(rrset["ttl"]))
        for rrset in data.get("rrsets", [])
        if rrset["type"] in ADDRESS_TYPES
        for record in rrset["records"]
        if not record.get("disabled")
    ]
    return {"addresses": len(edits), **await _apply(pipeline=pipeline, scope=scope, edits=edits)}


async def _apply(
    *, pipeline: WritePipeline, scope: WriteScope, edits: list[PtrEdit]
) -> dict[str, Any]:
    user = scope.actor.user
    if user is None or not edits:
        return {"zones": [], "notes": []}
    plan = await plan_ptrs(multi=scope.targets, user=user, session=scope.session, edits=edits)
    done = []
    notes = list(plan.notes)
    for change in plan.changes():
        result = await pipeline.run(change, scope=scope)
        done.append(
            {
                "zone": display(change.zone),
                "success_servers": result.success_servers,
                "failed_servers": result.failed_servers,
            }
        )
        notes += _other_hosts(change, result)
    return {"zones": done, "notes": notes}


def _other_hosts(change: BulkRecords, result: WriteOutcome) -> list[str]:
    """Notes for the PTRs added beside a PTR naming another host, which upkeep never
    removes: the address then has two PTRs (as the first server that took it saw them)."""
    done = next((r.value for r in result.results if r.success and r.value), None)
    if done is None:
        return []
    added = {(op.name, content_key("PTR", op.content or "")) for op in change.operations
             if op.op == "add"}  # fmt: skip
    notes = []
    for rrset in done.before:
        name = fqdn(rrset["name"])
        if not any(n == name for n, _host in added):
            continue
        others = [r["content"] for r in rrset.get("records", [])
                  if (name, content_key("PTR", r["content"])) not in added]  # fmt: skip
        if others:
            notes.append(f"{display(name)} also has PTR {', '.join(sorted(others))} (another "
                         "host's, left in place: remove it if the address moved)")  # fmt: skip
    return notes
