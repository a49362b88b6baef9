"""``/api/v1/servers/localhost/tsigkeys``: PowerDNS's TSIG key routes (admin tokens), the
same key and secret created, changed and deleted on every target through the write path."""

from __future__ import annotations

from typing import Annotated, Any

import dns.exception
import dns.name
from fastapi import APIRouter, Body, Response

from dnsmate.api.compat.deps import CompatAdmin, CompatMulti, CompatScope
from dnsmate.api.compat.errors import CompatError, CompatRoute, write_response
from dnsmate.api.deps import AuditDep, PipelineDep
from dnsmate.schemas.compat_settings import PdnsTSIGKey
from dnsmate.services.access import permissions
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.write.tsig_changes import DeleteTSIGKey
from dnsmate.services.zonedata import tsig

router = APIRouter(prefix="/api/v1/servers/localhost/tsigkeys", route_class=CompatRoute)
JsonBody = Annotated[dict[str, Any], Body()]


def _key(name: str, algorithm: str, secret: str = "") -> dict[str, Any]:
    return {"name": name, "id": f"{name}.", "algorithm": algorithm, "key": secret,
            "type": "TSIGKey"}  # fmt: skip


def _name(key_id: str) -> str:
    """The key named by ``key_id``, refused as PowerDNS refuses it: 422 when the id is no
    DNS name at all, 404 when it is one no key can have (DNSMate refuses to create those)."""
    try:
        return tsig.validate_name(key_id)
    except InvalidInput as exc:
        try:
            dns.name.from_text(key_id, origin=dns.name.root)
        except dns.exception.DNSException:
            raise CompatError(422, f"Unable to parse DNS Name '{key_id}'") from exc
        raise _not_found(key_id) from exc


def _not_found(key_id: str) -> CompatError:
    """PowerDNS's 404, naming the key as it prints DNS names (a space as ``\\032``)."""
    shown = dns.name.from_text(key_id, origin=dns.name.root).to_text(omit_final_dot=True)
    return CompatError(404, f"TSIG key with name '{shown}' not found")


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
    key_id: str, user: CompatAdmin, multi: CompatMulti, audit: AuditDep
) -> dict[str, Any]:
    """One key with its secret (not through a read-only token; in the audit log)."""
    permissions.require_key_material(user)
    try:
        key = await tsig.read_secret(multi=multi, name=_name(key_id))
    except NotFound as exc:
        raise _not_found(key_id) from exc
    await audit.record("tsigkey.reveal", target=f"TSIG key {key['name']}")
    return _key(key["name"], key["algorithm"], key["secret"])


@router.put("/{key_id}", response_model=None, responses={200: {"model": PdnsTSIGKey}})
async def update_tsigkey(
    key_id: str,
    body: Annotated[Any, Body()],
    _user: CompatAdmin,
    multi: CompatMulti,
    pipeline: PipelineDep,
    scope: CompatScope,
) -> Response:
    """Rename the key or change its ``algorithm`` or ``key`` on every target (fields not
    given, or not strings, stay: PowerDNS ignores them too)."""
    fields = body if isinstance(body, dict) else {}

    def text(field: str) -> str | None:
        value = fields.get(field)
        return value if isinstance(value, str) else None

    name, algorithm, secret = text("name"), text("algorithm"), text("key")
    try:
        change, after = await tsig.update_change(
            multi=multi, name=_name(key_id), new_name=name, algorithm=algorithm, secret=secret
        )
    except NotFound as exc:
        raise _not_found(key_id) from exc
    except InvalidInput as exc:  # PowerDNS's own messages for what it refuses too
        if exc.field == "algorithm":
            raise CompatError(422, f"Unknown TSIG algorithm: {algorithm}") from exc
        if exc.field == "secret":
            raise CompatError(422, f"Can not base64 decode key content '{secret}'") from exc
        raise
    outcome = await pipeline.run(change, scope=scope)
    return write_response(
        outcome, status=200, body=_key(after["name"], after["algorithm"], after["secret"])
    )


@router.delete("/{key_id}", status_code=204)
async def delete_tsigkey(
    key_id: str, _user: CompatAdmin, pipeline: PipelineDep, scope: CompatScope
) -> Response:
    """Delete the key on every target; 404 as PowerDNS answers when no server had it."""
    outcome = await pipeline.run(DeleteTSIGKey(name=_name(key_id)), scope=scope)
    if outcome.results and all(r.success and r.value and not r.value.changed
                               for r in outcome.results):  # fmt: skip
        raise _not_found(key_id)
    return write_response(outcome)
