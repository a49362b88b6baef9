"""``/api/v1/servers/localhost/zones/{zone_id}/metadata``: PowerDNS's zone metadata routes,
read from the read server, written on every target through the write path."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from dnsmate.api.compat.deps import CompatMulti, CompatScope, CompatZoneOwner, CompatZoneReader
from dnsmate.api.compat.errors import CompatError, CompatRoute, write_response
from dnsmate.api.deps import PipelineDep
from dnsmate.schemas.compat_settings import PdnsMetadata
from dnsmate.services.write.zone_changes import SetZoneMetadata

router = APIRouter(
    prefix="/api/v1/servers/localhost/zones/{zone_id}/metadata", route_class=CompatRoute
)
JsonBody = Annotated[dict[str, Any], Body()]
# Metadata kinds are words and hyphens (ALSO-NOTIFY, X-CUSTOM-KIND): anything else never
# reaches a server's URL.
_KIND = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")


def _kind(kind: object) -> str:
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise CompatError(422, "Key 'kind' is not a metadata kind (letters, digits and '-')")
    return kind


def _metadata(kind: str, values: list[str]) -> dict[str, Any]:
    return {"kind": kind, "metadata": values, "type": "Metadata"}


def _values(body: dict[str, Any]) -> list[str]:
    values = body.get("metadata")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise CompatError(422, "Key 'metadata' not present or not an Array of Strings")
    return values


@router.get("", response_model=None, responses={200: {"model": list[PdnsMetadata]}})
async def read_metadata(access: CompatZoneReader, multi: CompatMulti) -> list[dict[str, Any]]:
    """Every metadata kind of the zone."""
    return await multi.read(lambda c: c.list_metadata(access.zone))


@router.post("", status_code=201, responses={201: {"model": PdnsMetadata}})
async def add_metadata(
    body: JsonBody, access: CompatZoneOwner, multi: CompatMulti, pipeline: PipelineDep,
    scope: CompatScope,
) -> Response:  # fmt: skip
    """Add values to a kind (existing ones stay) on every target."""
    kind = _kind(body.get("kind"))
    change = SetZoneMetadata(zone=access.zone, kind=kind, values=tuple(_values(body)), mode="add")
    outcome = await pipeline.run(change, scope=scope)
    if not (outcome.decision.durable and outcome.any_succeeded):
        return write_response(outcome, status=201, body=_metadata(kind, list(change.values)))
    values = await multi.read(lambda c: c.get_metadata(access.zone, kind))
    return write_response(outcome, status=201, body=_metadata(kind, values))


@router.get("/{kind}", response_model=None, responses={200: {"model": PdnsMetadata}})
async def read_metadata_kind(
    kind: str, access: CompatZoneReader, multi: CompatMulti
) -> dict[str, Any]:
    """One kind's values ([] when it is not set)."""
    kind = _kind(kind)
    return _metadata(kind, await multi.read(lambda c: c.get_metadata(access.zone, kind)))


@router.put("/{kind}", responses={200: {"model": PdnsMetadata}})
async def replace_metadata(
    kind: str, body: JsonBody, access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Replace one kind's values on every target."""
    values = _values(body)
    change = SetZoneMetadata(zone=access.zone, kind=_kind(kind), values=tuple(values))
    return write_response(
        await pipeline.run(change, scope=scope), status=200, body=_metadata(kind, values)
    )


@router.delete(
    "/{kind}",
    response_class=Response,
    responses={200: {"description": "Removed (no body, as PowerDNS answers)"}},
)
async def delete_metadata(
    kind: str, access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Remove one kind on every target."""
    change = SetZoneMetadata(zone=access.zone, kind=_kind(kind), mode="delete")
    return write_response(await pipeline.run(change, scope=scope), status=200)
