"""Records: validated input, RRset helpers, and the public (flattened) form.

The changes themselves (add, update, delete) live in ``dnsmate.services.write.changes``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.names import display, name_order
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.validation import (
    normalize_content,
    normalize_name,
    normalize_ttl,
    normalize_type,
)


@dataclass(frozen=True)
class Record:
    """One validated record: absolute name, upper-case type, canonical content."""

    name: str
    type: str
    content: str
    ttl: int

    def public(self) -> dict[str, Any]:
        return {
            "name": display(self.name),
            "type": self.type,
            "content": self.content,
            "ttl": self.ttl,
        }


def build_record(*, zone: str, name: str, rtype: str, content: str, ttl: int) -> Record:
    """Validate user input into a Record (raises InvalidInput naming the field)."""
    record_type = normalize_type(rtype)
    return Record(
        name=normalize_name(name, zone),
        type=record_type,
        content=normalize_content(record_type, content),
        ttl=normalize_ttl(ttl),
    )


def rrset_types(zone_data: JSON) -> set[str]:
    """The record types present in a zone answer (e.g. the RRsets at one name)."""
    return {str(r["type"]) for r in zone_data.get("rrsets", [])}


def find_rrset(zone_data: JSON, name: str, rtype: str) -> JSON | None:
    """The RRset ``(name, type)`` in a zone answer, or None."""
    return next(
        (r for r in zone_data.get("rrsets", []) if r["name"] == name and r["type"] == rtype), None
    )


# Up to this many names, a change reads the RRsets at each name (concurrently; PowerDNS's
# listen backlog is 10) instead of the whole zone: 8 small GETs cost a few milliseconds,
# a zone of 100,000 RRsets takes 0.7 s to send and as long again to decode.
NAME_READS_MAX = 8


async def current_rrsets(
    client: PowerDNSClient, zone: str, names: Collection[str]
) -> dict[tuple[str, str], JSON]:
    """The server's RRsets of ``zone`` at ``names`` (at least), keyed by (name, type).

    Every type at each name is included, so a caller can check the CNAME rule. Call with
    the client's write lock held when the result decides a write.
    """
    if not names or len(names) > NAME_READS_MAX:  # no names: still fail if the zone is gone
        answers = [await client.get_zone(zone)]
    else:
        answers = await asyncio.gather(*(client.get_zone(zone, rrset_name=n) for n in names))
    return {(r["name"], r["type"]): r for answer in answers for r in answer.get("rrsets", [])}


def replace_rrset(
    name: str, rtype: str, ttl: int, records: list[JSON], *, comments: list[JSON] | None = None
) -> JSON:
    """A PATCH entry setting RRset ``(name, type)`` to exactly ``records``.

    ``comments`` None leaves the RRset's comments as they are (PowerDNS keeps them).
    """
    entry: JSON = {
        "name": name,
        "type": rtype,
        "ttl": ttl,
        "changetype": "REPLACE",
        "records": [
            {"content": r["content"], "disabled": bool(r.get("disabled", False))} for r in records
        ],
    }
    if comments is not None:
        entry["comments"] = comments
    return entry


# PowerDNS refuses request bodies above 2 MB (webserver-max-bodysize); one RRset is about
# 185 bytes of JSON, so 10,000 RRsets or 1.5 MB leaves a margin.
MAX_PATCH_RRSETS = 10_000
MAX_PATCH_BYTES = 1_500_000


def rrset_size(name: str, contents: Iterable[str]) -> int:
    """An estimate of one RRset's size in a PATCH body; exact sizing would serialise twice."""
    return 80 + len(name) + sum(40 + len(content) for content in contents)


def check_fits_one_patch(name: str, rtype: str, contents: Iterable[str]) -> None:
    """Raise InvalidInput when one RRset alone is too big for a PowerDNS request.

    Changes are split into PATCHes below the limit, but one RRset cannot be split: sent
    anyway, PowerDNS would cut the connection and every retry would fail the same way.
    """
    size = rrset_size(name, contents)
    if size > MAX_PATCH_BYTES:
        raise InvalidInput(
            "content",
            f"the RRset {display(name)} {rtype} would be about {size} bytes in one PowerDNS "
            f"request; PowerDNS accepts request bodies up to 2 MB (webserver-max-bodysize) and "
            f"DNSMate sends at most {MAX_PATCH_BYTES} bytes of RRsets per request, and one "
            "RRset cannot be split",
        )


def chunk_patch(changes: list[JSON]) -> list[list[JSON]]:
    """Split PATCH entries into chunks below PowerDNS's body limit, keeping their order."""
    chunks: list[list[JSON]] = []
    size = 0
    for change in changes:
        records = change.get("records", [])
        if len(records) == 1:  # rrset_size of the usual RRset, without a generator
            entry = 120 + len(change["name"]) + len(records[0]["content"])
        else:
            entry = rrset_size(change["name"], (r["content"] for r in records))
        if not chunks or len(chunks[-1]) >= MAX_PATCH_RRSETS or size + entry > MAX_PATCH_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(change)
        size += entry
    return chunks


def flatten_rrsets(rrsets: list[JSON]) -> list[dict[str, Any]]:
    """PowerDNS RRsets as a sorted list of single records in the API's public form."""
    items = [
        {
            "name": display(rrset["name"]),
            "type": rrset["type"],
            "content": record["content"],
            "ttl": rrset["ttl"],
            "disabled": record.get("disabled", False),
            "comments": rrset.get("comments") or [],
        }
        for rrset in rrsets
        for record in rrset.get("records", [])
    ]
    items.sort(key=lambda r: (name_order(r["name"]), r["type"], r["content"]))
    return items
