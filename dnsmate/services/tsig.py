"""TSIG keys: validation, the secret DNSMate makes, and reads from the read server.

The changes that create and delete keys on every server are in
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
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.tsig_changes import CreateTSIGKey

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


def create_change(*, name: str, algorithm: str, secret: str | None) -> CreateTSIGKey:
    """Validate input into a CreateTSIGKey; without ``secret`` DNSMate makes one (64 random
    bytes, base64), so every server gets the same."""
    algo = algorithm.strip().lower()
    if algo not in ALGORITHMS:
        raise InvalidInput("algorithm", f"use one of {', '.join(ALGORITHMS)}")
    if secret is None or not secret.strip():
        secret = base64.b64encode(secrets.token_bytes(64)).decode()
    else:
        try:
            base64.b64decode(secret.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(
                "secret", "the secret must be base64, as in a BIND key file"
            ) from exc
        secret = secret.strip()
    return CreateTSIGKey(name=validate_name(name), algorithm=algo, secret=secret)


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
