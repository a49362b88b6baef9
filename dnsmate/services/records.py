"""Record-level changes, applied as deltas to each server's own current RRset.

Each server gets: read its RRset, compute the new record list, PATCH REPLACE (or DELETE
when empty), all under that server's write lock. An RRset built from another server's data
is never sent, and adding a record never drops its siblings. Adding a present record or
deleting an absent one succeeds without change, so retries and replays are safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSRejected, RecordConflict
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.multi_powerdns import (
    MultiPowerDNSResult,
    MultiPowerDNSService,
    is_unavailable,
)
from dnsmate.services.validation import (
    check_rrset_coexistence,
    content_key,
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


async def add_record(
    *, multi: MultiPowerDNSService, zone: str, record: Record
) -> MultiPowerDNSResult[bool]:
    """Add ``record`` to its RRset on every target; the value per server is "changed".

    The CNAME-and-other-data rule is checked first on the read server (a clear 422 before
    any write) and again on each server against its own data.
    """
    zone = fqdn(zone)
    try:
        at_name = await multi.read(lambda c: c.get_zone(zone, rrset_name=record.name))
    except PowerDNSError as exc:
        if not is_unavailable(exc):
            raise
    else:
        check_rrset_coexistence(display(record.name), record.type, _types(at_name))

    async def apply(client: PowerDNSClient) -> bool:
        async with client.write_lock:
            at_name = await client.get_zone(zone, rrset_name=record.name)
            try:
                check_rrset_coexistence(display(record.name), record.type, _types(at_name))
            except InvalidInput as exc:
                raise PowerDNSRejected(exc.reason) from exc
            rrset = _find(at_name, record.name, record.type)
            records = rrset["records"] if rrset else []
            keys = {content_key(record.type, r["content"]) for r in records}
            present = content_key(record.type, record.content) in keys
            if present and rrset and rrset["ttl"] == record.ttl:
                return False
            if not present:
                records = [*records, {"content": record.content, "disabled": False}]
            change = _replace(record.name, record.type, record.ttl, records)
            await client.patch_rrsets(zone, [change])
            return True

    return await multi.execute(apply)


def _types(zone_data: JSON) -> set[str]:
    return {str(r["type"]) for r in zone_data.get("rrsets", [])}


def _find(zone_data: JSON, name: str, rtype: str) -> JSON | None:
    return next(
        (r for r in zone_data.get("rrsets", []) if r["name"] == name and r["type"] == rtype), None
    )


async def update_record(
    *,
    multi: MultiPowerDNSService,
    zone: str,
    old_content: str,
    record: Record,
    keep_ttl: bool,
) -> MultiPowerDNSResult[bool]:
    """Replace ``old_content`` with ``record.content`` in each server's RRset.

    A server where ``old_content`` is gone (and the new content is not already there)
    fails with RecordConflict: someone else changed the record, and overwriting their
    change silently would lose it.
    """
    zone = fqdn(zone)
    try:
        old_key = content_key(record.type, normalize_content(record.type, old_content))
    except InvalidInput as exc:
        raise InvalidInput("old_content", exc.reason) from exc
    new_key = content_key(record.type, record.content)

    async def apply(client: PowerDNSClient) -> bool:
        async with client.write_lock:
            rrset = await client.get_rrset(zone, record.name, record.type)
            records: list[JSON] = rrset["records"] if rrset else []
            keys = [content_key(record.type, r["content"]) for r in records]
            ttl = rrset["ttl"] if rrset and keep_ttl else record.ttl
            if old_key not in keys:
                if new_key in keys and rrset and rrset["ttl"] == ttl:
                    return False  # already applied (a retry)
                if new_key not in keys:
                    raise RecordConflict(
                        f"Record {old_content!r} no longer exists (changed by someone else)"
                    )
            updated = [r for r, k in zip(records, keys, strict=True) if k not in (old_key, new_key)]
            disabled = next(
                (r["disabled"] for r, k in zip(records, keys, strict=True) if k == old_key), False
            )
            updated.append({"content": record.content, "disabled": disabled})
            await client.patch_rrsets(zone, [_replace(record.name, record.type, ttl, updated)])
            return True

    return await multi.execute(apply)


async def delete_records(
    *, multi: MultiPowerDNSService, zone: str, name: str, rtype: str, content: str | None
) -> MultiPowerDNSResult[bool]:
    """Remove one record (``content``) or, without content, the whole RRset, everywhere."""
    zone = fqdn(zone)
    record_type = normalize_type(rtype)
    if record_type == "SOA":
        raise InvalidInput("type", "the SOA record cannot be deleted; delete the zone instead")
    absolute = normalize_name(name, zone)
    key = (
        None
        if content is None
        else content_key(record_type, normalize_content(record_type, content))
    )

    async def apply(client: PowerDNSClient) -> bool:
        async with client.write_lock:
            rrset = await client.get_rrset(zone, absolute, record_type)
            if rrset is None:
                return False
            kept = (
                []
                if key is None
                else [r for r in rrset["records"] if content_key(record_type, r["content"]) != key]
            )
            if len(kept) == len(rrset["records"]):
                return False
            change = (
                _replace(absolute, record_type, rrset["ttl"], kept)
                if kept
                else {"name": absolute, "type": record_type, "changetype": "DELETE"}
            )
            await client.patch_rrsets(zone, [change])
            return True

    return await multi.execute(apply)


def _replace(name: str, rtype: str, ttl: int, records: list[JSON]) -> JSON:
    return {
        "name": name,
        "type": rtype,
        "ttl": ttl,
        "changetype": "REPLACE",
        "records": [
            {"content": r["content"], "disabled": bool(r.get("disabled", False))} for r in records
        ],
    }


def flatten_rrsets(rrsets: list[JSON]) -> list[dict[str, Any]]:
    """PowerDNS RRsets as a sorted list of single records in the API's public form."""
    items = [
        {
            "name": display(rrset["name"]),
            "type": rrset["type"],
            "content": record["content"],
            "ttl": rrset["ttl"],
            "disabled": record.get("disabled", False),
        }
        for rrset in rrsets
        for record in rrset.get("records", [])
    ]
    items.sort(key=lambda r: (_sort_name(r["name"]), r["type"], r["content"]))
    return items


def _sort_name(name: str) -> tuple[str, ...]:
    """Sort by labels from the right, so a zone's apex comes first and subdomains group."""
    return tuple(reversed(name.split(".")))
