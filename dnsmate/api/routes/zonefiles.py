"""Zone files: export one zone, import a file or an AXFR into a new or existing zone."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.datastructures import UploadFile

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
from dnsmate.models import User
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.writes import ZoneImported, ZoneImportedPartial, ZonePlan
from dnsmate.schemas.zonefiles import AxfrImport
from dnsmate.services.access import permissions
from dnsmate.services.errors import InvalidInput
from dnsmate.services.fleet import servers
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata import backup, imports, zonefile

router = APIRouter(prefix="/zones", tags=["import and export"])
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"}}},
            },
        },
    }
}  # fmt: skip
_WRITE_RESPONSES = fan_out_responses(ZonePlan | ZoneImported, ZoneImportedPartial) | {
    201: {"model": ZoneImported, "description": "The zone was created with the content's records"}
}


@router.get("/{zone}/export", response_class=PlainTextResponse)
async def export_zone(zone: str, multi: MultiPowerDNSDep, _user: ZoneReader) -> PlainTextResponse:
    """The zone as an RFC 1035 zone file (``$ORIGIN``, relative owner names)."""
    text = await backup.export_zone(multi=multi, zone=zone)
    filename = f"{display(fqdn(zone))}.zone"
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.post("/{zone}/import", openapi_extra=_IMPORT_BODY, responses=_WRITE_RESPONSES)
async def import_zone_file(
    zone: str,
    request: Request,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    user: ZoneWriter,
    mode: Literal["merge", "replace"] = "merge",
    dry_run: bool = True,
    expect_serial: int | None = Query(None, description="Refuse if the zone moved past it"),
) -> JSONResponse:
    """Import a zone file (text body, or multipart field ``file``) into a new or existing zone.

    ``dry_run`` (the default) answers with the plan: RRsets to add, change and, in ``replace``
    mode, delete. ``dry_run=false`` applies it in one atomic PATCH per server. The SOA is
    never imported: PowerDNS keeps it and manages the serial.
    """
    text = await _upload_text(request)
    parsed = await asyncio.to_thread(zonefile.parse_zone_text, zone=zone, text=text)
    return await _plan_or_apply(
        parsed, mode=mode, dry_run=dry_run, expect_serial=expect_serial, multi=multi,
        pipeline=pipeline, scope=scope, user=user,
    )  # fmt: skip


@router.post("/{zone}/import/axfr", responses=_WRITE_RESPONSES)
async def import_zone_axfr(
    zone: str,
    body: AxfrImport,
    session: SessionDep,
    context: ContextDep,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    user: ZoneWriter,
) -> JSONResponse:
    """Transfer the zone by AXFR from another name server (BIND, PowerDNS, ...) and import it.

    Same plan, modes and ``dry_run`` as the file import. Admins may name any primary; the
    other roles the configured PowerDNS servers' addresses and DNSMATE_AXFR_PRIMARIES.
    """
    if not permissions.is_admin(user):
        allowed = [*context.settings.axfr_primaries.split(","), *await servers.hosts(session)]
        zonefile.check_primary_allowed(primary=body.primary, allowed=allowed)
    parsed = await zonefile.fetch_axfr(zone=zone, primary=body.primary, port=body.port)
    return await _plan_or_apply(
        parsed, mode=body.mode, dry_run=body.dry_run, expect_serial=body.expect_serial,
        multi=multi, pipeline=pipeline, scope=scope, user=user,
    )  # fmt: skip


async def _plan_or_apply(
    parsed: zonefile.ParsedZone,
    *,
    mode: Literal["merge", "replace"],
    dry_run: bool,
    expect_serial: int | None,
    multi: MultiPowerDNSService,
    pipeline: WritePipeline,
    scope: WriteScope,
    user: User,
) -> JSONResponse:
    plan = await imports.make_plan(
        multi=multi, zone=parsed.zone, target=parsed.state, mode=mode, notes=parsed.skipped
    )
    body = {**plan.public(), "dry_run": dry_run}
    if dry_run:
        return JSONResponse(body)
    imports.check_serial(plan, expect_serial)
    if not plan.exists:
        permissions.require_role(user, "admin", "editor")
    applied = await imports.apply_plan(plan=plan, pipeline=pipeline, scope=scope)
    status = 201 if applied.created else 200
    return multi_response(
        applied.result, action="update", noun="Zone", body={**body, **applied.public()},
        success_status=status,
    )  # fmt: skip


async def _upload_text(request: Request) -> str:
    """The zone file from a multipart upload (field ``file``) or the raw request body."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "send the zone file in the multipart field 'file'")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
    else:
        data = await request.body()
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput("file", f"the zone file is larger than {MAX_UPLOAD_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("file", f"the zone file is not UTF-8 text: {exc}") from exc
