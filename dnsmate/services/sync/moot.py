"""Parked changes a reconcile made moot: resolved, and the audit log says so.

A parked change waits for an admin because a server refused it (a missing zone, a record
changed underneath). Once a reconcile has made that server's copy of the zone equal to the
source's, the change no longer describes anything owed: the zone is as the source has it.
Such entries are removed from the queue, each with an audit event naming the reconcile.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import SyncQueueEntry
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.fleet.servers import list_servers
from dnsmate.services.history.audit import Actor, record_event
from dnsmate.services.sync.queue import record_delivery
from dnsmate.services.sync.queue_view import entry_view


async def resolve_parked(
    *,
    session: AsyncSession,
    actor: Actor,
    zone: str,
    server_ids: Collection[int],
    source: str,
) -> list[dict[str, Any]]:
    """Remove the parked changes of ``zone`` owed to ``server_ids`` (servers whose copy now
    equals ``source``'s); returns them as the queue showed them."""
    if not server_ids:
        return []
    found = list(
        await session.scalars(
            select(SyncQueueEntry)
            .where(
                SyncQueueEntry.zone == fqdn(zone),
                SyncQueueEntry.status == "parked",
                SyncQueueEntry.server_id.in_(list(server_ids)),
            )
            .order_by(SyncQueueEntry.id)
        )
    )
    if not found:
        return []
    names = {row.id: row.name for row in await list_servers(session)}
    resolved = []
    for entry in found:
        view = entry_view(entry, names)
        resolved.append(view)
        detail = (
            f"made moot by the reconcile of {display(fqdn(zone))} from {source}: "
            f"{view['server']} now holds the source's copy"
        )
        record_delivery(session, entry, view["server"], "resolved", detail)
        await session.delete(entry)
        await record_event(
            session=session,
            actor=actor,
            action="sync.queue.resolve",
            zone=zone,
            target=f"queue entry {entry.id}",
            before={k: v for k, v in view.items() if k not in ("created_at", "updated_at")},
            detail=detail,
            commit=False,
        )
    await session.commit()
    return [{k: v for k, v in view.items() if k not in ("created_at", "updated_at")}
            for view in resolved]  # fmt: skip
