"""Catalog zones (PowerDNS 4.7+, RFC 9432): a Producer zone lists member zones, and a
Consumer zone on a secondary server transfers that list and provisions every member as a
Slave zone of the producer's server.

Membership is the member zone's ``catalog`` field, set on every target by
``dnsmate.services.write.zone_changes.UpdateZoneSettings`` like the other zone settings.
PowerDNS 4.7.3 accepts any name there (a zone that does not exist, the zone itself) and
publishes only Master zones in a catalog, so the choice is checked here, on the read server,
before any server is contacted; each server checks again that it has the producer.

PowerDNS 4.7.3's zone list leaves ``catalog`` empty (only a one-zone read fills it), so a
catalog's members are found by reading each Master zone once (``MEMBER_READS`` at a time):
6.4 s for 1,000 Master zones on the 2-core test machine at load 7.
"""

from __future__ import annotations

import asyncio
from typing import Any

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import Conflict, InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.zones import validate_zone_name

PRODUCER = "Producer"
# The only kind PowerDNS 4.7 publishes in a catalog.
MEMBER_KIND = "Master"
# Zones read at once while looking for a catalog's members (PowerDNS's listen backlog is 10).
MEMBER_READS = 8


def catalog_name(value: str) -> str:
    """The catalog's canonical name, or "" (no catalog); InvalidInput names ``catalog``."""
    if not value.strip():
        return ""
    try:
        return validate_zone_name(value.strip())
    except InvalidInput as exc:
        raise InvalidInput("catalog", exc.reason) from exc


async def _zone_kind(multi: MultiPowerDNSService, zone: str) -> str | None:
    """The zone's kind on the read server, None when it has no such zone."""
    try:
        data = await multi.read(lambda c: c.get_zone(zone, rrsets=False))
    except PowerDNSNotFound:
        return None
    return str(data.get("kind") or "")


async def check_membership(
    *, multi: MultiPowerDNSService, zone: str, catalog: str, kind: str | None
) -> str:
    """The ``catalog`` to give ``zone`` ("" takes it out of its catalog), checked: an existing
    Producer zone other than ``zone``, and ``zone`` of kind Master (``kind``: the kind the
    same request sets; None reads the zone's own)."""
    name = catalog_name(catalog)
    if not name:
        return ""
    member = fqdn(zone)
    if name == member:
        raise InvalidInput("catalog", "a zone cannot be a member of itself")
    producer_kind = await _zone_kind(multi, name)
    if producer_kind is None:
        raise InvalidInput(
            "catalog", f"there is no zone {display(name)}: create it with kind Producer first"
        )
    if producer_kind != PRODUCER:
        raise InvalidInput(
            "catalog", f"{display(name)} is a {producer_kind} zone, not a Producer (catalog) zone"
        )
    member_kind = kind if kind is not None else await _zone_kind(multi, member)
    if member_kind is not None and member_kind != MEMBER_KIND:
        raise InvalidInput(
            "catalog",
            f"{display(member)} is a {member_kind} zone; PowerDNS lists only Master zones in a "
            "catalog: set its kind to Master as well",
        )
    return name


async def check_kind_change(*, multi: MultiPowerDNSService, zone: str, kind: str) -> None:
    """Refuse turning a member (a Master zone in a catalog) into ``kind``: PowerDNS would
    keep its catalog and silently stop listing it. A zone that is not a Master member (a
    consumer's Slave zones carry their catalog too) may change."""
    try:
        data = await multi.read(lambda c: c.get_zone(zone, rrsets=False))
    except PowerDNSNotFound:
        return  # the write answers that
    if data.get("kind") == MEMBER_KIND and data.get("catalog"):
        raise InvalidInput(
            "kind",
            f"{display(zone)} is a member of the catalog {display(data['catalog'])}, which "
            f'lists only Master zones: take it out of the catalog (catalog "") in the same '
            "request, or keep the kind Master",
        )


async def has_producer(client: PowerDNSClient, catalog: str) -> bool:
    """Whether this server has ``catalog`` as a Producer zone."""
    try:
        data = await client.get_zone(catalog, rrsets=False)
    except PowerDNSNotFound:
        return False
    return data.get("kind") == PRODUCER


async def list_members(
    *, multi: MultiPowerDNSService, catalog: str, only: set[str] | None
) -> dict[str, Any]:
    """The Producer zone ``catalog`` and its member zones on the read server (``only``: the
    zones the caller may read; None: all), sorted by name."""
    name = fqdn(catalog)

    async def read(client: PowerDNSClient) -> dict[str, Any]:
        producer = await client.get_zone(name, rrsets=False)
        if producer.get("kind") != PRODUCER:
            raise InvalidInput(
                "zone", f"{display(name)} is a {producer.get('kind')} zone, not a Producer"
            )
        zones = await client.list_zones()
        candidates = [
            z["name"]
            for z in zones
            if z.get("kind") == MEMBER_KIND and (only is None or fqdn(z["name"]) in only)
        ]
        limit = asyncio.Semaphore(MEMBER_READS)

        async def one(zone: str) -> JSON | None:
            async with limit:
                try:
                    return await client.get_zone(zone, rrsets=False)
                except PowerDNSNotFound:  # deleted meanwhile
                    return None

        found = await asyncio.gather(*(one(z) for z in candidates))
        members = sorted(
            display(z["name"])
            for z in found
            if z is not None and fqdn(z.get("catalog") or "") == name
        )
        return {"catalog": display(name), "members": members, "count": len(members)}

    try:
        return await multi.read(read)
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found") from exc


async def check_deletable(*, multi: MultiPowerDNSService, zone: str) -> None:
    """Refuse deleting a Producer zone that still has members: PowerDNS 4.7.3 deletes it
    and leaves every member's ``catalog`` naming the missing zone."""
    try:
        kind = (await multi.read(lambda c: c.get_zone(zone, rrsets=False))).get("kind")
    except PowerDNSNotFound:
        return  # the deletion answers that
    if kind != PRODUCER:
        return
    members = (await list_members(multi=multi, catalog=zone, only=None))["members"]
    if members:
        shown = ", ".join(members[:5]) + (
            f" and {len(members) - 5} more" if len(members) > 5 else ""
        )
        raise Conflict(
            f"{display(zone)} is the catalog of {shown}: take them out of it first (catalog "
            '"" in their settings), then delete it'
        )
