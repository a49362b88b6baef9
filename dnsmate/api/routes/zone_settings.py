"""A zone's settings after creation (kind, masters, SOA-EDIT-API, catalog, metadata), a
catalog's members, NOTIFY and "retrieve from master", on every target server."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    MultiPowerDNSDep,
    PipelineDep,
    SessionDep,
    WriteScopeDep,
    ZoneCreator,
    ZoneReader,
    ZoneWriter,
)
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display
from dnsmate.schemas.zone_settings import (
    CatalogMembersPublic,
    ZoneSettingsPublic,
    ZoneSettingsUpdate,
)
from dnsmate.schemas.zone_writes import (
    ZoneActionDone,
    ZoneActionDonePartial,
    ZoneSettingsChanged,
    ZoneSettingsChangedPartial,
)
from dnsmate.services.access import permissions
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.zone_changes import NotifyZone, RetrieveZone, UpdateZoneSettings
from dnsmate.services.zonedata import catalog, zone_settings
from dnsmate.services.zonedata.zones import validate_zone_name

router = APIRouter(prefix="/zones", tags=["zone settings"])
_ACTION = fan_out_responses(ZoneActionDone, ZoneActionDonePartial)


@router.get("/{zone}/settings", response_model=ZoneSettingsPublic)
async def read_zone_settings(
    zone: str, multi: MultiPowerDNSDep, _user: ZoneReader
) -> dict[str, Any]:
    """Kind, masters, SOA-EDIT-API, catalog and metadata, from the read server."""
    return await zone_settings.read_settings(multi=multi, zone=zone)


@router.get("/{zone}/members", response_model=CatalogMembersPublic)
async def read_catalog_members(
    zone: str, multi: MultiPowerDNSDep, session: SessionDep, user: ZoneReader
) -> dict[str, Any]:
    """The member zones of a Producer (catalog) zone that the caller may read (one read per
    Master zone on the read server: PowerDNS 4.7's zone list has no catalog)."""
    only = await permissions.granted_zones(session=session, user=user)
    return await catalog.list_members(multi=multi, catalog=validate_zone_name(zone), only=only)


@router.put(
    "/{zone}/settings",
    responses=fan_out_responses(ZoneSettingsChanged, ZoneSettingsChangedPartial),
)
async def update_zone_settings(
    zone: str,
    body: ZoneSettingsUpdate,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: ZoneCreator,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Set the given settings on every target (admins and editors); ``catalog`` makes the
    zone a member of that Producer zone ("" takes it out)."""
    name = validate_zone_name(zone)
    fields = await zone_settings.validate_settings(
        multi=multi, zone=name, kind=body.kind, masters=body.masters,
        soa_edit_api=body.soa_edit_api, catalog=body.catalog,
    )  # fmt: skip
    metadata = zone_settings.validate_all_metadata(body.metadata)
    change = UpdateZoneSettings(zone=name, fields=fields, metadata=metadata)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    body_out = {"name": display(name), **fields, "metadata": metadata}
    if fields.get("catalog"):
        body_out["catalog"] = display(fields["catalog"])
    return multi_response(outcome, action="update", noun="Zone settings", body=body_out)


@router.post("/{zone}/notify", responses=_ACTION)
async def notify_zone(
    zone: str, pipeline: PipelineDep, scope: WriteScopeDep, _user: ZoneWriter
) -> JSONResponse:
    """Send NOTIFY to the zone's secondaries from every target (Master zones)."""
    change = NotifyZone(zone=validate_zone_name(zone))
    outcome = await pipeline.run(change, scope=scope)
    return multi_response(outcome, action="notify", noun="Zone", body={"name": display(zone)})


@router.post("/{zone}/axfr-retrieve", responses=_ACTION)
async def retrieve_zone(
    zone: str, pipeline: PipelineDep, scope: WriteScopeDep, _user: ZoneWriter
) -> JSONResponse:
    """Transfer the zone from its masters now on every target (Slave zones)."""
    change = RetrieveZone(zone=validate_zone_name(zone))
    outcome = await pipeline.run(change, scope=scope)
    return multi_response(outcome, action="retrieve", noun="Zone", body={"name": display(zone)})
