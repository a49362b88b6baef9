"""Change objects: server-independent, applied idempotently per server, each with its undo.

A change describes what the user asked for (add this record, delete that zone), never a
server's data. ``apply(client)`` turns it into a delta against THAT server's current state,
under the server's write lock: read the RRset, compute the new record list, PATCH. Applying
a change twice leaves the server as applying it once, so the retry queue can replay it.

Each ``apply`` returns a ``ServerChange``: whether anything changed and the RRsets as they
were before, so ``undo(done)`` can build the change that restores them (rollback) and the
record step can store them (audit, versions). Every class is listed in
``dnsmate.services.write.registry`` (storage by name); ``dnsmate.services.write.pipeline``
runs them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import (
    InvalidForZone,
    PowerDNSError,
    PowerDNSNotFound,
    RecordConflict,
)
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.records import DEFAULT_TTL
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.coalesce import apply_edit
from dnsmate.services.zonedata.records import (
    Record,
    build_record,
    chunk_patch,
    current_rrsets,
    find_rrset,
    replace_rrset,
    rrset_types,
)
from dnsmate.services.zonedata.rrset import RRset, content_key
from dnsmate.services.zonedata.validation import (
    check_rrset_coexistence,
    normalize_content,
    normalize_name,
    normalize_type,
)
from dnsmate.services.zonedata.zones import snapshot_payload


class NotReversible(Exception):
    """DNSMate cannot compute the inverse of this kind of change (DNSSEC, zone metadata)."""


@dataclass
class ServerChange:
    """What one server did: ``changed`` and the touched RRsets as they were before.

    ``before`` holds PowerDNS RRset dicts; an RRset with no records did not exist.
    ``after`` holds the same RRsets as this server now has them (what the change set), so
    versions can store the delta. ``zone_before`` is the whole zone (for a deleted zone) or
    None. ``patches`` counts the PATCH requests sent: more than one means a large change was
    split into chunks, each atomic on its own. ``answer`` is what the server answered to an
    action whose answer a route passes on (the PowerDNS-compatible axfr-retrieve).
    """

    changed: bool
    before: list[JSON] = field(default_factory=list)
    zone_before: JSON | None = None
    after: list[JSON] = field(default_factory=list)
    patches: int = 0
    answer: JSON | None = None
    # The version delta of ``before`` -> ``after`` and its stored form, being worked out
    # already (``version_recorder.prepare``); None: the record step works it out.
    versioned: asyncio.Future[Any] | None = field(default=None, compare=False, repr=False)


class Change(Protocol):
    """What the write pipeline needs from a change object: a frozen dataclass with these members.

    The classes here, ``BulkRecords``, ``UpdateZone`` and the DNSSEC changes implement it;
    ``registry.CHANGE_TYPES`` lists them all. A class that holds secrets (private keys)
    defines ``to_json``/``from_json`` to leave them out of storage.
    """

    __dataclass_fields__: ClassVar[dict[str, Any]]
    action: ClassVar[str]
    verb: ClassVar[str]
    noun: ClassVar[str]

    @property
    def zone(self) -> str: ...

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        """Apply on one server (idempotent) and say what that server had before."""

    def undo(self, done: ServerChange) -> Change | None:
        """The change restoring a server on which ``apply`` returned ``done`` (which changed
        something); None when there is nothing to restore. Raises NotReversible."""


class RestoresRRsets:
    """For changes that touch RRsets: the undo sets them back to what they were."""

    zone: str

    def undo(self, done: ServerChange) -> Change | None:
        """A PatchRRsets to the RRsets as ``done`` found them."""
        return PatchRRsets(zone=self.zone, rrsets=tuple(done.before))


class Irreversible:
    """For changes without a known inverse (DNSSEC keys, zone metadata)."""

    action: ClassVar[str]

    def undo(self, done: ServerChange) -> Change | None:
        """Always raises NotReversible: the rollback reports the server as not restored."""
        raise NotReversible(f"{self.action} cannot be rolled back automatically")


async def read_rrset(client: PowerDNSClient, zone: str, name: str, rtype: str) -> JSON | None:
    """The RRset ``(name, type)`` a write plans from (every record, disabled ones too), or
    None when the zone has none (PowerDNSNotFound when the zone is missing)."""
    return next(iter(await client.read_name(zone, name, rtype)), None)


def _absent(name: str, rtype: str) -> JSON:
    return {"name": name, "type": rtype, "ttl": 0, "records": []}


@dataclass(frozen=True)
class AddRecord(RestoresRRsets):
    """Add one record to its RRset; siblings stay; an existing record is left alone.

    The CNAME-and-other-data rule is checked on each server against its own data; every
    server refusing maps to 422. With ``keep_ttl`` an existing RRset keeps its TTL (the TTL
    belongs to the whole RRset: adding a record must not change its siblings').
    """

    zone: str
    record: Record
    keep_ttl: bool = False
    action: ClassVar[str] = "record.create"
    verb: ClassVar[str] = "create"
    noun: ClassVar[str] = "Record"

    @property
    def name(self) -> str:
        return self.record.name

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return await apply_edit(client, self.zone, self)

    async def read(self, client: PowerDNSClient) -> JSON:
        """Every RRset at the name (the CNAME rule looks at all of them); a missing zone
        shows as an empty name, which the PATCH then answers with 404."""
        return {"rrsets": await client.read_name(self.zone, self.record.name, absent_ok=True)}

    def plan(self, data: JSON) -> tuple[JSON | None, ServerChange]:
        record = self.record
        try:
            check_rrset_coexistence(display(record.name), record.type, rrset_types(data))
        except InvalidInput as exc:
            raise InvalidForZone(exc.reason, field=exc.field) from exc
        rrset = find_rrset(data, record.name, record.type)
        before = rrset or _absent(record.name, record.type)
        records = list(before["records"])
        ttl = before["ttl"] if rrset and self.keep_ttl else record.ttl
        present = content_key(record.type, record.content) in {
            content_key(record.type, r["content"]) for r in records
        }
        if present and before["ttl"] == ttl:
            return None, ServerChange(False, [before], after=[before])
        if not present:
            records.append({"content": record.content, "disabled": False})
        return one_entry(before, replace_rrset(record.name, record.type, ttl, records))


@dataclass(frozen=True)
class UpdateRecord(RestoresRRsets):
    """Replace ``old_content`` with the record's content; RecordConflict if it is gone."""

    zone: str
    old_content: str
    record: Record
    keep_ttl: bool = False
    action: ClassVar[str] = "record.update"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Record"

    @property
    def name(self) -> str:
        return self.record.name

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return await apply_edit(client, self.zone, self)

    async def read(self, client: PowerDNSClient) -> JSON | None:
        return await read_rrset(client, self.zone, self.record.name, self.record.type)

    def plan(self, data: JSON | None) -> tuple[JSON | None, ServerChange]:
        record = self.record
        old_key = content_key(record.type, self.old_content)
        new_key = content_key(record.type, record.content)
        before = data or _absent(record.name, record.type)
        records: list[JSON] = before["records"]
        keys = [content_key(record.type, r["content"]) for r in records]
        ttl = before["ttl"] if data and self.keep_ttl else record.ttl
        if old_key not in keys:
            if new_key in keys and before["ttl"] == ttl:
                return None, ServerChange(False, [before], after=[before])  # a replay
            if new_key not in keys:
                raise RecordConflict(
                    f"Record {self.old_content!r} no longer exists (changed by someone else)"
                )
        pairs = list(zip(records, keys, strict=True))
        disabled = next((r["disabled"] for r, k in pairs if k == old_key), False)
        updated = [r for r, k in pairs if k not in (old_key, new_key)]
        updated.append({"content": record.content, "disabled": disabled})
        return one_entry(before, replace_rrset(record.name, record.type, ttl, updated))


@dataclass(frozen=True)
class DeleteRecords(RestoresRRsets):
    """Remove one record (``content``) or, when ``content`` is None, the whole RRset."""

    zone: str
    name: str
    type: str
    content: str | None = None
    action: ClassVar[str] = "record.delete"
    verb: ClassVar[str] = "delete"
    noun: ClassVar[str] = "Record"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return await apply_edit(client, self.zone, self)

    async def read(self, client: PowerDNSClient) -> JSON | None:
        return await read_rrset(client, self.zone, self.name, self.type)

    def plan(self, data: JSON | None) -> tuple[JSON | None, ServerChange]:
        if data is None:
            absent = _absent(self.name, self.type)
            return None, ServerChange(False, [absent], after=[absent])
        key = None if self.content is None else content_key(self.type, self.content)
        kept = [
            r
            for r in data["records"]
            if key is not None and content_key(self.type, r["content"]) != key
        ]
        if len(kept) == len(data["records"]):
            return None, ServerChange(False, [data], after=[data])
        change = (
            replace_rrset(self.name, self.type, data["ttl"], kept)
            if kept
            else {"name": self.name, "type": self.type, "changetype": "DELETE"}
        )
        return one_entry(data, change)


@dataclass(frozen=True)
class PatchRRsets(RestoresRRsets):
    """Set whole RRsets to exact contents in one atomic PATCH (import, bulk, rollback).

    ``rrsets`` are PowerDNS RRset dicts; one with no records means "delete this RRset", one
    without a ``records`` key sets the RRset's ``comments`` only.
    Unchanged RRsets are left out of the PATCH; nothing to change means no PATCH at all.
    """

    zone: str
    rrsets: tuple[JSON, ...]
    action: ClassVar[str] = "zone.patch"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            names = {wanted["name"] for wanted in self.rrsets}
            existing = await current_rrsets(client, self.zone, names)
            return await write_rrsets(client, self.zone, self.rrsets, existing)


async def write_rrsets(
    client: PowerDNSClient,
    zone: str,
    rrsets: Iterable[JSON],
    existing: dict[tuple[str, str], JSON],
) -> ServerChange:
    """Set ``rrsets`` (PowerDNS RRset dicts, no records: delete, no ``records`` key: set the
    comments only) on one server whose RRsets
    at those names are ``existing`` (``current_rrsets``, read under the write lock the
    caller still holds); unchanged RRsets are left out, nothing to change sends nothing."""
    before, after, changes = [], [], []
    for wanted in rrsets:
        old = existing.get((wanted["name"], wanted["type"]))
        before.append(old or _absent(wanted["name"], wanted["type"]))
        if "records" not in wanted:  # comments only: the records stay
            if old is not None and _same_rrset(old, {**old, **wanted}):
                after.append(before[-1])
                continue
            changes.append({**wanted, "changetype": "REPLACE"})
            after.append({**before[-1], "comments": wanted["comments"]})
            continue
        if _same_rrset(old, wanted):
            after.append(before[-1])
            continue
        changes.append(
            replace_rrset(
                wanted["name"],
                wanted["type"],
                wanted["ttl"],
                wanted["records"],
                comments=wanted.get("comments"),
            )
            if wanted["records"]
            else {"name": wanted["name"], "type": wanted["type"], "changetype": "DELETE"}
        )
        after.append(_written(changes[-1]))
    patches = await _patch(client, zone, changes)
    return ServerChange(bool(changes), before, after=after, patches=patches)


@dataclass(frozen=True)
class CreateZone:
    """Create the zone with the payload's RRsets (a template's records, an imported copy).

    A payload too big for one PowerDNS request (2 MB by default, about 11,000 RRsets)
    creates the zone with its name servers only and fills it by PATCHes in chunks; if
    filling fails the zone is deleted again on that server, so a creation stays all or
    nothing per server, as PowerDNS's own is.
    """

    zone: str
    payload: JSON
    action: ClassVar[str] = "zone.create"
    verb: ClassVar[str] = "create"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        entries = self._entries()
        async with client.write_lock:
            if len(chunk_patch(entries)) <= 1:
                created = await client.create_zone(self.payload)
                return ServerChange(True, after=list((created or {}).get("rrsets", [])))
            created = await client.create_zone({**self.payload, "rrsets": []})
            try:
                patches = await _patch(client, self.zone, entries)
            except PowerDNSError:
                with contextlib.suppress(PowerDNSError):
                    await client.delete_zone(self.zone)
                raise
        made = {(r["name"], r["type"]) for r in entries}
        kept = [r for r in (created or {}).get("rrsets", []) if (r["name"], r["type"]) not in made]
        return ServerChange(True, after=kept + [_written(e) for e in entries], patches=patches)

    async def complete(self, client: PowerDNSClient) -> ServerChange:
        """The zone exists already (a replay whose first answer was lost): set its RRsets."""
        # The SOA stays the server's own (its serial moves with every change there).
        rrsets = tuple(r for r in self.payload.get("rrsets", []) if r["type"] != "SOA")
        if not rrsets:
            return ServerChange(False)
        return await PatchRRsets(zone=self.zone, rrsets=rrsets).apply(client)

    def undo(self, done: ServerChange) -> Change | None:
        """Delete the zone again."""
        return DeleteZone(zone=self.zone)

    def _entries(self) -> list[JSON]:
        return [
            replace_rrset(r["name"], r["type"], r["ttl"], r["records"], comments=r.get("comments"))
            for r in self.payload.get("rrsets", [])
        ]


@dataclass(frozen=True)
class CloneZone(CreateZone):
    """A CreateZone whose payload is a copy of ``source`` (``services.clone``): audited as
    ``zone.clone`` with both zones in its target."""

    source: str
    action: ClassVar[str] = "zone.clone"
    verb: ClassVar[str] = "clone"

    @property
    def target(self) -> str:
        """What the audit entry names: the new zone and the zone it copies."""
        return f"{display(self.zone)} (clone of {display(self.source)})"


@dataclass(frozen=True)
class DeleteZone:
    """Delete the zone; a server that lacks it counts as done (idempotent)."""

    zone: str
    action: ClassVar[str] = "zone.delete"
    verb: ClassVar[str] = "delete"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            try:
                snapshot = await client.get_zone(self.zone)
                await client.delete_zone(self.zone)
            except PowerDNSNotFound:
                return ServerChange(False)
        return ServerChange(True, zone_before=snapshot)

    def undo(self, done: ServerChange) -> Change | None:
        """Recreate the zone from its snapshot (DNSSEC keys are not part of it)."""
        if done.zone_before is None:
            return None
        return CreateZone(zone=self.zone, payload=snapshot_payload(done.zone_before))


def add_record_change(
    *, zone: str, name: str, rtype: str, content: str, ttl: int | None
) -> AddRecord:
    """Validate input into an AddRecord (InvalidInput names the bad field).

    ``ttl`` None keeps an existing RRset's TTL (DEFAULT_TTL for a new RRset).
    """
    record = build_record(
        zone=zone, name=name, rtype=rtype, content=content, ttl=DEFAULT_TTL if ttl is None else ttl
    )
    return AddRecord(zone=fqdn(zone), record=record, keep_ttl=ttl is None)


def update_record_change(
    *, zone: str, name: str, rtype: str, old_content: str, content: str, ttl: int | None
) -> UpdateRecord:
    """Validate input into an UpdateRecord; ``ttl=None`` keeps the RRset's TTL."""
    record = build_record(
        zone=zone, name=name, rtype=rtype, content=content, ttl=DEFAULT_TTL if ttl is None else ttl
    )
    try:
        old = normalize_content(record.type, old_content)
    except InvalidInput as exc:
        raise InvalidInput("old_content", exc.reason) from exc
    return UpdateRecord(zone=fqdn(zone), old_content=old, record=record, keep_ttl=ttl is None)


def delete_records_change(
    *, zone: str, name: str, rtype: str, content: str | None
) -> DeleteRecords:
    """Validate input into a DeleteRecords; the SOA cannot be deleted."""
    record_type = normalize_type(rtype)
    if record_type == "SOA":
        raise InvalidInput("type", "the SOA record cannot be deleted; delete the zone instead")
    return DeleteRecords(
        zone=fqdn(zone),
        name=normalize_name(name, zone),
        type=record_type,
        content=None if content is None else normalize_content(record_type, content),
    )


async def patch_one(client: PowerDNSClient, zone: str, before: JSON, change: JSON) -> ServerChange:
    """Send one RRset's PATCH entry ``change`` now (the caller holds the write lock)."""
    entry, done = one_entry(before, change)
    await client.patch_rrsets(zone, [entry])
    return done


def one_entry(before: JSON, change: JSON) -> tuple[JSON, ServerChange]:
    """A one-RRset change's PATCH entry ``change`` and what it did once sent (``before``:
    the RRset as it was); the coalescer sends it, alone or with others in one PATCH."""
    return change, ServerChange(True, [before], after=[_written(change)], patches=1)


def _written(change: JSON) -> JSON:
    """The RRset a PATCH entry leaves behind (no records for a DELETE; comments only when
    the entry sets them, since a REPLACE without them keeps the RRset's)."""
    written = {
        "name": change["name"],
        "type": change["type"],
        "ttl": change.get("ttl", 0),
        "records": change.get("records", []),
    }
    if "comments" in change:
        written["comments"] = change["comments"]
    return written


async def _patch(client: PowerDNSClient, zone: str, changes: list[JSON]) -> int:
    """Send ``changes`` (DELETEs first, so an A can become a CNAME) and return the PATCH count.

    One PATCH when it fits PowerDNS's request limits, else chunks that are each atomic.
    """
    changes.sort(key=lambda c: c["changetype"] != "DELETE")
    chunks = chunk_patch(changes)
    for chunk in chunks:
        await client.patch_rrsets(zone, chunk)
    return len(chunks)


def _same_rrset(old: JSON | None, wanted: JSON) -> bool:
    if old is None:
        return not wanted["records"]
    return RRset.from_pdns(old) == RRset.from_pdns(wanted)
