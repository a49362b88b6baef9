"""Records: each change is a delta applied to every target server's own RRset."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    ContextDep,
    PipelineDep,
    ReadServersDep,
    WriteScopeDep,
    ZoneReader,
    ZoneWriter,
)
from dnsmate.api.ptr_upkeep import PtrOption, follow_ptr
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display
from dnsmate.schemas.common import Page
from dnsmate.schemas.records import RecordCreate, RecordsPublic, RecordUpdate
from dnsmate.schemas.writes import (
    RecordCreated,
    RecordCreatedPartial,
    RecordDeleted,
    RecordDeletedPartial,
    RecordUpdated,
    RecordUpdatedPartial,
)
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write import changes
from dnsmate.services.zonedata import zones

router = APIRouter(prefix="/records", tags=["records"])


@router.get("/{zone}", response_model=RecordsPublic)
async def read_records(
    zone: str,
    multi: ReadServersDep,
    context: ContextDep,
    _user: ZoneReader,
    name: str | None = None,
    type: str | None = None,
    search: str | None = None,
    page: Page = 1,
    per_page: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """One page of the zone's records, filtered by name, type and a substring search
    (``server``: from that server, write target or not)."""
    items, total = await zones.list_records(
        multi=multi,
        cache=context.zone_cache,
        zone=zone,
        name=name,
        rtype=type,
        search=search,
        page=page,
        per_page=per_page,
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.post(
    "/{zone}",
    status_code=201,
    responses=fan_out_responses(RecordCreated, RecordCreatedPartial, status=201),
)
async def create_record(
    zone: str,
    body: RecordCreate,
    pipeline: PipelineDep,
    context: ContextDep,
    scope: WriteScopeDep,
    _user: ZoneWriter,
    on_partial_failure: PartialFailurePolicy | None = None,
    ptr_upkeep: PtrOption = None,
) -> JSONResponse:
    """Add one record to its RRset on every target; existing records stay.

    Without ``ttl`` an existing RRset keeps its TTL; the answer says the TTL in force.
    """
    change = changes.add_record_change(
        zone=zone, name=body.name, rtype=body.type, content=body.content, ttl=body.ttl
    )
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    written = next((r.value.after for r in outcome.results if r.success and r.value), [])
    record = change.record.public() | ({"ttl": written[0]["ttl"]} if written else {})
    record |= await follow_ptr(ptr_upkeep, context, scope, outcome)
    return multi_response(outcome, action="create", noun="Record", body=record, success_status=201)


@router.put(
    "/{zone}/{name}/{type}", responses=fan_out_responses(RecordUpdated, RecordUpdatedPartial)
)
async def update_record(
    zone: str,
    name: str,
    type: str,
    body: RecordUpdate,
    pipeline: PipelineDep,
    context: ContextDep,
    scope: WriteScopeDep,
    _user: ZoneWriter,
    on_partial_failure: PartialFailurePolicy | None = None,
    ptr_upkeep: PtrOption = None,
) -> JSONResponse:
    """Replace ``old_content`` with ``content``; 409 when ``old_content`` is gone."""
    change = changes.update_record_change(
        zone=zone,
        name=name,
        rtype=type,
        old_content=body.old_content,
        content=body.content,
        ttl=body.ttl,
    )
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    body_out = change.record.public() | ({"ttl": None} if body.ttl is None else {})
    body_out |= await follow_ptr(ptr_upkeep, context, scope, outcome)
    return multi_response(outcome, action="update", noun="Record", body=body_out)


@router.delete(
    "/{zone}/{name}/{type}", responses=fan_out_responses(RecordDeleted, RecordDeletedPartial)
)
async def delete_record(
    zone: str,
    name: str,
    type: str,
    pipeline: PipelineDep,
    context: ContextDep,
    scope: WriteScopeDep,
    _user: ZoneWriter,
    content: str | None = None,
    on_partial_failure: PartialFailurePolicy | None = None,
    ptr_upkeep: PtrOption = None,
) -> JSONResponse:
    """Remove the record with ``content``, or the whole RRset when ``content`` is omitted."""
    change = changes.delete_records_change(zone=zone, name=name, rtype=type, content=content)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    body = {"name": display(change.name), "type": change.type, "content": change.content}
    body |= await follow_ptr(ptr_upkeep, context, scope, outcome)
    return multi_response(outcome, action="delete", noun="Record", body=body)
