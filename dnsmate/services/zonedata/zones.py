"""Zones: listing, detail, creation and deletion on every target, and record listing.

Record listing keeps a per-server copy of large zones, validated by the cheap serial check
(``GET /zones/{id}?rrsets=false``), because refetching a 100,000-record zone for every
page costs most of a second.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.name

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import absolute_name, display, fqdn
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.records import flatten_rrsets
from dnsmate.services.zonedata.validation import check_name_characters, check_plain_name

ZONE_KINDS = {
    "native": "Native",
    "master": "Master",
    "slave": "Slave",
    "primary": "Master",
    "secondary": "Slave",
    "producer": "Producer",
    "consumer": "Consumer",
}
# Kinds whose data comes from their masters by zone transfer (no name servers of their own).
TRANSFERRED_KINDS = ("Slave", "Consumer")
# RFC 9432: a catalog zone's NS record is "invalid." (a catalog is not for resolvers).
CATALOG_NS = "invalid."
# Zones with fewer RRsets than this are always read fresh; bigger ones use the cache.
CACHE_MIN_RRSETS = 1000


def validate_zone_name(name: str) -> str:
    """The zone's canonical name; InvalidInput for escapes, ``/``, bad syntax or the root."""
    check_plain_name(name)
    check_name_characters(name)
    zone = fqdn(name)
    try:
        parsed = dns.name.from_text(zone)
    except dns.exception.DNSException as exc:
        raise InvalidInput("name", f"invalid zone name {name!r}: {exc}") from exc
    if len(parsed.labels) < 2:
        raise InvalidInput("name", "the root zone cannot be managed")
    return zone


def validate_kind(kind: str) -> str:
    """PowerDNS's spelling of a zone kind (it would store an unknown kind as Native)."""
    try:
        return ZONE_KINDS[kind.strip().lower()]
    except KeyError as exc:
        raise InvalidInput(
            "kind",
            f"unknown zone kind {kind!r}; use Native, Master, Slave, Producer or Consumer",
        ) from exc


def build_zone_payload(
    *,
    name: str,
    kind: str,
    nameservers: list[str],
    masters: list[str],
    soa_edit_api: str = "DEFAULT",
) -> JSON:
    """Validate a zone creation request into the PowerDNS POST body."""
    zone = validate_zone_name(name)
    zone_kind = validate_kind(kind)
    servers = []
    for ns in nameservers:
        try:
            servers.append(dns.name.from_text(ns.strip(), origin=dns.name.root).to_text().lower())
        except dns.exception.DNSException as exc:
            raise InvalidInput("nameservers", f"invalid name server {ns!r}: {exc}") from exc
    if zone_kind == "Producer" and not servers:
        servers = [CATALOG_NS]
    if zone_kind in TRANSFERRED_KINDS:
        if not masters:
            raise InvalidInput("masters", f"a {zone_kind} zone needs at least one master address")
    elif not servers:
        raise InvalidInput("nameservers", "give at least one name server for the zone")
    if zone_kind == "Producer" and soa_edit_api == "DEFAULT":
        # PowerDNS 4.7 moves a catalog's serial to the current epoch time when its members
        # change, so it must start below that. DEFAULT's date serial (2026120501) is higher
        # until 2034: consumers ignored every change. EPOCH starts at the creation's second,
        # and a change within that second left the serial where it was: a consumer that had
        # transferred the catalog in it never saw the change. INCREASE starts at 1.
        soa_edit_api = "INCREASE"
    # Unsigned zones need no rectify; with it on, PowerDNS re-rectifies the whole zone after
    # every PATCH (37 ms per change in a 10,000-RRset zone instead of 2.4 ms).
    payload: JSON = {
        "name": zone,
        "kind": zone_kind,
        "nameservers": servers,
        "api_rectify": False,
        "soa_edit_api": soa_edit_api,
    }
    if masters:
        payload["masters"] = masters
    return payload


def snapshot_payload(zone: JSON) -> JSON:
    """A PowerDNS POST body that recreates ``zone`` (a full GET answer) with all its RRsets.

    Used to undo a zone deletion and to create a zone missing on some servers from a copy.
    DNSSEC keys and metadata are not part of the copy.
    """
    payload: JSON = {
        "name": zone["name"],
        "kind": zone.get("kind", "Native"),
        "nameservers": [],  # the NS RRset is among the rrsets
        "api_rectify": zone.get("api_rectify", False),
        "soa_edit_api": zone.get("soa_edit_api") or "DEFAULT",
        "rrsets": [
            {
                "name": rrset["name"],
                "type": rrset["type"],
                "ttl": rrset["ttl"],
                "records": [
                    {"content": r["content"], "disabled": bool(r.get("disabled", False))}
                    for r in rrset["records"]
                ],
            }
            for rrset in zone.get("rrsets", [])
            if rrset.get("records")
        ],
    }
    if zone.get("masters"):
        payload["masters"] = zone["masters"]
    if zone.get("account"):
        payload["account"] = zone["account"]
    return payload


