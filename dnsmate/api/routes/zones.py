"""Zones on the target PowerDNS servers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    CurrentUser,
    MultiPowerDNSDep,
    PipelineDep,
    ReadServersDep,
    SessionDep,
    WriteScopeDep,
    ZoneCreator,
    ZoneReader,
    ZoneWriter,
)
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display
from dnsmate.schemas.common import Page
from dnsmate.schemas.records import PtrResult
from dnsmate.schemas.writes import ZoneCreated, ZoneCreatedPartial, ZoneDeleted, ZoneDeletedPartial
from dnsmate.schemas.zones import ZoneClone, ZoneCreate, ZoneDetail, ZonesPublic
from dnsmate.services.access import permissions
from dnsmate.services.errors import NotFound
from dnsmate.services.sync import drift
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.changes import CreateZone, DeleteZone
from dnsmate.services.zonedata import catalog, clone, ptr, templates, zones

router = APIRouter(prefix="/zones", tags=["zones"])


@router.get("", response_model=ZonesPublic)
async def read_zones(
    multi: ReadServersDep,
    session: SessionDep,
    user: CurrentUser,
    page: Page = 1,
    per_page: int = Query(50, ge=1, le=1000),
    search: str | None = None,
) -> dict[str, Any]:
    """One page of zones, sorted by name; ``search`` filters by substring of the name;
    ``server`` lists that server's zones (write target or not) instead of the targets'."""
    allowed = await permissions.granted_zones(session=session, user=user)
    items, total = await zones.list_zones(
        multi=multi, search=search, page=page, per_page=per_page, only=allowed
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@router.post(
    "", status_code=201, responses=fan_out_responses(ZoneCreated, ZoneCreatedPartial, status=201)
)
async def create_zone(
    body: ZoneCreate,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    session: SessionDep,
    _user: ZoneCreator,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Create a zone on every target server (201, 207 on partial success, 400 on none).

    With ``template_id`` the zone starts with the template's records, name servers (unless
    given) and SOA-EDIT-API.
    """
    payload, template = await templates.zone_request(session=session, data=body)
    change = CreateZone(zone=payload["name"], payload=payload)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    zone = {
        "name": display(payload["name"]),
        "kind": payload["kind"],
        "nameservers": payload["nameservers"],
        "masters": body.masters,
        "template": template.name if template else None,
    }
    return multi_response(outcome, action="create", noun="Zone", body=zone, success_status=201)


@router.get("/{zone}", response_model=ZoneDetail)
async def read_zone(
    zone: str, multi: ReadServersDep, session: SessionDep, user: ZoneReader
) -> dict[str, Any]:
    """Zone metadata and apex name servers, from the read server (or ``server``), and what
    the caller may do in the zone; for admins, the zone in the last sync status check
    (``drift``)."""
    detail = await zones.get_zone(multi=multi, zone=zone)
    if permissions.is_admin(user):
        detail["drift"] = await drift.last_check(session=session, zone=zone)
    powers = permissions.zone_powers(user)
    return {
        **detail,
        "can_write_records": powers["write_records"],
        "can_manage_zone": powers["manage_zone"],
    }


@router.post(
    "/{zone}/clone",
    status_code=201,
    responses=fan_out_responses(ZoneCreated, ZoneCreatedPartial, status=201),
)
async def clone_zone(
    zone: str,
    body: ZoneClone,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _creator: ZoneCreator,
    user: ZoneReader,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Create ``name`` on every target with a copy of this zone's records (201/207/400).

    Names inside this zone, as owners and in record content, move to the new zone; DNSSEC
    keys and metadata are not copied. Needs the editor or admin role and read access to
    this zone.
    """
    permissions.require_writable(user)
    change = await clone.clone_change(multi=multi, source=zone, name=body.name, kind=body.kind)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    payload = change.payload
    apex_ns = [s for s in payload["rrsets"] if (s["name"], s["type"]) == (payload["name"], "NS")]
    created = {
        "name": display(payload["name"]),
        "kind": payload["kind"],
        "nameservers": sorted(r["content"] for s in apex_ns for r in s["records"]),
        "masters": [],
        "template": None,
    }
    return multi_response(outcome, action="create", noun="Zone", body=created, success_status=201)


@router.post("/{zone}/ptr", response_model=PtrResult)
async def create_zone_ptrs(
    zone: str, pipeline: PipelineDep, scope: WriteScopeDep, _user: ZoneWriter
) -> dict[str, Any]:
    """Add the PTR of every A/AAAA record of the zone to the reverse zones DNSMate manages.

    One change per reverse zone, on every target; ``notes`` names the addresses without a
    managed (or writable) reverse zone.
    """
    return await ptr.create_zone_ptrs(pipeline=pipeline, scope=scope, zone=zone)


@router.delete("/{zone}", responses=fan_out_responses(ZoneDeleted, ZoneDeletedPartial))
async def delete_zone(
    zone: str,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: ZoneCreator,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Delete a zone from every target server (409 for a catalog that still has members)."""
    name = zones.validate_zone_name(zone)
    await catalog.check_deletable(multi=multi, zone=name)
    change = DeleteZone(zone=name)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    if outcome.zone_absent_everywhere:
        raise NotFound(f"Zone {display(zone)} not found on any server")
    return multi_response(outcome, action="delete", noun="Zone", body={"name": display(zone)})
