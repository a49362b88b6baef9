"""Plans that make a zone equal to some content (an import or a rollback), and applying them.

A ``ZonePlan`` compares the reference server's current zone with the wanted content: a
``Plan`` of RRsets to add, change and (in ``replace`` mode) delete, with the context the
answer shows (mode, serial, notes). Applying it is one PatchRRsets change, so
every target computes and applies the same RRsets in one atomic PATCH (or, above
PowerDNS's 2 MB body limit, in chunks that are each atomic). A zone that does not exist
yet is created by one CreateZone that carries all of the wanted content.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import CreateZone, PatchRRsets
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.soa import add_initial_soa
from dnsmate.services.zonedata.soa import get_defaults as get_soa_defaults
from dnsmate.services.zonedata.zones import build_zone_payload
from dnsmate.services.zonedata.zonestate import (
    GENERATED_TYPES,
    MANAGED_TYPES,
    State,
    state_from_rrsets,
)

Mode = Literal["merge", "replace"]
# Plans list at most this many RRsets per kind; the counts are always complete.
PLAN_LIST_LIMIT = 1000


@dataclass
class ZonePlan:
    """What applying ``target`` to ``zone`` would do on the reference server."""

    zone: str
    mode: Mode
    exists: bool
    target: State
    changes: Plan
    serial: int | None = None
    notes: list[str] = field(default_factory=list)

    def public(self, *, comments: bool = False) -> dict[str, Any]:
        """The API form; ``comments`` shows the RRsets' comments where known (rollback)."""
        return {
            "zone": display(self.zone),
            "mode": self.mode,
            "zone_exists": self.exists,
            "serial": self.serial,
            "notes": self.notes,
            "plan": self.changes.public(limit=PLAN_LIST_LIMIT, comments=comments),
        }


async def read_zone_state(*, multi: MultiPowerDNSService, zone: str) -> tuple[State, int] | None:
    """The reference server's content and serial of ``zone``, or None when it has no such zone."""
    try:
        data = await multi.read(lambda c: c.get_zone(fqdn(zone)))
    except PowerDNSNotFound:
        return None
    # A zone of 100,000 RRsets takes a while to convert: off the event loop.
    state = await asyncio.to_thread(state_from_rrsets, data.get("rrsets", []))
    return state, int(data.get("serial") or 0)


async def make_plan(
    *,
    multi: MultiPowerDNSService,
    zone: str,
    target: State,
    mode: Mode,
    notes: list[str] | None = None,
) -> ZonePlan:
    """Compare ``target`` with the zone on the reference server (SOA and DNSSEC data aside)."""
    name = fqdn(zone)
    found = await read_zone_state(multi=multi, zone=name)
    current, serial = found if found is not None else ({}, None)
    changes = await asyncio.to_thread(
        lambda: Plan.between(
            current, target, deletes=mode == "replace", ignore=MANAGED_TYPES | GENERATED_TYPES
        )
    )
    return ZonePlan(name, mode, found is not None, target, changes, serial, list(notes or []))


def check_serial(plan: ZonePlan, expected: int | None) -> None:
    """Refuse to apply a plan made against a zone that has changed since (lost update)."""
    if expected is not None and plan.serial != expected:
        raise InvalidInput(
            "expect_serial",
            f"the zone changed since the plan was made (serial {plan.serial}, expected "
            f"{expected}); review the new plan",
        )


def create_change(plan: ZonePlan, *, soa_defaults: dict[str, Any]) -> CreateZone:
    """The one CreateZone that makes a zone which does not exist yet with all of the plan's
    RRsets (its apex NS among them, with its own TTL: PowerDNS refuses a ``nameservers`` list
    beside an apex NS RRset) and an SOA from the SOA defaults (a zone file's SOA is never
    imported)."""
    apex_ns = plan.target.get((plan.zone, "NS"))
    if apex_ns is None:
        raise InvalidInput(
            "file", f"{display(plan.zone)} does not exist and the content has no NS records "
            "at the apex to create it with"
        )  # fmt: skip
    payload = build_zone_payload(
        name=plan.zone, kind="Native", nameservers=apex_ns.contents, masters=[]
    )
    payload = {**payload, "nameservers": [], "rrsets": list(plan.changes.rrsets())}
    return CreateZone(zone=plan.zone, payload=add_initial_soa(payload, layers=[soa_defaults]))


@dataclass
class Applied:
    """The outcome of applying a plan: one change, the zone's creation when it did not exist."""

    result: WriteOutcome
    created: bool = False

    def public(self) -> JSON:
        patches = {r.server: r.value.patches for r in self.result.results if r.value}
        chunked = any(n > 1 for n in patches.values())
        body: JSON = {"created": self.created, "atomic": not chunked,
                      "patches": patches}  # fmt: skip
        if chunked:
            body["atomicity"] = (
                "The change was too large for one PowerDNS request and was sent in several "
                "PATCHes per server; each PATCH is atomic on its own, not the whole change."
            )
        return body


async def apply_plan(*, plan: ZonePlan, pipeline: WritePipeline, scope: WriteScope) -> Applied:
    """Apply the plan as one change: a CreateZone with every RRset when the zone does not
    exist, a PatchRRsets otherwise."""
    if not plan.exists:
        defaults = await get_soa_defaults(session=scope.session)
        creation = create_change(plan, soa_defaults=defaults)
        return Applied(await pipeline.run(creation, scope=scope), created=True)
    change = PatchRRsets(zone=plan.zone, rrsets=plan.changes.rrsets())
    return Applied(await pipeline.run(change, scope=scope))
