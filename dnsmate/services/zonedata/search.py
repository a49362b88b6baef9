"""Global search across zone names, record names and record contents (PowerDNS search-data).

A plain term matches anywhere (``web`` is searched as ``*web*``); a term with ``*`` (any
run of characters) or ``?`` (one character) is a pattern matched against the whole value,
case-insensitively. Names end with a dot in PowerDNS, so a pattern not ending in ``*`` or
``.`` (``*.example.com``) also matches with the dot (one scan for ``pattern*``, narrowed).

PowerDNS caps ``max`` per object type and has no offset, so a page is cut from the first
``page * per_page + 1`` matches; the total is exact only when PowerDNS returned fewer than
it was asked for; pages are prefixes of search-data's order, so they fit together.
search-data cannot be limited to some zones: for a caller granted a few zones DNSMate reads
those zones (large ones through the serial-checked zone cache) and matches them locally,
sorted; with many grants it widens the search-data scan until the page is full.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.powerdns.names import display, fqdn, name_order
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.zones import ZoneRecordCache

OBJECT_TYPES = ("all", "zone", "record")
# The most matches fetched per object type for one request.
MAX_SCAN = 100_000
# Up to this many granted zones, search reads those zones instead of scanning search-data.
LOCAL_SCAN_ZONES = 25


@dataclass
class SearchPage:
    items: list[dict[str, Any]]
    total: int | None
    has_more: bool


def search_patterns(query: str) -> list[str]:
    """The search-data patterns for a user's query (one, or two with the trailing dot)."""
    term = query.strip()
    if not term:
        raise InvalidInput("q", "give a search term")
    if len(term) > 255:
        raise InvalidInput("q", "the search term is longer than 255 characters")
    if "*" not in term and "?" not in term:
        return [f"*{term}*"]
    if term.endswith(("*", ".")):
        return [term]
    return [term, term + "."]


def _zone_item(zone: str) -> dict[str, Any]:
    return {"object_type": "zone", "zone": display(zone), "name": display(zone), "type": None,
            "content": None, "ttl": None, "disabled": False}  # fmt: skip


def _public(item: JSON) -> dict[str, Any] | None:
    if item.get("object_type") == "zone":
        return _zone_item(item["name"])
    if item.get("object_type") == "record":
        return {"object_type": "record", "zone": display(item["zone"]),
                "name": display(item["name"]), "type": item["type"], "content": item["content"],
                "ttl": item.get("ttl"), "disabled": bool(item.get("disabled"))}  # fmt: skip
    return None  # comments


async def _fetch(
    multi: MultiPowerDNSService, patterns: list[str], limit: int, object_type: str
) -> tuple[list[JSON], bool]:
    """Items matching any of ``patterns``, and whether PowerDNS cut its answer short.

    Two patterns (``p`` and ``p.``) are sent as one scan for ``p*`` and narrowed here.
    """
    query = patterns[0] if len(patterns) == 1 else patterns[0] + "*"
    answer = await multi.read(lambda c: c.search_data(query, limit=limit, object_type=object_type))
    counts: dict[str, int] = {}
    for item in answer:
        kind = str(item.get("object_type"))
        counts[kind] = counts.get(kind, 0) + 1
    truncated = any(n >= limit for n in counts.values())
    if len(patterns) > 1:
        match = _matcher(patterns).fullmatch
        answer = [i for i in answer if match(i["name"]) or match(i.get("content") or "")]
    return answer, truncated


async def search(
    *,
    multi: MultiPowerDNSService,
    cache: ZoneRecordCache,
    query: str,
    page: int,
    per_page: int,
    object_type: str = "all",
    record_type: str | None = None,
    only: set[str] | None = None,
) -> SearchPage:
    """One page of zones and records matching ``query`` on the read server.

    ``only`` limits results to these absolute zone names (the caller's grants);
    ``record_type`` keeps records of that type (and no zones).
    """
    if object_type not in OBJECT_TYPES:
        raise InvalidInput("object_type", f"use one of {', '.join(OBJECT_TYPES)}")
    patterns = search_patterns(query)
    rtype = record_type.strip().upper() if record_type else None
    if rtype:
        object_type = "record"

    def keep(item: dict[str, Any]) -> bool:
        return rtype is None or item["type"] == rtype

    if only is not None and len(only) <= LOCAL_SCAN_ZONES:
        # search-data cannot be limited to some zones, and other zones' matches would crowd
        # the caller's out of its first rows: read the few granted zones instead.
        found = await _scan_zones(multi, cache, sorted(only), patterns, object_type)
        matches = sorted((m for m in found if keep(m)), key=_order)
        truncated = False
    else:
        wanted = page * per_page + 1
        limit = wanted
        while True:
            raw, truncated = await _fetch(multi, patterns, min(limit, MAX_SCAN), object_type)
            matches = [
                public
                for item in raw
                if (only is None or (item.get("zone") or item.get("name")) in only)
                and (public := _public(item)) is not None
                and keep(public)
            ]
            if len(matches) >= wanted or not truncated or limit >= MAX_SCAN:
                break
            limit *= 16
    start = (page - 1) * per_page
    has_more = len(matches) > page * per_page
    total = None if truncated else len(matches)
    return SearchPage(matches[start : start + per_page], total, has_more)


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    """Zones first, then by zone, name (labels from the right), type and content."""
    return (item["object_type"] != "zone", item["zone"], name_order(item["name"]),
            item["type"] or "", item["content"] or "")  # fmt: skip


def _matcher(patterns: list[str]) -> re.Pattern[str]:
    """search-data's matching, locally: ``*`` any run, ``?`` one character, no case."""
    alternatives = [
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
        for pattern in patterns
    ]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE | re.DOTALL)


async def _scan_zones(
    multi: MultiPowerDNSService,
    cache: ZoneRecordCache,
    zones: list[str],
    patterns: list[str],
    object_type: str,
) -> list[dict[str, Any]]:
    """Match ``patterns`` against the names and contents of ``zones`` (zones first)."""
    match = _matcher(patterns).fullmatch

    async def records(zone: str) -> list[dict[str, Any]]:
        try:
            return await multi.read(lambda c: cache.records(c, zone))
        except PowerDNSNotFound:
            return []  # granted, but not (or no longer) on the server

    found: list[dict[str, Any]] = []
    per_zone = await asyncio.gather(*(records(zone) for zone in zones))
    if object_type in ("all", "zone"):
        found += [
            _zone_item(zone)
            for zone, rows in zip(zones, per_zone, strict=True)
            if rows and match(zone)
        ]
    if object_type in ("all", "record"):
        for zone, rows in zip(zones, per_zone, strict=True):
            found += [
                {"object_type": "record", "zone": display(zone), **row}
                for row in rows
                if match(fqdn(row["name"])) or match(row["content"])
            ]
    return found
