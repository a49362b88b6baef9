"""TSIG keys for DNS UPDATE: created by a user (secret shown once), listed, revoked.

A key acts as the user who created it, narrowed to its zones: ``acting_user`` returns that
user carrying the narrowing as a ``TokenScope``, so the permission functions every API
route uses (``services.permissions``) decide what the key may change, with the user's role,
grants and any later limits. The secret is stored encrypted with the SecretBox (the HMAC
needs it back), never in plain text, and is readable only while DNSMATE_SECRET_KEY stays
the same.
"""

from __future__ import annotations

import base64
import secrets
from datetime import timedelta

import dns.exception
import dns.name
import dns.tsig
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc, utcnow
from dnsmate.models import DnsUpdateKey, TokenScope, User
from dnsmate.powerdns.names import fqdn
from dnsmate.security import SecretBox
from dnsmate.services.access import permissions
from dnsmate.services.errors import Conflict, InvalidInput, PermissionDenied

# The HMAC algorithms a key may use (RFC 8945; HMAC-MD5 is obsolete and not offered).
ALGORITHMS: dict[str, dns.name.Name] = {
    "hmac-sha1": dns.tsig.HMAC_SHA1,
    "hmac-sha224": dns.tsig.HMAC_SHA224,
    "hmac-sha256": dns.tsig.HMAC_SHA256,
    "hmac-sha384": dns.tsig.HMAC_SHA384,
    "hmac-sha512": dns.tsig.HMAC_SHA512,
}
DEFAULT_ALGORITHM = "hmac-sha256"
# Last-use times are written at most this often per key.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _key_name(name: str) -> str:
    text = name.strip().lower()
    if not text or text == ".":
        raise InvalidInput("name", "must not be empty")
    try:
        dns.name.from_text(text)
    except dns.exception.DNSException as exc:
        raise InvalidInput("name", f"not a valid key name: {exc}") from exc
    if "\\" in text or "/" in text or " " in text:
        raise InvalidInput("name", "use letters, digits, '-', '_' and '.' only")
    return fqdn(text)


def algorithm_name(algorithm: str) -> str:
    """The key's algorithm as users write it (``hmac-sha256``), InvalidInput if unknown."""
    value = algorithm.strip().lower().rstrip(".")
    if value not in ALGORITHMS:
        raise InvalidInput("algorithm", f"use one of {', '.join(ALGORITHMS)}")
    return value


async def create_key(
    *,
    session: AsyncSession,
    box: SecretBox,
    user: User,
    name: str,
    algorithm: str = DEFAULT_ALGORITHM,
    zones: list[str] | None = None,
) -> tuple[DnsUpdateKey, str]:
    """Create a key for ``user``; returns the row and the base64 secret (shown only now).

    The user must be able to change every listed zone (all zones: a role that writes).
    """
    if user.token_scope is not None:
        raise PermissionDenied("API tokens cannot create DNS update keys: log in to create one")
    key_name = _key_name(name)
    algo = algorithm_name(algorithm)
    zone_list = await permissions.credential_zones(
        session=session, user=user, zones=zones, write=True
    )
    if zone_list is None and user.role == "reader":
        raise PermissionDenied("Readers cannot change zones")
    if await session.scalar(select(DnsUpdateKey.id).where(DnsUpdateKey.name == key_name)):
        raise Conflict(f"A DNS update key named {key_name} exists already")
    # As long as the algorithm's digest, as RFC 8945 section 6 recommends.
    secret = base64.b64encode(secrets.token_bytes(_digest_size(algo))).decode()
    key = DnsUpdateKey(
        user_id=user.id,
        name=key_name,
        algorithm=algo,
        secret_encrypted=box.encrypt(secret),
        zones=zone_list,
    )
    session.add(key)
    await session.commit()
    return key, secret


def _digest_size(algorithm: str) -> int:
    return {"hmac-sha1": 20, "hmac-sha224": 28, "hmac-sha256": 32}.get(algorithm, 64)


async def list_keys(*, session: AsyncSession, user: User) -> list[DnsUpdateKey]:
    """The user's keys; an admin (logged in, not via a narrowed token) sees everyone's."""
    return await permissions.owned_rows(session=session, user=user, model=DnsUpdateKey)


async def revoke_key(*, session: AsyncSession, user: User, key_id: int) -> DnsUpdateKey:
    """Delete the key (yours, or anyone's for an admin); the next UPDATE it signs fails."""
    key = await permissions.owned_row(
        session=session, user=user, model=DnsUpdateKey, row_id=key_id, what="DNS update key"
    )
    await session.delete(key)
    await session.commit()
    return key


async def find_key(*, session: AsyncSession, name: str) -> DnsUpdateKey | None:
    """The key named ``name`` (as in a TSIG record), or None."""
    return await session.scalar(select(DnsUpdateKey).where(DnsUpdateKey.name == fqdn(name)))


def tsig_key(key: DnsUpdateKey, box: SecretBox) -> dns.tsig.Key:
    """The dnspython key that verifies (and signs answers to) messages signed with ``key``."""
    return dns.tsig.Key(key.name, box.decrypt(key.secret_encrypted), ALGORITHMS[key.algorithm])


async def acting_user(*, session: AsyncSession, key: DnsUpdateKey) -> User | None:
    """The key's user, narrowed to the key's zones; None when the user is inactive.

    Records the time of use.
    """
    user = await session.get(User, key.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    if key.last_used_at is None or now - as_utc(key.last_used_at) >= LAST_USED_RESOLUTION:
        key.last_used_at = now
        await session.commit()
    zones = None if key.zones is None else frozenset(key.zones)
    label = f"DNS update key {key.name.rstrip('.')}"
    user.token_scope = TokenScope(token_id=key.id, name=label, read_only=False, zones=zones)
    return user
