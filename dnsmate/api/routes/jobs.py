"""Fleet jobs (onboard, retire, reconcile): their status and progress (admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response, status

from dnsmate.api.deps import AdminUser, AuditDep, SessionDep
from dnsmate.api.responses import error_responses
from dnsmate.models import FleetJob
from dnsmate.schemas.common import RowId
from dnsmate.schemas.fleet import JobPublic
from dnsmate.services.fleet import jobs

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=list[JobPublic])
async def read_jobs(
    session: SessionDep,
    _user: AdminUser,
    server_id: RowId | None = None,
    limit: int = Query(20, ge=1, le=200),
) -> list[dict[str, Any]]:
    """The latest jobs first (optionally one server's)."""
    found = await jobs.list_jobs(session=session, server_id=server_id, limit=limit)
    return [jobs.job_view(job) for job in found]


@router.get("/{job_id}", response_model=JobPublic, responses=error_responses(404))
async def read_job(job_id: RowId, session: SessionDep, _user: AdminUser) -> dict[str, Any]:
    """One job: status, phase, progress (done of total) and, once ended, its result."""
    return jobs.job_view(await jobs.get_job(session=session, job_id=job_id))


@router.post(
    "/{job_id}/cancel",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404, 409),
)
async def cancel_job(
    job_id: RowId, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Stop a running job before its next zone (it then reads ``cancelled``; what a
    cancelled onboarding leaves: the server pending, its queued writes dropped)."""
    actor = audit.actor()
    by = actor.user.email if actor.user is not None else actor.via
    job, asked = await jobs.cancel_job(session=session, job_id=job_id, by=by)
    if asked:
        await audit.record(
            "job.cancel",
            target=f"job {job.id}",
            detail=f"{job.kind} of {job.server_name or job.source_name}",
        )
    return jobs.job_view(job)


def accepted(job: FleetJob, response: Response) -> dict[str, Any]:
    """A job just started: its public form, and ``Location`` where to poll it (202)."""
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return jobs.job_view(job)
