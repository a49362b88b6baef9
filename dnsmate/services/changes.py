"""THE write path: server-independent change objects, applied idempotently per server.

A change describes what the user asked for (add this record, delete that zone), never a
server's data. ``apply(client)`` turns it into a delta against THAT server's current state,
under the server's write lock: read the RRset, compute the new record list, PATCH. Applying
a change twice leaves the server as applying it once, so the retry queue can replay it.

Each ``apply`` returns a ``ServerChange``: whether anything changed and the RRsets as they
were before, so a caller can restore them (rollback) or record them (audit, versions).

``run_change`` is the one function routes and services call: pre-checks, fan-out to every
target, then the hooks registered on the app (audit log, versions, retry queue) see the
change and its per-server result.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import (
    PowerDNSNotFound,
    PowerDNSRejected,
    RecordConflict,
)
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.records import DEFAULT_TTL
from dnsmate.services.errors import InvalidInput
from dnsmate.services.multi_powerdns import (
    MultiPowerDNSResult,
    MultiPowerDNSService,
)
from dnsmate.services.records import (
    Record,
    build_record,
    chunk_patch,
    current_rrsets,
    find_rrset,
    replace_rrset,
    rrset_types,
)
from dnsmate.services.rrset import RRset, content_key
from dnsmate.services.validation import (
    check_rrset_coexistence,
    normalize_content,
    normalize_name,
    normalize_type,
)

log = logging.getLogger(__name__)


@dataclass
class ServerChange:
    """What one server did: ``changed`` and the touched RRsets as they were before.

    ``before`` holds PowerDNS RRset dicts; an RRset with no records did not exist.
    ``after`` holds the same RRsets as this server now has them (what the change set), so
    versions can store the delta. ``zone_before`` is the whole zone (for a deleted zone) or
    None. ``patches`` counts the PATCH requests sent: more than one means a large change was
    split into chunks, each atomic on its own.
    """

    changed: bool
    before: list[JSON] = field(default_factory=list)
    zone_before: JSON | None = None
    after: list[JSON] = field(default_factory=list)
    patches: int = 0


def _absent(name: str, rtype: str) -> JSON:
    return {"name": name, "type": rtype, "ttl": 0, "records": []}


@dataclass(frozen=True)
class AddRecord:
    """Add one record to its RRset; siblings stay; an existing record is left alone.

    The CNAME-and-other-data rule is checked on each server against its own data; every
    server refusing maps to 422.
    """

    zone: str
    record: Record
    action: ClassVar[str] = "record.create"
    verb: ClassVar[str] = "create"
    noun: ClassVar[str] = "Record"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        record = self.record
        async with client.write_lock:
            at_name = await client.get_zone(self.zone, rrset_name=record.name)
            try:
                check_rrset_coexistence(display(record.name), record.type, rrset_types(at_name))
            except InvalidInput as exc:
                raise PowerDNSRejected(exc.reason, status=422) from exc
            rrset = find_rrset(at_name, record.name, record.type)
            before = rrset or _absent(record.name, record.type)
            records = list(before["records"])
            present = content_key(record.type, record.content) in {
                content_key(record.type, r["content"]) for r in records
            }
            if present and before["ttl"] == record.ttl:
                return ServerChange(False, [before], after=[before])
            if not present:
                records.append({"content": record.content, "disabled": False})
            change = replace_rrset(record.name, record.type, record.ttl, records)
            await client.patch_rrsets(self.zone, [change])
            return ServerChange(True, [before], after=[_written(change)], patches=1)


@dataclass(frozen=True)
class UpdateRecord:
    """Replace ``old_content`` with the record's content; RecordConflict if it is gone."""

    zone: str
    old_content: str
    record: Record
    keep_ttl: bool = False
    action: ClassVar[str] = "record.update"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Record"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        record = self.record
        old_key = content_key(record.type, self.old_content)
        new_key = content_key(record.type, record.content)
        async with client.write_lock:
            rrset = await client.get_rrset(self.zone, record.name, record.type)
            before = rrset or _absent(record.name, record.type)
            records: list[JSON] = before["records"]
            keys = [content_key(record.type, r["content"]) for r in records]
            ttl = before["ttl"] if rrset and self.keep_ttl else record.ttl
            if old_key not in keys:
                if new_key in keys and before["ttl"] == ttl:
                    return ServerChange(False, [before], after=[before])  # a replay
                if new_key not in keys:
                    raise RecordConflict(
                        f"Record {self.old_content!r} no longer exists (changed by someone else)"
                    )
            pairs = list(zip(records, keys, strict=True))
            disabled = next((r["disabled"] for r, k in pairs if k == old_key), False)
            updated = [r for r, k in pairs if k not in (old_key, new_key)]
            updated.append({"content": record.content, "disabled": disabled})
            change = replace_rrset(record.name, record.type, ttl, updated)
            await client.patch_rrsets(self.zone, [change])
            return ServerChange(True, [before], after=[_written(change)], patches=1)


