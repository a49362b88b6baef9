"""``/api/v1/servers/localhost/zones/{zone_id}/cryptokeys``: DNSSEC keys, one set for all.

Reads come from the read server. A write is made by the reference PowerDNS server (its
checks, messages and key ids) and then copied to every target, so all of them sign with
the same keys (``services.pdns_compat_keys``). Writing keys needs the role that may sign a
zone on DNSMate's own API (admin or editor); a key's ``privatekey`` is shown to them only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from dnsmate.api.compat.deps import CompatMulti, CompatScope, CompatZoneOwner, CompatZoneReader
from dnsmate.api.compat.errors import CompatRoute, write_response
from dnsmate.api.deps import PipelineDep
from dnsmate.schemas.compat import PdnsCryptokey
from dnsmate.services.access import permissions
from dnsmate.services.compat import pdns_compat_keys
from dnsmate.services.errors import PermissionDenied

router = APIRouter(
    prefix="/api/v1/servers/localhost/zones/{zone_id}/cryptokeys", route_class=CompatRoute
)
JsonBody = Annotated[dict[str, Any], Body()]


@router.get("", response_model=None, responses={200: {"model": list[PdnsCryptokey]}})
async def read_cryptokeys(access: CompatZoneReader, multi: CompatMulti) -> list[dict[str, Any]]:
    """The zone's keys, without private keys."""
    return await pdns_compat_keys.list_keys(multi=multi, zone=access.zone)


@router.post("", status_code=201, responses={201: {"model": PdnsCryptokey}})
async def create_cryptokey(
    body: JsonBody, access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Generate a key (or import one given ``privatekey``) and sign with it everywhere."""
    created, outcome = await pdns_compat_keys.write_key(
        pipeline=pipeline,
        scope=scope,
        zone=access.zone,
        request=lambda c: c.create_cryptokey(access.zone, body),
    )
    return write_response(outcome, status=201, body=created)


@router.get("/{key_id}", response_model=None, responses={200: {"model": PdnsCryptokey}})
async def read_cryptokey(
    key_id: int, access: CompatZoneReader, multi: CompatMulti
) -> dict[str, Any]:
    """One key; its ``privatekey`` for admins and editors only, not through a read-only
    token."""
    try:
        permissions.require_role(access.user, "admin", "editor")
        permissions.require_key_material(access.user)
        private = True
    except PermissionDenied:
        private = False
    return await pdns_compat_keys.read_key(
        multi=multi, zone=access.zone, key_id=key_id, private=private
    )


@router.put("/{key_id}", status_code=204)
async def update_cryptokey(
    key_id: int,
    body: JsonBody,
    access: CompatZoneOwner,
    pipeline: PipelineDep,
    scope: CompatScope,
) -> Response:
    """Activate or deactivate a key (``active``), publish it or not (``published``)."""
    _none, outcome = await pdns_compat_keys.write_key(
        pipeline=pipeline,
        scope=scope,
        zone=access.zone,
        request=lambda c: c.put_cryptokey(access.zone, key_id, body),
    )
    return write_response(outcome)


@router.delete("/{key_id}", status_code=204)
async def delete_cryptokey(
    key_id: int, access: CompatZoneOwner, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Delete the key on every target."""
    _none, outcome = await pdns_compat_keys.write_key(
        pipeline=pipeline,
        scope=scope,
        zone=access.zone,
        request=lambda c: c.delete_cryptokey(access.zone, key_id),
    )
    return write_response(outcome)
