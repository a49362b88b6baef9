"""Server lifecycle: onboard a server (plan, then a seeding job) and retire one (admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, SessionDep
from dnsmate.api.responses import error_responses
from dnsmate.api.routes.jobs import accepted
from dnsmate.schemas.common import RowId
from dnsmate.schemas.fleet import JobPublic, OnboardPlan, OnboardRequest, RetireRequest
from dnsmate.services.fleet import onboard, retire

router = APIRouter(prefix="/settings/powerdns", tags=["settings"])


@router.get(
    "/{server_id}/onboard/plan",
    response_model=OnboardPlan,
    responses=error_responses(404, 409, 422),
)
async def read_onboard_plan(
    server_id: RowId, source: RowId, session: SessionDep, context: ContextDep, _user: AdminUser
) -> dict[str, Any]:
    """What onboarding the server from ``source`` would do, zone by zone; writes nothing."""
    return await onboard.plan_onboarding(
        session=session, pool=context.pool, server_id=server_id, source_id=source
    )


@router.post(
    "/{server_id}/onboard",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404, 409, 422),
)
async def onboard_server(
    server_id: RowId,
    body: OnboardRequest,
    response: Response,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> dict[str, Any]:
    """Start seeding the server from ``source``; it becomes a write target when every zone
    is copied. Writes meanwhile are queued for it. Poll the job at ``Location``."""
    job = await onboard.start_onboarding(
        session=session,
        fleet=context.fleet,
        server_id=server_id,
        source_id=body.source,
        force=body.force,
        actor=audit.actor(),
    )
    await audit.record(
        "settings.server.onboard.start",
        target=job.server_name,
        detail=f"job {job.id}: seeding from {job.source_name}" + (" (force)" if body.force else ""),
    )
    return accepted(job, response)


@router.post(
    "/{server_id}/retire",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404, 409),
)
async def retire_server(
    server_id: RowId,
    body: RetireRequest,
    response: Response,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> dict[str, Any]:
    """Stop writing to the server now (its queued changes are dropped); with
    ``delete_zones`` a job deletes the zones the remaining write targets hold."""
    job = await retire.start_retirement(
        session=session,
        fleet=context.fleet,
        server_id=server_id,
        delete_zones=body.delete_zones,
        actor=audit.actor(),
    )
    await audit.record(
        "settings.server.retire",
        target=job.server_name,
        detail=f"job {job.id}" + (": deleting its zones" if body.delete_zones else ""),
    )
    return accepted(job, response)
