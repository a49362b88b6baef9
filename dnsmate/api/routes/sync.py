"""Multi-server consistency: the retry queue, breakers, drift and reconcile (admin only)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    AdminUser,
    AuditDep,
    ContextDep,
    PipelineDep,
    SessionDep,
    WriteScopeDep,
    ZoneReader,
)
from dnsmate.api.responses import error_responses
from dnsmate.schemas.common import RowId
from dnsmate.schemas.drift import SyncStatus, ZoneDiff
from dnsmate.schemas.sync import (
    BreakerPublic,
    DrainReportPublic,
    QueueDropped,
    QueueEntryPublic,
    QueuePublic,
    QueueRetried,
    QueueSelection,
    ReconcileAnswer,
    ReconcileRequest,
)
from dnsmate.services.sync import drift, health, queue, queue_view, reconcile

router = APIRouter(prefix="/sync", tags=["sync"])


@router.get("/queue", response_model=QueuePublic)
async def read_queue(
    session: SessionDep,
    _user: AdminUser,
    status: Literal["pending", "parked"] | None = None,
    server_id: RowId | None = None,
    zone: str | None = Query(None, max_length=255),
    limit: int = Query(1000, ge=1, le=5000),
) -> dict[str, Any]:
    """Changes owed to servers, in replay order, each with what it changes: pending ones and
    parked ones with errors; filtered by status, server and zone."""
    return await queue_view.queue_view(
        session=session, status=status, server_id=server_id, zone=zone, limit=limit
    )


@router.post("/queue/{entry_id}/retry", response_model=QueueEntryPublic)
async def retry_queue_entry(
    entry_id: RowId, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Put a parked change back in line (attempts counted afresh); replayed at the next drain."""
    [entry] = await queue.retry_entries(session=session, ids=[entry_id])
    await audit.record("sync.queue.retry", target=f"queue entry {entry_id}")
    return entry


@router.delete("/queue/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_queue_entry(
    entry_id: RowId, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> None:
    """Drop a queued change: that server will not receive it (reconcile repairs the zone)."""
    await queue.drop_entries(session=session, ids=[entry_id])
    await audit.record("sync.queue.delete", target=f"queue entry {entry_id}")


@router.post("/queue/retry", response_model=QueueRetried, responses=error_responses(404))
async def retry_queue_entries(
    body: QueueSelection, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Put several changes back in line at once (404, nothing changed, if one is gone)."""
    items = await queue.retry_entries(session=session, ids=body.ids)
    await audit.record("sync.queue.retry", target=_entries_target(body.ids))
    return {"items": items}


@router.post("/queue/drop", response_model=QueueDropped, responses=error_responses(404))
async def drop_queue_entries(
    body: QueueSelection, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Drop several queued changes at once (404, nothing dropped, if one is gone)."""
    dropped = await queue.drop_entries(session=session, ids=body.ids)
    await audit.record("sync.queue.delete", target=_entries_target(body.ids))
    return {"dropped": dropped}


def _entries_target(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in sorted(set(ids))[:20])
    return f"queue entries {shown}" + (" …" if len(set(ids)) > 20 else "")


@router.post("/queue/drain", response_model=DrainReportPublic)
async def drain_queue(context: ContextDep, _user: AdminUser) -> dict[str, Any]:
    """Replay now what is owed to servers whose breaker is not open."""
    report = await queue.drain_queue(runtime=context.sync)
    return report.public()


@router.get("/servers", response_model=list[BreakerPublic])
async def read_breakers(session: SessionDep, _user: AdminUser) -> list[BreakerPublic]:
    """Circuit breaker and queue depth of every server."""
    # Through the model: SQLite hands back naive times, the answer carries UTC offsets.
    return [BreakerPublic.model_validate(view) for view in await health.breaker_view(session)]


@router.get("/status", response_model=SyncStatus, response_model_exclude_unset=True)
async def read_sync_status(
    session: SessionDep, context: ContextDep, _user: AdminUser, deep: bool = False
) -> dict[str, Any]:
    """Every zone on every target: in_sync, drifted, missing or unknown.

    Zones whose serials agree and that have nothing queued count as in sync without a
    content check; ``deep=true`` compares the content of every zone.
    """
    return await drift.sync_status(
        session=session, pool=context.pool, deep=deep, metrics=context.sync.metrics
    )


@router.get("/zones/{zone}/diff", response_model=ZoneDiff, response_model_exclude_unset=True)
async def read_zone_diff(
    zone: str,
    session: SessionDep,
    context: ContextDep,
    _user: ZoneReader,
    reference: RowId | None = None,
) -> dict[str, Any]:
    """RRsets that differ from the reference server (the default unless ``reference``)."""
    return await drift.diff_zone(session=session, pool=context.pool, zone=zone, reference=reference)


@router.post(
    "/zones/{zone}/reconcile",
    responses={
        200: {"model": ReconcileAnswer, "description": "The plan, or applied everywhere"},
        207: {"model": ReconcileAnswer, "description": "Applied on some servers only"},
        409: {"model": ReconcileAnswer, "description": "Refused: unsafe without force"},
        **error_responses(404),
    },
)
async def reconcile_zone(
    zone: str,
    body: ReconcileRequest,
    session: SessionDep,
    context: ContextDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: AdminUser,
) -> JSONResponse:
    """Plan (dry_run, the default) or apply making every target equal to ``source``.

    409 when the plan touches more than 30 % of a server's RRsets and ``force`` is false;
    207 when it was applied on some servers only.
    """
    answer = await reconcile.reconcile(
        session=session,
        pool=context.pool,
        pipeline=pipeline,
        scope=scope,
        zone=zone,
        source=body.source,
        dry_run=body.dry_run,
        force=body.force,
    )
    code = 200
    if answer["refused"]:
        code = 409
    elif any(not r["success"] for r in answer["results"]):
        code = 207
    return JSONResponse(answer, status_code=code)