def zone_summary(zone: JSON) -> dict[str, Any]:
    return {
        "name": display(zone["name"]),
        "kind": zone.get("kind"),
        "serial": zone.get("serial"),
        "dnssec": zone.get("dnssec", False),
        "account": zone.get("account", ""),
        "masters": zone.get("masters", []),
    }


async def list_zones(
    *,
    multi: MultiPowerDNSService,
    search: str | None,
    page: int,
    per_page: int,
    only: set[str] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """One page of zones from the read server, sorted by name, filtered by substring.

    ``only`` limits the list to these absolute zone names (a manager's grants).
    """
    zones = await multi.read(lambda c: c.list_zones(dnssec=True))
    if only is not None:
        zones = [z for z in zones if z["name"] in only]
    items = sorted((zone_summary(z) for z in zones), key=lambda z: z["name"])
    if search:
        needle = search.strip().lower().rstrip(".")
        items = [z for z in items if needle in z["name"]]
    start = (page - 1) * per_page
    return items[start : start + per_page], len(items)


async def read_zone(
    multi: MultiPowerDNSService,
    zone: str,
    *,
    rrset_name: str | None = None,
    rrset_type: str | None = None,
    disabled: bool = True,
) -> JSON:
    """``zone`` as the read server has it (``PowerDNSClient.get_zone``'s filters); NotFound
    when it does not exist."""
    name = fqdn(zone)
    try:
        return await multi.read(
            lambda c: c.get_zone(
                name, rrset_name=rrset_name, rrset_type=rrset_type, disabled=disabled
            )
        )
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(name)} not found") from exc


async def get_zone(*, multi: MultiPowerDNSService, zone: str) -> dict[str, Any]:
    """Zone metadata and its apex name servers, from the read server."""
    name = fqdn(zone)
    data = await read_zone(multi, name, rrset_name=name, disabled=False)
    summary = zone_summary(data)
    summary["nameservers"] = sorted(
        r["content"] for s in data.get("rrsets", []) if s["type"] == "NS" for r in s["records"]
    )
    summary["servers"] = multi.server_names
    # Only a one-zone read has it: PowerDNS 4.7.3's zone list leaves ``catalog`` empty.
    summary["catalog"] = display(data["catalog"]) if data.get("catalog") else ""
    return summary


@dataclass
class _CachedZone:
    serial: int
    records: list[dict[str, Any]]


class ZoneRecordCache:
    """Per-server copies of large zones' records, refetched only when the serial moves."""

    def __init__(self, max_zones: int = 16) -> None:
        self._entries: OrderedDict[tuple[str, str], _CachedZone] = OrderedDict()
        self._max = max_zones
        self._lock = asyncio.Lock()

    async def records(self, client: PowerDNSClient, zone: str) -> list[dict[str, Any]]:
        key = (client.api_url + "/" + client.server_id, fqdn(zone))
        cached = self._entries.get(key)
        if cached is not None:
            meta = await client.get_zone(zone, rrsets=False)
            if meta.get("serial") == cached.serial:
                self._entries.move_to_end(key)
                return cached.records
        data = await client.get_zone(zone)
        records = flatten_rrsets(data.get("rrsets", []))
        if len(data.get("rrsets", [])) >= CACHE_MIN_RRSETS:
            self._entries[key] = _CachedZone(int(data.get("serial", 0)), records)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        else:
            self._entries.pop(key, None)
        return records


async def list_records(
    *,
    multi: MultiPowerDNSService,
    cache: ZoneRecordCache,
    zone: str,
    name: str | None,
    rtype: str | None,
    search: str | None,
    page: int,
    per_page: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the zone's records, filtered by exact name, type and substring search."""
    zone_name = fqdn(zone)
    try:
        records = await multi.read(lambda c: cache.records(c, zone_name))
    except PowerDNSNotFound as exc:
        raise NotFound(f"Zone {display(zone_name)} not found") from exc
    if name:
        wanted = display(absolute_name(name, zone_name))
        records = [r for r in records if r["name"] == wanted]
    if rtype:
        records = [r for r in records if r["type"] == rtype.upper()]
    if search:
        needle = search.strip().lower()
        records = [r for r in records if needle in r["name"] or needle in r["content"].lower()]
    start = (page - 1) * per_page
    return records[start : start + per_page], len(records)