@dataclass(frozen=True)
class DeleteRecords:
    """Remove one record (``content``) or, when ``content`` is None, the whole RRset."""

    zone: str
    name: str
    type: str
    content: str | None = None
    action: ClassVar[str] = "record.delete"
    verb: ClassVar[str] = "delete"
    noun: ClassVar[str] = "Record"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        key = None if self.content is None else content_key(self.type, self.content)
        async with client.write_lock:
            rrset = await client.get_rrset(self.zone, self.name, self.type)
            if rrset is None:
                absent = _absent(self.name, self.type)
                return ServerChange(False, [absent], after=[absent])
            kept = [
                r
                for r in rrset["records"]
                if key is not None and content_key(self.type, r["content"]) != key
            ]
            if len(kept) == len(rrset["records"]):
                return ServerChange(False, [rrset], after=[rrset])
            change = (
                replace_rrset(self.name, self.type, rrset["ttl"], kept)
                if kept
                else {"name": self.name, "type": self.type, "changetype": "DELETE"}
            )
            await client.patch_rrsets(self.zone, [change])
            return ServerChange(True, [rrset], after=[_written(change)], patches=1)


@dataclass(frozen=True)
class PatchRRsets:
    """Set whole RRsets to exact contents in one atomic PATCH (import, bulk, rollback).

    ``rrsets`` are PowerDNS RRset dicts; one with no records means "delete this RRset".
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
            before, after, changes = [], [], []
            for wanted in self.rrsets:
                old = existing.get((wanted["name"], wanted["type"]))
                before.append(old or _absent(wanted["name"], wanted["type"]))
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
            patches = await _patch(client, self.zone, changes)
            return ServerChange(bool(changes), before, after=after, patches=patches)


@dataclass(frozen=True)
class CreateZone:
    zone: str
    payload: JSON
    action: ClassVar[str] = "zone.create"
    verb: ClassVar[str] = "create"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            created = await client.create_zone(self.payload)
        return ServerChange(True, after=list((created or {}).get("rrsets", [])))


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


def add_record_change(*, zone: str, name: str, rtype: str, content: str, ttl: int) -> AddRecord:
    """Validate input into an AddRecord (InvalidInput names the bad field)."""
    record = build_record(zone=zone, name=name, rtype=rtype, content=content, ttl=ttl)
    return AddRecord(zone=fqdn(zone), record=record)


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


class Change(Protocol):
    """What ``run_change`` needs from a change object: a frozen dataclass with these members.

    The classes above, and those of ``dnsmate.services.dnssec``, implement it. A class that
    holds secrets (private keys) defines ``to_json``/``from_json`` to leave them out of storage.
    """

    __dataclass_fields__: ClassVar[dict[str, Any]]
    action: ClassVar[str]
    verb: ClassVar[str]
    noun: ClassVar[str]

    @property
    def zone(self) -> str: ...

    async def apply(self, client: PowerDNSClient) -> ServerChange: ...


class RunsChanges(Protocol):
    """What services need to run changes: the request's ChangeRunner (``api.deps``)."""

    multi: MultiPowerDNSService

    async def run(
        self, change: Change, *, multi: MultiPowerDNSService | None = None, **options: object
    ) -> MultiPowerDNSResult[ServerChange]: ...


