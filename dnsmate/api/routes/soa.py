"""The SOA: defaults for new zones (Settings > Zone defaults) and a zone's SOA form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    AdminUser,
    AuditDep,
    CurrentUser,
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
from dnsmate.schemas.soa import SoaDefaultsPublic, SoaFields, SoaPublic
from dnsmate.schemas.zone_writes import SoaChanged, SoaChangedPartial
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.rrset_changes import SetSOA
from dnsmate.services.zonedata import soa
from dnsmate.services.zonedata.zones import validate_zone_name

router = APIRouter(tags=["soa"])


@router.get("/settings/soa", response_model=SoaDefaultsPublic)
async def read_soa_defaults(session: SessionDep, _user: CurrentUser) -> dict[str, Any]:
    """The SOA fields new zones start with (null: the built-in default, listed in ``builtin``)."""
    stored = await soa.get_defaults(session=session)
    return stored | {"builtin": soa.builtin_defaults()}


@router.put("/settings/soa", response_model=SoaDefaultsPublic)
async def update_soa_defaults(
    body: SoaFields, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Store every SOA default (a null field: back to the built-in default)."""
    before = await soa.get_defaults(session=session)
    after = await soa.set_defaults(session=session, fields=body.model_dump())
    await audit.record("settings.soa.update", target="SOA defaults", before=before, after=after)
    return after | {"builtin": soa.builtin_defaults()}


@router.get("/zones/{zone}/soa", response_model=SoaPublic)
async def read_zone_soa(zone: str, multi: MultiPowerDNSDep, _user: ZoneReader) -> dict[str, Any]:
    """The zone's SOA fields from the read server (each server keeps its own serial)."""
    return await soa.read_zone_soa(multi=multi, zone=zone)


@router.put("/zones/{zone}/soa", responses=fan_out_responses(SoaChanged, SoaChangedPartial))
async def update_zone_soa(
    zone: str,
    body: SoaFields,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: ZoneWriter,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Set the given SOA fields on every target; the serial moves by SOA-EDIT-API."""
    fields = soa.normalize_fields(body.model_dump())
    change = SetSOA(zone=fqdn(validate_zone_name(zone)), **fields)
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    return multi_response(
        outcome, action="update", noun="SOA", body={"zone": display(change.zone), **fields}
    )
