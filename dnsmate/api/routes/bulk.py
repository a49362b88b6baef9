"""Bulk record changes: many operations (JSON or CSV) in one atomic PATCH per server."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from dnsmate.api.deps import ContextDep, MultiPowerDNSDep, PipelineDep, WriteScopeDep, ZoneWriter
from dnsmate.api.ptr_upkeep import PtrOption, follow_ptr
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.records import BulkDeleteFilter
from dnsmate.schemas.writes import (
    BulkApplied,
    BulkAppliedPartial,
    BulkDeleted,
    BulkDeletedPartial,
    BulkDeletePlan,
    BulkPlan,
)
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata import bulk
from dnsmate.services.zonedata.imports import Applied
from dnsmate.services.zonedata.rrset import RRset
from dnsmate.services.zonedata.validation import normalize_type
from dnsmate.services.zonedata.zones import read_zone

router = APIRouter(prefix="/records", tags=["bulk"])
MAX_BODY_BYTES = 32 * 1024 * 1024
PREVIEW_LIMIT = 1000
_BODY: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "operations": {"type": "array", "items": {"type": "object"}}}}},
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary"}}}},
        },
    }
}  # fmt: skip


@router.post(
    "/{zone}/bulk",
    openapi_extra=_BODY,
    responses=fan_out_responses(BulkPlan | BulkApplied, BulkAppliedPartial),
)
async def bulk_records(
    zone: str,
    request: Request,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    context: ContextDep,
    _user: ZoneWriter,
    dry_run: bool = False,
    ptr_upkeep: PtrOption = None,
) -> JSONResponse:
    """Apply add/update/delete operations (JSON, or CSV with op,name,type,content,ttl,old_content).

    Every operation is validated first; all invalid rows are reported at once (422,
    ``errors`` with row numbers) and nothing is applied. ``dry_run`` stops after validation
    and answers the ``plan`` (RRsets added, changed, deleted) against the reference server.
    """
    ops = await _operations(request, zone)
    change = bulk.BulkRecords(zone=fqdn(zone), operations=ops)
    body: dict[str, Any] = {"zone": display(change.zone), "operations": len(ops),
                            "counts": bulk.summarize(ops), "dry_run": dry_run}  # fmt: skip
    if dry_run:
        body["plan"] = change.preview(await read_zone(multi, change.zone), limit=PREVIEW_LIMIT)
        return JSONResponse(body)
    outcome = await pipeline.run(change, scope=scope)
    body |= Applied(outcome).public()
    body.pop("created")
    body |= await follow_ptr(ptr_upkeep, context, scope, outcome)
    return multi_response(outcome, action="update", noun="Records", body=body)


@router.post(
    "/{zone}/bulk/delete",
    responses=fan_out_responses(BulkDeletePlan | BulkDeleted, BulkDeletedPartial),
)
async def bulk_delete(
    zone: str,
    body: BulkDeleteFilter,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    context: ContextDep,
    _user: ZoneWriter,
    ptr_upkeep: PtrOption = None,
) -> JSONResponse:
    """Delete every RRset whose name matches a glob (and the type, if given).

    ``dry_run`` (the default) lists what would go; the SOA and apex NS never match.
    """
    rtype = normalize_type(body.type) if body.type else None
    name = fqdn(zone)
    data = await read_zone(multi, name)
    matched = bulk.match_rrsets(data, zone=name, pattern=body.name, rtype=rtype)
    preview = [RRset.from_pdns(r).public() for r in matched]
    out: dict[str, Any] = {
        "zone": display(name), "dry_run": body.dry_run, "matched": len(matched),
        "rrsets": preview[:PREVIEW_LIMIT], "truncated": len(preview) > PREVIEW_LIMIT,
    }  # fmt: skip
    if body.dry_run or not matched:
        return JSONResponse(out)
    change = bulk.BulkRecords(zone=name, operations=bulk.delete_operations(matched))
    outcome = await pipeline.run(change, scope=scope)
    out |= Applied(outcome).public()
    out.pop("created")
    out |= await follow_ptr(ptr_upkeep, context, scope, outcome)
    return multi_response(outcome, action="delete", noun="Records", body=out)


async def _operations(request: Request, zone: str) -> tuple[bulk.BulkOp, ...]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file", "send the CSV in the multipart field 'file'")
        return bulk.parse_csv_operations(_text(await upload.read(MAX_BODY_BYTES + 1)), zone=zone)
    raw = await request.body()
    if content_type.startswith("text/csv"):
        return bulk.parse_csv_operations(_text(raw), zone=zone)
    try:
        items = json.loads(_text(raw), parse_constant=_not_json)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting too deep
        raise InvalidInput("operations", f"the body is not JSON: {exc}") from exc
    return bulk.parse_json_operations(items, zone=zone)


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not a JSON value")


def _text(data: bytes) -> str:
    if len(data) > MAX_BODY_BYTES:
        raise InvalidInput("operations", f"the request is larger than {MAX_BODY_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("operations", f"the body is not UTF-8 text: {exc}") from exc
