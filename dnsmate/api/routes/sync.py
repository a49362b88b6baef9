"""Multi-server consistency: the retry queue, breakers, drift and reconcile (admin only)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, SessionDep
from dnsmate.schemas.sync import QueueEntryPublic, QueuePublic
from dnsmate.services.sync import health, queue

router = APIRouter(prefix="/sync", tags=["sync"])


@router.get("/queue", response_model=QueuePublic)
async def read_queue(
    session: SessionDep,
    _user: AdminUser,
    status: Literal["pending", "parked"] | None = None,
) -> dict[str, Any]:
    """Changes owed to servers, in replay order: pending ones and parked ones with errors."""
    return await queue.queue_view(session=session, status=status)


@router.post("/queue/{entry_id}/retry", response_model=QueueEntryPublic)
async def retry_queue_entry(
    entry_id: int, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Put a parked change back in line; it is replayed at the next drain."""
    entry = await queue.retry_entry(session=session, entry_id=entry_id)
    await audit.record("sync.queue.retry", target=f"queue entry {entry_id}")
    return entry


@router.delete("/queue/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_queue_entry(
    entry_id: int, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> None:
    """Drop a queued change: that server will not receive it (reconcile repairs the zone)."""
    await queue.delete_entry(session=session, entry_id=entry_id)
    await audit.record("sync.queue.delete", target=f"queue entry {entry_id}")


@router.post("/queue/drain")
async def drain_queue(context: ContextDep, _user: AdminUser) -> dict[str, Any]:
    """Replay now what is owed to servers whose breaker is not open."""
    report = await queue.drain_queue(runtime=context.sync)
    return report.public()


@router.get("/servers")
async def read_breakers(session: SessionDep, _user: AdminUser) -> list[dict[str, Any]]:
    """Circuit breaker and queue depth of every server."""
    return await health.breaker_view(session)
