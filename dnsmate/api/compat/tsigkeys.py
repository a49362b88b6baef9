"""``/api/v1/servers/localhost/tsigkeys``: PowerDNS's TSIG key routes (admin tokens), the
same key and secret created on every target through the write path."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from dnsmate.api.compat.deps import CompatAdmin, CompatMulti, CompatScope
from dnsmate.api.compat.errors import CompatError, CompatRoute, write_response
from dnsmate.api.deps import AuditDep, PipelineDep
from dnsmate.schemas.compat_settings import PdnsTSIGKey
from dnsmate.services import tsig
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.tsig_changes import DeleteTSIGKey

router = APIRouter(prefix="/api/v1/servers/localhost/tsigkeys", route_class=CompatRoute)
JsonBody = Annotated[dict[str, Any], Body()]


def _key(name: str, algorithm: str, secret: str = "") -> dict[str, Any]:
    return {"name": name, "id": f"{name}.", "algorithm": algorithm, "key": secret,
            "type": "TSIGKey"}  # fmt: skip


def _name(key_id: str) -> str:
    try:
        return tsig.validate_name(key_id)
    except InvalidInput as exc:
        raise CompatError(404, "Not Found") from exc


@router.get("", response_model=None, responses={200: {"model": list[PdnsTSIGKey]}})
async def read_tsigkeys(_user: CompatAdmin, multi: CompatMulti) -> list[dict[str, Any]]:
    """Every key, without secrets."""
    return [_key(k["name"], k["algorithm"]) for k in await tsig.list_keys(multi=multi)]


@router.post("", status_code=201, responses={201: {"model": PdnsTSIGKey}})
async def create_tsigkey(
    body: JsonBody, _user: CompatAdmin, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Create a key (``key``: import that secret) with the same secret on every target."""
    name, algorithm = body.get("name"), body.get("algorithm") or "hmac-md5"
    if not isinstance(name, str) or not isinstance(algorithm, str):
        raise CompatError(422, "Key 'name' not present or not a String")
    secret = body.get("key")
    change = tsig.create_change(
        name=name, algorithm=algorithm, secret=secret if isinstance(secret, str) else None
    )
    outcome = await pipeline.run(change, scope=scope)
    body_out = _key(change.name, change.algorithm, change.secret or "")
    return write_response(outcome, status=201, body=body_out)


@router.get("/{key_id}", response_model=None, responses={200: {"model": PdnsTSIGKey}})
async def read_tsigkey(
    key_id: str, _user: CompatAdmin, multi: CompatMulti, audit: AuditDep
) -> dict[str, Any]:
    """One key with its secret (in the audit log)."""
    key = await tsig.read_secret(multi=multi, name=_name(key_id))
    await audit.record("tsigkey.reveal", target=f"TSIG key {key['name']}")
    return _key(key["name"], key["algorithm"], key["secret"])


@router.delete("/{key_id}", status_code=204)
async def delete_tsigkey(
    key_id: str, _user: CompatAdmin, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Delete the key on every target."""
    return write_response(await pipeline.run(DeleteTSIGKey(name=_name(key_id)), scope=scope))
