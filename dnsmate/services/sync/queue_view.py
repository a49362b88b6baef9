"""The retry queue as an admin reads it: what each entry would change, where, since when.

A queued change is stored as its JSON form (``registry.change_to_json``); this module turns
it into the lines a person can check before choosing Retry or Drop: operation, owner name,
type and content, one line per record (at most ``MAX_LINES`` per entry). It reads the
stored form directly, so an entry of a kind this version cannot replay is still shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc, utcnow
from dnsmate.models import SyncQueueEntry
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.fleet.servers import list_servers

MAX_LINES = 20
S = TypeVar("S", bound="Select[*tuple[Any, ...]]")

# Stored kind -> the operation its lines show.
_RECORD_OPS = {"AddRecord": "add", "UpdateRecord": "update", "DeleteRecords": "delete"}
_ZONE_OPS = {"CreateZone": "create zone", "DeleteZone": "delete zone", "UpdateZone": "zone"}


def describe_change(data: JSON) -> list[dict[str, Any]]:
    """The lines of a stored change: ``operation``, ``name``, ``type``, ``content`` (and
    ``old_content`` for an update); names without the trailing dot."""
    lines = list(_lines(data))
    if len(lines) > MAX_LINES:
        rest = len(lines) - MAX_LINES + 1
        lines = [*lines[: MAX_LINES - 1], _line("…", None, None, f"{rest} more")]
    return lines


def _line(
    operation: str,
    name: str | None,
    rtype: str | None,
    content: str | None,
    old_content: str | None = None,
) -> dict[str, Any]:
    return {
        "operation": operation,
        "name": None if name is None else display(name),
        "type": rtype,
        "content": content,
        "old_content": old_content,
    }


def _lines(data: JSON) -> Iterator[dict[str, Any]]:
    kind = str(data.get("kind", "?"))
    zone = data.get("zone")
    if kind in _RECORD_OPS:
        record = data.get("record") or {}
        yield _line(
            _RECORD_OPS[kind],
            record.get("name", data.get("name")),
            record.get("type", data.get("type")),
            record.get("content", data.get("content")),
            data.get("old_content"),
        )
    elif kind in ("BulkRecords", "DnsUpdate"):  # lists of operations (an RFC 2136 UPDATE)
        for op in data.get("operations") or data.get("updates") or []:
            yield _line(op.get("op", "?"), op.get("name"), op.get("type") or None,
                        op.get("content") or None, op.get("old_content"))  # fmt: skip
    elif kind in ("PatchRRsets", "CreateZone", "CloneZone", "DynDnsUpdate"):
        rrsets = data.get("rrsets") or (data.get("payload") or {}).get("rrsets") or []
        creates = kind in ("CreateZone", "CloneZone")
        if creates:
            yield _line("create zone", zone, None, None)
        for rrset in rrsets:
            operation = "delete" if rrset.get("changetype") == "DELETE" else "replace"
            contents = [r.get("content") for r in rrset.get("records", [])]
            if creates:
                operation = "add"
            yield _line(operation, rrset.get("name"), rrset.get("type"),
                        "\n".join(c for c in contents if c) or None)  # fmt: skip
    elif kind in _ZONE_OPS:
        yield _line(_ZONE_OPS[kind], zone, None, None)
    else:
        yield _line(kind, zone, None, None)  # DNSSEC keys and kinds added later


def entry_view(
    entry: SyncQueueEntry, names: dict[int, str], now: datetime | None = None
) -> dict[str, Any]:
    """One queued change in its public form (no secrets: changes hold DNS data only)."""
    created = as_utc(entry.created_at)
    return {
        "id": entry.id,
        "server_id": entry.server_id,
        "server": names.get(entry.server_id, str(entry.server_id)),
        "zone": entry.zone,
        "status": entry.status,
        "attempts": entry.attempts,
        "last_error": entry.last_error,
        "actor": entry.actor,
        "reason": entry.reason,
        "operation": str(entry.change.get("kind", "?")),
        "lines": describe_change(entry.change),
        "change": entry.change,
        "audit_event_id": entry.audit_event_id,
        "age_seconds": max(0.0, ((now or utcnow()) - created).total_seconds()),
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def filtered(
    query: S,
    *,
    status: str | None = None,
    server_id: int | None = None,
    zone: str | None = None,
) -> S:
    """``query`` narrowed to one status, server and zone (each optional)."""
    if status is not None:
        query = query.where(SyncQueueEntry.status == status)
    if server_id is not None:
        query = query.where(SyncQueueEntry.server_id == server_id)
    if zone:
        query = query.where(SyncQueueEntry.zone == fqdn(zone))
    return query


async def queue_view(
    *,
    session: AsyncSession,
    status: str | None = None,
    server_id: int | None = None,
    zone: str | None = None,
    limit: int = 1000,
) -> dict[str, Any]:
    """The queue as the admin sees it: entries (filtered, in replay order) with server
    names, and the pending and parked counts of the same filter."""
    names = {row.id: row.name for row in await list_servers(session)}
    query = filtered(select(SyncQueueEntry), status=status, server_id=server_id, zone=zone)
    entries = await session.scalars(query.order_by(SyncQueueEntry.id).limit(limit))
    by_status = select(SyncQueueEntry.status, func.count()).group_by(SyncQueueEntry.status)
    counted = filtered(by_status, server_id=server_id, zone=zone)
    counts = {row_status: n for row_status, n in await session.execute(counted)}
    now = utcnow()
    return {
        "items": [entry_view(entry, names, now) for entry in entries],
        "pending": counts.get("pending", 0),
        "parked": counts.get("parked", 0),
    }
