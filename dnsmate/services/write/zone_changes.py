"""Changes to a zone's settings and actions on it: kind, masters, SOA-EDIT-API, catalog
membership and metadata (``UpdateZoneSettings``, undone by setting back what each server
had), one metadata kind as PowerDNS's metadata routes set it (``SetZoneMetadata``), NOTIFY
and "retrieve from master" (``NotifyZone``, ``RetrieveZone``: nothing to undo). Zone data
is untouched, so none of them records a zone version; the audit log has them.

PowerDNS has no single call for a zone's fields and its metadata: ``UpdateZoneSettings`` is
one ``PUT /zones/{id}`` (kind, masters, SOA-EDIT-API, catalog and the two TSIG kinds, the
step PowerDNS is likeliest to refuse) and then one request per metadata kind. It is all or
nothing per server by compensation: when a step fails, the steps already done on that
server are set back (newest first) before the error is reported, and the error says so,
or names what could not be set back. Everything DNSMate can check is checked before any
server is touched (``services.zonedata.zone_settings``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import InvalidForZone, PowerDNSError
from dnsmate.powerdns.names import display
from dnsmate.services.write.changes import Change, ServerChange
from dnsmate.services.zonedata.catalog import has_producer

# Metadata kinds PowerDNS's API sets only through these zone fields (it refuses them on its
# metadata routes), with TSIG key ids as values.
KEY_FIELDS = {"TSIG-ALLOW-AXFR": "master_tsig_key_ids", "AXFR-MASTER-TSIG": "slave_tsig_key_ids"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    if isinstance(a, str) and isinstance(b, str):
        return a.upper() == b.upper()
    return bool(a == b)


@dataclass(frozen=True)
class UpdateZoneSettings:
    """Set zone fields (kind, masters, soa_edit_api, catalog) and metadata kinds ([]:
    remove). A server without the Producer zone named by ``catalog`` refuses the change
    (PowerDNS would store a catalog that does not exist)."""

    zone: str
    fields: JSON = field(default_factory=dict)
    metadata: JSON = field(default_factory=dict)
    action: ClassVar[str] = "zone.settings"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Zone settings"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            data = await client.get_zone(self.zone, rrsets=False)
            old_meta = {
                kind: [v.rstrip(".") for v in data.get(KEY_FIELDS[kind]) or []]
                if kind in KEY_FIELDS
                else await client.get_metadata(self.zone, kind)
                for kind in self.metadata
            }
            fields = {k: v for k, v in self.fields.items() if not _same(data.get(k), v)}
            metadata = {k: v for k, v in self.metadata.items() if not _same(old_meta[k], v)}
            before = {"fields": {k: data.get(k) for k in fields},
                      "metadata": {k: old_meta[k] for k in metadata}}  # fmt: skip
            if not fields and not metadata:
                return ServerChange(False, zone_before=before)
            catalog = fields.get("catalog")
            if catalog and not await has_producer(client, catalog):
                raise InvalidForZone(
                    f"this server has no Producer zone {display(catalog)}", field="catalog"
                )
            await _all_or_nothing(_steps(client, self.zone, data, fields, metadata, old_meta))
        return ServerChange(True, zone_before=before)

    def undo(self, done: ServerChange) -> Change | None:
        """Set back the fields and metadata this server had."""
        before = done.zone_before or {}
        return UpdateZoneSettings(
            zone=self.zone, fields=before.get("fields", {}), metadata=before.get("metadata", {})
        )


@dataclass(frozen=True)
class _Step:
    """One request of a settings change on one server, and the one that sets it back."""

    label: str
    run: Callable[[], Awaitable[None]]
    restore: Callable[[], Awaitable[None]]


# What a zone field is when PowerDNS's zone answer leaves it out.
_UNSET: JSON = {"masters": [], "catalog": "", **{f: [] for f in KEY_FIELDS.values()}}


def _steps(
    client: PowerDNSClient, zone: str, data: JSON, fields: JSON, metadata: JSON, old_meta: JSON
) -> list[_Step]:
    """The zone's fields first (one PUT), then one step per metadata kind."""
    # The TSIG kinds are zone fields in PowerDNS's API (key ids: the name and a dot).
    fields = fields | {KEY_FIELDS[k]: [f"{v}." for v in metadata[k]]
                       for k in metadata if k in KEY_FIELDS}  # fmt: skip
    steps = []
    if fields:
        old = {k: data.get(k, _UNSET.get(k)) for k in fields}
        names = ", ".join(k for k in fields)
        steps.append(_Step(names, lambda: client.update_zone(zone, fields),
                           lambda: client.update_zone(zone, old)))  # fmt: skip
    for kind, values in metadata.items():
        if kind not in KEY_FIELDS:
            steps.append(_Step(kind, _metadata_setter(client, zone, kind, values),
                               _metadata_setter(client, zone, kind, old_meta[kind])))  # fmt: skip
    return steps


