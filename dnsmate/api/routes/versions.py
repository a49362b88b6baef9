"""Zone versions: history, content, comparison, export and rollback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, PlainTextResponse

from dnsmate.api.deps import (
    ContextDep,
    MultiPowerDNSDep,
    PipelineDep,
    SessionDep,
    WriteScopeDep,
    ZoneReader,
    ZoneWriter,
)
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.common import Page, RowId
from dnsmate.schemas.versions import VersionChanges, VersionContent, VersionDiff, VersionsPublic
from dnsmate.schemas.writes import VersionPlan, VersionRestored, VersionRestoredPartial
from dnsmate.services.access import permissions
from dnsmate.services.history import version_history, versions
from dnsmate.services.zonedata import imports

router = APIRouter(prefix="/zones", tags=["versions"])


@router.get("/{zone}/versions", response_model=VersionsPublic)
async def read_versions(
    zone: str,
    session: SessionDep,
    _user: ZoneReader,
    page: Page = 1,
    per_page: int = Query(50, ge=1, le=1000),
    name: str | None = Query(
        None, max_length=255, description="Only versions that changed an RRset at this name"
    ),
) -> dict[str, Any]:
    """The zone's versions, newest first: who, when, how, and how many RRsets changed."""
    if name:
        items, total = await version_history.list_versions_touching(
            session=session, zone=zone, name=name, page=page, per_page=per_page
        )
    else:
        items, total = await versions.list_versions(
            session=session, zone=zone, page=page, per_page=per_page
        )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.get("/{zone}/versions/compare", response_model=VersionDiff)
async def compare_versions(
    zone: str,
    session: SessionDep,
    context: ContextDep,
    _user: ZoneReader,
    from_id: Annotated[RowId, Query(alias="from")],
    to_id: Annotated[
        RowId | None, Query(alias="to", description="Default: the latest version")
    ] = None,
) -> dict[str, Any]:
    """RRsets added, changed and deleted between two versions (the SOA aside)."""
    return await versions.compare_versions(
        session=session, zone=zone, from_id=from_id, to_id=to_id, cache=context.version_cache
    )


@router.get(
    "/{zone}/versions/{version_id}",
    response_model=None,
    responses={200: {"model": VersionContent}},
)
async def read_version(
    zone: str,
    version_id: RowId,
    session: SessionDep,
    context: ContextDep,
    _user: ZoneReader,
    page: Annotated[Page | None, Query(description="Omit for the whole zone")] = None,
    per_page: int = Query(1000, ge=1, le=10000),
) -> dict[str, Any]:
    """A version: what it changed, and the zone's full content right after it."""
    return await versions.version_content(
        session=session,
        zone=zone,
        version_id=version_id,
        page=page,
        per_page=per_page,
        cache=context.version_cache,
    )


@router.get("/{zone}/versions/{version_id}/changes", response_model=VersionChanges)
async def read_version_changes(
    zone: str,
    version_id: RowId,
    session: SessionDep,
    _user: ZoneReader,
    name: str | None = Query(None, max_length=255, description="Only the RRsets at this name"),
) -> dict[str, Any]:
    """What this version added, changed (before and after) and removed."""
    return await version_history.version_changes(
        session=session, zone=zone, version_id=version_id, name=name or None
    )


@router.get("/{zone}/versions/{version_id}/export", response_class=PlainTextResponse)
async def export_version(
    zone: str, version_id: RowId, session: SessionDep, context: ContextDep, _user: ZoneReader
) -> PlainTextResponse:
    """The zone as it was after this version, as a BIND zone file."""
    text = await versions.version_export(
        session=session, zone=zone, version_id=version_id, cache=context.version_cache
    )
    filename = f"{display(fqdn(zone))}-v{version_id}.zone"
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.post(
    "/{zone}/versions/{version_id}/rollback",
    responses=fan_out_responses(VersionPlan | VersionRestored, VersionRestoredPartial),
)
async def rollback_version(
    zone: str,
    version_id: RowId,
    session: SessionDep,
    context: ContextDep,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    user: ZoneWriter,
    dry_run: bool = False,
    expect_serial: int | None = Query(None, description="Refuse if the zone moved past it"),
) -> JSONResponse:
    """Make the zone equal to this version again, in one atomic PATCH per server.

    ``dry_run`` answers with the plan only. The SOA is left to PowerDNS. A deleted zone is
    created again (needs the editor or admin role).
    """
    target = await versions.rollback_target(
        session=session, zone=zone, version_id=version_id, cache=context.version_cache
    )
    plan = await imports.make_plan(multi=multi, zone=zone, target=target, mode="replace")
    body = {**plan.public(comments=True), "version": version_id, "dry_run": dry_run}
    if dry_run:
        return JSONResponse(body)
    imports.check_serial(plan, expect_serial)
    if not plan.exists:
        permissions.require_role(user, "admin", "editor")
    applied = await imports.apply_plan(plan=plan, pipeline=pipeline, scope=scope)
    return multi_response(
        applied.result, action="update", noun="Zone", body={**body, **applied.public()}
    )
