"""TSIG keys: validation, the secret DNSMate makes, and reads from the read server.

The changes that create, update and delete keys on every server are in
``dnsmate.services.write.tsig_changes``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

import dns.exception
import dns.name

from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.services.errors import Conflict, InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.tsig_changes import CreateTSIGKey, UpdateTSIGKey

ALGORITHMS = ("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224", "hmac-sha1", "hmac-md5")


def check_name(name: str, field: str = "name") -> str:
    """A key name as given, checked (``field`` names it in InvalidInput): a DNS name,
    without the trailing dot."""
    text = name.strip().rstrip(".")
    if not text or any(c.isspace() or c in "/\\" for c in text):
        raise InvalidInput(field, "a TSIG key name is a DNS name such as xfr-key or xfr.example")
    try:
        dns.name.from_text(text, origin=dns.name.root)
    except dns.exception.DNSException as exc:
        raise InvalidInput(field, f"{name!r} is not a valid key name: {exc}") from exc
    return text


def validate_name(name: str) -> str:
    """A key name as DNSMate creates and finds it: checked, lower-case."""
    return check_name(name).lower()


def check_algorithm(algorithm: str) -> str:
    """An algorithm name DNSMate and PowerDNS know, lower-case."""
    algo = algorithm.strip().lower()
    if algo not in ALGORITHMS:
        raise InvalidInput("algorithm", f"use one of {', '.join(ALGORITHMS)}")
    return algo


def check_secret(secret: str) -> str:
    """A secret given in base64 (as in a BIND key file), stripped."""
    if not secret.strip():
        raise InvalidInput("secret", "the secret is empty")
    try:
        base64.b64decode(secret.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("secret", "the secret must be base64, as in a BIND key file") from exc
    return secret.strip()


def create_change(*, name: str, algorithm: str, secret: str | None) -> CreateTSIGKey:
    """Validate input into a CreateTSIGKey; without ``secret`` DNSMate makes one (64 random
    bytes, base64), so every server gets the same."""
    algo = check_algorithm(algorithm)
    secret = new_secret() if secret is None or not secret.strip() else check_secret(secret)
    return CreateTSIGKey(name=validate_name(name), algorithm=algo, secret=secret)


def new_secret() -> str:
    """A secret for a key: 64 random bytes, base64."""
    return base64.b64encode(secrets.token_bytes(64)).decode()


async def update_change(
    *,
    multi: MultiPowerDNSService,
    name: str,
    new_name: str | None,
    algorithm: str | None,
    secret: str | None,
) -> tuple[UpdateTSIGKey, dict[str, Any]]:
    """An UpdateTSIGKey for the key ``name`` (None: that field stays) and the key as it will
    be (with its secret), checked against the read server: NotFound when the key is not
    there, Conflict when ``new_name`` names another key (PowerDNS would hold two keys of
    one name)."""
    current = await read_secret(multi=multi, name=name)
    target = validate_name(new_name) if new_name is not None else current["name"]
    algo = check_algorithm(algorithm) if algorithm is not None else None
    key = check_secret(secret) if secret is not None else None
    if target != current["name"]:
        try:
            await read_secret(multi=multi, name=target)
        except NotFound:
            pass
        else:
            raise Conflict(f"A TSIG key named {target} exists already")
    change = UpdateTSIGKey(name=current["name"], new_name=target, algorithm=algo, secret=key)
    after = {"name": target, "id": f"{target}.", "algorithm": algo or current["algorithm"],
             "secret": key or current["secret"]}  # fmt: skip
    return change, after


async def list_keys(*, multi: MultiPowerDNSService) -> list[dict[str, Any]]:
    """Every TSIG key on the read server, without secrets."""
    keys = await multi.read(lambda c: c.list_tsigkeys())
    return sorted(
        ({"name": k["name"], "id": k["id"], "algorithm": k["algorithm"]} for k in keys),
        key=lambda k: k["name"],
    )


async def read_secret(*, multi: MultiPowerDNSService, name: str) -> dict[str, Any]:
    """One key with its secret, from the read server (admins only; the caller audits)."""
    key_name = validate_name(name)
    try:
        key = await multi.read(lambda c: c.get_tsigkey(f"{key_name}."))
    except PowerDNSNotFound as exc:
        raise NotFound(f"TSIG key {key_name} not found") from exc
    return {"name": key["name"], "id": key["id"], "algorithm": key["algorithm"],
            "secret": key["key"]}  # fmt: skip