def _metadata_setter(
    client: PowerDNSClient, zone: str, kind: str, values: list[str]
) -> Callable[[], Awaitable[None]]:
    if values:
        return lambda: client.set_metadata(zone, kind, values)
    return lambda: client.delete_metadata(zone, kind)


async def _all_or_nothing(steps: list[_Step]) -> None:
    """Run ``steps``; when one fails, set back the ones done (newest first) and raise its
    error, its message saying what was set back or what could not be."""
    done: list[_Step] = []
    for step in steps:
        try:
            await step.run()
        except PowerDNSError as exc:
            if exc.maybe_applied:  # the answer was lost: it may have been applied
                done.append(step)
            exc.args = (f"{exc} (setting {step.label}); {await _set_back(done)}",)
            raise
        done.append(step)


async def _set_back(done: list[_Step]) -> str:
    if not done:
        return "nothing was changed on this server"
    failed = []
    for step in reversed(done):
        try:
            await step.restore()
        except PowerDNSError as exc:
            failed.append(f"{step.label} ({exc})")
    if failed:
        return f"setting back failed for {'; '.join(failed)}: this server differs"
    return f"{', '.join(s.label for s in done)} set back: this server is as it was"


@dataclass(frozen=True)
class SetZoneMetadata:
    """One metadata kind as PowerDNS's routes set it: ``replace`` (PUT), ``add`` (POST: the
    values join the existing ones) or ``delete`` (DELETE)."""

    zone: str
    kind: str
    values: tuple[str, ...] = ()
    mode: str = "replace"
    action: ClassVar[str] = "zone.metadata"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Metadata"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            old = await client.get_metadata(self.zone, self.kind)
            wanted = [] if self.mode == "delete" else list(self.values)
            if self.mode == "add":
                wanted = old + [v for v in self.values if v not in old]
            before = {"metadata": {self.kind: old}}
            if _same(old, wanted):
                return ServerChange(False, zone_before=before)
            if wanted:
                await client.set_metadata(self.zone, self.kind, wanted)
            else:
                await client.delete_metadata(self.zone, self.kind)
        return ServerChange(True, zone_before=before)

    def undo(self, done: ServerChange) -> Change | None:
        """Set back the values this server had."""
        old = (done.zone_before or {}).get("metadata", {}).get(self.kind, [])
        return SetZoneMetadata(zone=self.zone, kind=self.kind, values=tuple(old))


@dataclass(frozen=True)
class NotifyZone:
    """Send NOTIFY to the zone's secondaries from every server (a Master zone)."""

    zone: str
    action: ClassVar[str] = "zone.notify"
    verb: ClassVar[str] = "notify"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return ServerChange(False, answer=await client.notify_zone(self.zone))

    def undo(self, done: ServerChange) -> Change | None:
        """A NOTIFY sent cannot be taken back; there is nothing to restore."""
        return None


@dataclass(frozen=True)
class RetrieveZone:
    """Transfer a Slave zone from its masters now, on every server."""

    zone: str
    action: ClassVar[str] = "zone.retrieve"
    verb: ClassVar[str] = "retrieve"
    noun: ClassVar[str] = "Zone"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return ServerChange(False, answer=await client.axfr_retrieve(self.zone))

    def undo(self, done: ServerChange) -> Change | None:
        """A transfer is the master's data; there is nothing to restore."""
        return None
