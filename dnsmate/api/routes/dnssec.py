"""DNSSEC signing of a zone on every target server, with the same keys everywhere."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate.api.deps import MultiPowerDNSDep, PipelineDep, WriteScopeDep, ZoneCreator, ZoneReader
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.schemas.dnssec import DNSSECEnable, DNSSECStatus
from dnsmate.schemas.writes import SigningChanged, SigningChangedPartial
from dnsmate.services.zonedata import dnssec

router = APIRouter(prefix="/zones", tags=["dnssec"])
_WRITE_RESPONSES = fan_out_responses(SigningChanged, SigningChangedPartial)


@router.get("/{zone}/dnssec", response_model=DNSSECStatus, response_model_exclude_unset=True)
async def read_dnssec(zone: str, multi: MultiPowerDNSDep, _user: ZoneReader) -> dict[str, Any]:
    """Keys per server, DS records for the registrar, and whether every DNSKEY set matches."""
    return await dnssec.dnssec_status(multi=multi, zone=zone)


@router.post("/{zone}/dnssec", responses=_WRITE_RESPONSES)
async def enable_dnssec(
    zone: str,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: ZoneCreator,
    body: DNSSECEnable | None = None,
) -> JSONResponse:
    """Sign the zone: one key made on the reference server, imported into every target."""
    options = body or DNSSECEnable()
    outcome = await dnssec.enable_dnssec(
        pipeline=pipeline, scope=scope, zone=zone, algorithm=options.algorithm, nsec3=options.nsec3
    )
    return multi_response(outcome.result, action="enable", noun="Signing", body=outcome.status)


@router.delete("/{zone}/dnssec", responses=_WRITE_RESPONSES)
async def disable_dnssec(
    zone: str, pipeline: PipelineDep, scope: WriteScopeDep, _user: ZoneCreator
) -> JSONResponse:
    """Stop signing the zone on every target (remove the DS at the registrar first)."""
    outcome = await dnssec.disable_dnssec(pipeline=pipeline, scope=scope, zone=zone)
    return multi_response(outcome.result, action="disable", noun="Signing", body=outcome.status)
