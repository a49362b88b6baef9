"""``/api/v1/servers/localhost/zones``: PowerDNS 4.x zone semantics over every target server.

Reads come from the read server; writes run through the one write path (audit, versions,
retry queue) on every target and succeed when at least one server applied them, with the
per-server outcome in the ``X-DNSMate-Servers`` header.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from dnsmate.api.compat.deps import (
    ApiKeyUser,
    CompatMulti,
    CompatScope,
    CompatZoneCreator,
    CompatZoneOwner,
    CompatZoneReader,
    CompatZoneWriter,
)
from dnsmate.api.compat.errors import (
    CompatError,
    CompatRoute,
    fanout_response,
    server_answer,
    write_response,
)
from dnsmate.api.deps import PipelineDep, SessionDep
from dnsmate.schemas.compat import PdnsResult, PdnsZone, PdnsZoneFile
from dnsmate.services.access import permissions
from dnsmate.services.compat import pdns_compat, pdns_compat_keys
from dnsmate.services.write.changes import CreateZone, DeleteZone
from dnsmate.services.write.zone_changes import NotifyZone
from dnsmate.services.zonedata import soa

router = APIRouter(prefix="/api/v1/servers/localhost/zones", route_class=CompatRoute)
JsonBody = Annotated[dict[str, Any], Body()]
_EXPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "model": PdnsZoneFile,
        "content": {"text/plain": {"schema": {"type": "string"}}},
        "description": "The zone file (as JSON when the client accepts JSON)",
    }
}


@router.get("", response_model=None, responses={200: {"model": list[PdnsZone]}})
async def read_zones(
    multi: CompatMulti,
    session: SessionDep,
    user: ApiKeyUser,
    zone: str | None = None,
    dnssec: str = "true",
) -> list[dict[str, Any]]:
    """Zones (without RRsets) the token may see; ``?zone=NAME.`` for one; ``?dnssec=false``
    leaves out ``dnssec`` and ``edited_serial`` (faster, as on PowerDNS)."""
    allowed = await permissions.granted_zones(session=session, user=user)
    with_dnssec = dnssec != "false"  # PowerDNS's rule: anything but "false" is true
    # The server filters by ``zone`` itself: only then does PowerDNS 4.7 fill ``catalog``.
    one = None if zone is None else pdns_compat.canonical_name(zone, "zone")
    zones = await multi.read(lambda c: c.list_zones(dnssec=with_dnssec, zone=one))
    return pdns_compat.filter_zones(zones, zone=zone, allowed=allowed)


@router.post("", status_code=201, responses={201: {"model": PdnsZone}})
async def create_zone(
    body: JsonBody,
    multi: CompatMulti,
    pipeline: PipelineDep,
    scope: CompatScope,
    session: SessionDep,
    _user: CompatZoneCreator,
    rrsets: bool = True,
) -> Response:
    """Create a zone (with ``rrsets`` or ``nameservers``) on every target server, signed
    with one key set with ``dnssec: true``; the new zone is answered without its RRsets with
    ``?rrsets=false``."""
    payload = pdns_compat.create_payload(body)
    # Without an SOA in ``rrsets`` the zone gets DNSMate's SOA defaults (Settings).
    payload = soa.add_initial_soa(payload, layers=[await soa.get_defaults(session=session)])
    signing = pdns_compat.signing_payload(body, creating=True)
    outcome = await pipeline.run(CreateZone(zone=payload["name"], payload=payload), scope=scope)
    if signing and outcome.any_succeeded:
        outcome = await pdns_compat_keys.sign_zone(
            pipeline=pipeline, scope=scope, zone=payload["name"], signing=signing
        )
    if not (outcome.decision.durable and outcome.any_succeeded):
        # Failed, or only queued: no server to show the zone from yet.
        return write_response(
            outcome, status=201, body=pdns_compat.pending_zone(payload, rrsets=rrsets)
        )
    zone = await pdns_compat.created_zone(
        multi=multi, result=outcome.result, zone=payload["name"], rrsets=rrsets
    )
    return write_response(outcome, status=201, body=zone)


@router.get("/{zone_id}", response_model=None, responses={200: {"model": PdnsZone}})
async def read_zone(
    access: CompatZoneReader,
    multi: CompatMulti,
    rrsets: bool = True,
    rrset_name: str | None = None,
    rrset_type: str | None = None,
) -> dict[str, Any]:
    """One zone with its RRsets, optionally only those of ``rrset_name``/``rrset_type``
    (without disabled records then, as PowerDNS 4.7 answers such a read)."""
    name = None if rrset_name is None else pdns_compat.canonical_name(rrset_name, "rrset_name")
    zone = await multi.read(
        lambda c: c.get_zone(
            access.zone, rrsets=rrsets, rrset_name=name, rrset_type=rrset_type, disabled=False
        )
    )
    return pdns_compat.present_zone(zone, rrsets=rrsets)


@router.patch("/{zone_id}", status_code=204)
async def patch_zone(
    body: JsonBody, access: CompatZoneWriter, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """REPLACE and DELETE RRsets: atomic on each server, applied on every target."""
    if body.get("rrsets") == []:
        return Response(status_code=204)  # PowerDNS: nothing to do
    change = pdns_compat.patch_change(zone=access.zone, body=body)
    return write_response(await pipeline.run(change, scope=scope))


@router.put("/{zone_id}", status_code=204)
async def update_zone(
    body: JsonBody, access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Zone metadata: kind, masters, account, soa_edit, soa_edit_api, api_rectify; signing:
    dnssec and nsec3param (one key set on every target)."""
    payload = pdns_compat.update_payload(body)
    signing = pdns_compat.signing_payload(body, creating=False)
    if payload or not signing:
        change = pdns_compat.UpdateZone(zone=access.zone, payload=payload)
        outcome = await pipeline.run(change, scope=scope)
        if not (signing and outcome.decision.durable):
            return write_response(outcome)
    return write_response(
        await pdns_compat_keys.sign_zone(
            pipeline=pipeline, scope=scope, zone=access.zone, signing=signing
        )
    )


@router.delete("/{zone_id}", status_code=204)
async def delete_zone(
    access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Delete the zone from every target server (404 when no server has it)."""
    outcome = await pipeline.run(DeleteZone(zone=access.zone), scope=scope)
    if outcome.zone_absent_everywhere:
        raise CompatError(404, "Not Found")
    return write_response(outcome)


@router.get("/{zone_id}/export", responses=_EXPORT)
async def export_zone(request: Request, access: CompatZoneReader, multi: CompatMulti) -> Response:
    """The zone file from the read server (JSON ``{"zone": ...}`` when JSON is accepted)."""
    text = await multi.read(lambda c: c.export_zone(access.zone))
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"zone": text})
    return PlainTextResponse(text)


@router.put("/{zone_id}/notify", responses={200: {"model": PdnsResult}})
async def notify_zone(
    access: CompatZoneWriter, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Send NOTIFY from every target server (through the write pipeline, as /api's)."""
    outcome = await pipeline.run(NotifyZone(zone=access.zone), scope=scope)
    return write_response(outcome, status=200, body=server_answer(outcome))


@router.put("/{zone_id}/rectify", responses={200: {"model": PdnsResult}})
async def rectify_zone(access: CompatZoneWriter, multi: CompatMulti) -> Response:
    """Rectify the zone on every target server."""
    result = await pdns_compat.rectify(multi=multi, zone=access.zone)
    return fanout_response(result, status=200, body={"result": "Rectified"})
