"""Reconcile everything: plan, then a job repairing every differing zone (admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, SessionDep
from dnsmate.api.responses import error_responses
from dnsmate.api.routes.jobs import accepted
from dnsmate.schemas.fleet import JobPublic, ReconcileAllPlan, ReconcileAllRequest
from dnsmate.services.fleet import reconcile_all

router = APIRouter(prefix="/sync", tags=["sync"])


@router.post(
    "/reconcile",
    response_model=None,
    responses={
        200: {"model": ReconcileAllPlan, "description": "The plan (dry_run)"},
        202: {"model": JobPublic, "description": "The repair job (poll /api/jobs/{id})"},
        **error_responses(404, 409),
    },
)
async def reconcile_everything(
    body: ReconcileAllRequest,
    response: Response,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> dict[str, Any]:
    """Plan (dry_run, the default) or start repairing every zone that differs from
    ``source`` on some write target; unsafe zones (over 30 %) need ``force``."""
    if body.dry_run:
        plan = await reconcile_all.plan_reconcile_all(
            session=session, pool=context.pool, source=body.source, deep=body.deep
        )
        return ReconcileAllPlan.model_validate(plan).model_dump(mode="json")
    job = await reconcile_all.start_reconcile_all(
        session=session,
        fleet=context.fleet,
        source=body.source,
        force=body.force,
        deep=body.deep,
        actor=audit.actor(),
    )
    forced = " (force)" if body.force else ""
    await audit.record(
        "sync.reconcile_all.start", target=f"job {job.id}", detail=f"from {job.source_name}{forced}"
    )
    response.status_code = 202
    return JobPublic.model_validate(accepted(job, response)).model_dump(mode="json")