CHANGE_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (AddRecord, UpdateRecord, DeleteRecords, PatchRRsets, CreateZone, DeleteZone)
}


def register_change_type(cls: type[Any]) -> type[Any]:
    """Make a change class defined in another module known to ``change_from_json``."""
    CHANGE_TYPES[cls.__name__] = cls
    return cls


def change_to_json(change: Change) -> JSON:
    """A JSON form of ``change`` for storage (the retry queue, the audit log)."""
    encode = getattr(change, "to_json", None)
    data: JSON = encode() if encode is not None else asdict(change)
    return {"kind": type(change).__name__, **data}


def change_from_json(data: JSON) -> Change:
    fields = dict(data)
    cls = CHANGE_TYPES[fields.pop("kind")]
    decode = getattr(cls, "from_json", None)
    if decode is not None:
        change: Change = decode(fields)
        return change
    if "record" in fields:
        fields["record"] = Record(**fields["record"])
    if "rrsets" in fields:
        fields["rrsets"] = tuple(fields["rrsets"])
    result: Change = cls(**fields)
    return result


@dataclass
class ChangeEvent:
    """A change after its fan-out, as hooks (audit, versions, retry queue) see it.

    ``via`` says how the change came in ("web", "api", "token:<name>", "cli", "queue"), and
    ``options`` carries per-request choices (e.g. the partial-failure policy).
    """

    change: Change
    result: MultiPowerDNSResult[ServerChange]
    session: AsyncSession | None = None
    actor: User | None = None
    via: str = "api"
    client_ip: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    # The targets the change went to (a rollback hook restores through their clients).
    multi: MultiPowerDNSService | None = None


ChangeHook = Callable[[ChangeEvent], Awaitable[None]]


async def run_change(
    *,
    multi: MultiPowerDNSService,
    change: Change,
    hooks: Sequence[ChangeHook] = (),
    event: ChangeEvent | None = None,
) -> MultiPowerDNSResult[ServerChange]:
    """Apply on every target concurrently, then let each hook see the outcome.

    ``event`` carries who/how (session, actor, via, client address); its change and result
    are filled in here.
    """
    result = await multi.execute(change.apply)
    event = event or ChangeEvent(change, result)
    event.change, event.result, event.multi = change, result, multi
    for hook in hooks:
        try:
            await hook(event)
        except Exception:
            # The servers already hold the change: the answer must still say where it went,
            # and the later hooks (the audit log last) must still run.
            name = getattr(hook, "__name__", type(hook).__name__)
            log.exception("%s on %s: the %s change hook failed", change.action, change.zone, name)
            if event.session is not None:
                # A failed statement leaves the transaction unusable for the next hooks.
                await event.session.rollback()
                if event.actor is not None:
                    await event.session.refresh(event.actor)
            result.warnings.append(
                f"The change was applied, but {name} failed afterwards: see the DNSMate log"
            )
    return result


def _written(change: JSON) -> JSON:
    """The RRset a PATCH entry leaves behind (no records for a DELETE)."""
    return {
        "name": change["name"],
        "type": change["type"],
        "ttl": change.get("ttl", 0),
        "records": change.get("records", []),
    }


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


def zone_absent_everywhere(result: MultiPowerDNSResult[ServerChange]) -> bool:
    """For DeleteZone: every server answered and none had the zone."""
    return result.all_succeeded and not any(r.value and r.value.changed for r in result.results)
