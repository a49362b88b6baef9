"""Records: each change is a delta applied to every target server's own RRset."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from dnsmate.api.deps import ContextDep, MultiPowerDNSDep, ZoneReader, ZoneWriter
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import absolute_name, display
from dnsmate.schemas.records import DEFAULT_TTL, RecordCreate, RecordsPublic, RecordUpdate
from dnsmate.services import records, zones

router = APIRouter(prefix="/records", tags=["records"])
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {207: {}, 400: {}, 404: {}, 409: {}, 422: {}}


@router.get("/{zone}", response_model=RecordsPublic)
async def read_records(
    zone: str,
    multi: MultiPowerDNSDep,
    context: ContextDep,
    _user: ZoneReader,
    name: str | None = None,
    type: str | None = None,
    search: str | None = None,
    page: int = Query(1, ge=1),
    per_page: int = Query(100, ge=1, le=1000),
) -> dict[str, Any]:
    """One page of the zone's records, filtered by name, type and a substring search."""
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


@router.post("/{zone}", status_code=201, responses=_WRITE_RESPONSES)
async def create_record(
    zone: str, body: RecordCreate, multi: MultiPowerDNSDep, _user: ZoneWriter
) -> JSONResponse:
    """Add one record to its RRset on every target; existing records stay."""
    record = records.build_record(
        zone=zone, name=body.name, rtype=body.type, content=body.content, ttl=body.ttl
    )
    result = await records.add_record(multi=multi, zone=zone, record=record)
    return multi_response(
        result, action="create", noun="Record", body=record.public(), success_status=201
    )


@router.put("/{zone}/{name}/{type}", responses=_WRITE_RESPONSES)
async def update_record(
    zone: str, name: str, type: str, body: RecordUpdate, multi: MultiPowerDNSDep, _user: ZoneWriter
) -> JSONResponse:
    """Replace ``old_content`` with ``content``; 409 when ``old_content`` is gone."""
    record = records.build_record(
        zone=zone, name=name, rtype=type, content=body.content, ttl=body.ttl or DEFAULT_TTL
    )
    result = await records.update_record(
        multi=multi,
        zone=zone,
        old_content=body.old_content,
        record=record,
        keep_ttl=body.ttl is None,
    )
    body_out = record.public() | ({"ttl": None} if body.ttl is None else {})
    return multi_response(result, action="update", noun="Record", body=body_out)


@router.delete("/{zone}/{name}/{type}", responses=_WRITE_RESPONSES)
async def delete_record(
    zone: str,
    name: str,
    type: str,
    multi: MultiPowerDNSDep,
    _user: ZoneWriter,
    content: str | None = None,
) -> JSONResponse:
    """Remove the record with ``content``, or the whole RRset when ``content`` is omitted."""
    result = await records.delete_records(
        multi=multi, zone=zone, name=name, rtype=type, content=content
    )
    body = {"name": display(absolute_name(name, zone)), "type": type.upper(), "content": content}
    return multi_response(result, action="delete", noun="Record", body=body)
