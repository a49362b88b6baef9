"""TSIG keys on every target server (admins): list, create or import, reveal, change
(rename, algorithm, set or rotate the secret), delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate.api.deps import (
    AdminUser,
    AuditDep,
    MultiPowerDNSDep,
    PipelineDep,
    WriteScopeDep,
    ZoneCreator,
)
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.schemas.tsig import (
    TSIGKeyCreate,
    TSIGKeyCreated,
    TSIGKeyCreatedPartial,
    TSIGKeyDeleted,
    TSIGKeyDeletedPartial,
    TSIGKeySecret,
    TSIGKeysPublic,
    TSIGKeyUpdate,
    TSIGKeyUpdated,
    TSIGKeyUpdatedPartial,
)
from dnsmate.services.access import permissions
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.tsig_changes import DeleteTSIGKey
from dnsmate.services.zonedata import tsig

router = APIRouter(prefix="/tsigkeys", tags=["tsig keys"])


@router.get("", response_model=TSIGKeysPublic)
async def read_tsigkeys(multi: MultiPowerDNSDep, _user: ZoneCreator) -> dict[str, Any]:
    """Every TSIG key (names and algorithms, no secrets), from the read server."""
    return {"items": await tsig.list_keys(multi=multi)}


@router.post(
    "",
    status_code=201,
    responses=fan_out_responses(TSIGKeyCreated, TSIGKeyCreatedPartial, status=201),
)
async def create_tsigkey(
    body: TSIGKeyCreate, pipeline: PipelineDep, scope: WriteScopeDep, _user: AdminUser
) -> JSONResponse:
    """Create (or, with ``secret``, import) a key with the same secret on every target."""
    change = tsig.create_change(name=body.name, algorithm=body.algorithm, secret=body.secret)
    outcome = await pipeline.run(change, scope=scope)
    out = {"name": change.name, "algorithm": change.algorithm, "secret": change.secret}
    return multi_response(outcome, action="create", noun="TSIG key", body=out, success_status=201)


@router.get("/{name}/secret", response_model=TSIGKeySecret)
async def reveal_tsigkey(
    name: str, multi: MultiPowerDNSDep, audit: AuditDep, user: AdminUser
) -> dict[str, Any]:
    """The key with its secret (admins, not through a read-only token; every reveal is in
    the audit log)."""
    permissions.require_key_material(user)
    key = await tsig.read_secret(multi=multi, name=name)
    await audit.record("tsigkey.reveal", target=f"TSIG key {key['name']}")
    return key


@router.put("/{name}", responses=fan_out_responses(TSIGKeyUpdated, TSIGKeyUpdatedPartial))
async def update_tsigkey(
    name: str,
    body: TSIGKeyUpdate,
    multi: MultiPowerDNSDep,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: AdminUser,
) -> JSONResponse:
    """Rename the key, change its algorithm, or set (``secret``) or rotate (``rotate``) its
    secret, the same on every target; fields left out stay. A new secret is answered once;
    secondaries using the key need it too (a rotation breaks their transfers until then)."""
    if body.rotate and body.secret is not None:
        raise InvalidInput("rotate", "give a secret or ask for a new one (rotate), not both")
    if body.name is None and body.algorithm is None and body.secret is None and not body.rotate:
        raise InvalidInput("name", "nothing to change: give name, algorithm, secret or rotate")
    secret = tsig.new_secret() if body.rotate else body.secret
    change, after = await tsig.update_change(
        multi=multi, name=name, new_name=body.name, algorithm=body.algorithm, secret=secret
    )
    outcome = await pipeline.run(change, scope=scope)
    out = {"name": after["name"], "algorithm": after["algorithm"], "secret": change.secret}
    return multi_response(outcome, action="update", noun="TSIG key", body=out)


@router.delete("/{name}", responses=fan_out_responses(TSIGKeyDeleted, TSIGKeyDeletedPartial))
async def delete_tsigkey(
    name: str, pipeline: PipelineDep, scope: WriteScopeDep, _user: AdminUser
) -> JSONResponse:
    """Delete the key from every target (zones that name it in metadata stop using it)."""
    change = DeleteTSIGKey(name=tsig.validate_name(name))
    outcome = await pipeline.run(change, scope=scope)
    return multi_response(outcome, action="delete", noun="TSIG key", body={"name": change.name})
