"""API tokens: a user's long-lived secrets for scripts, narrowed by read-only and zones.

The secret is ``dnsmate_`` plus 256 random bits, shown once; only its SHA-256 is stored
(a slow password hash adds nothing for a random secret of that size and would cost every
API request tens of milliseconds).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc, utcnow
from dnsmate.models import ApiToken, TokenScope, User
from dnsmate.services.access import permissions
from dnsmate.services.access.record_limits import RecordLimits
from dnsmate.services.errors import InvalidInput, PermissionDenied
from dnsmate.services.zonedata.validation import normalize_host

TOKEN_PREFIX = "dnsmate_"
# Last-use times are written at most this often per token, so a busy script does not turn
# every read into a database write.
LAST_USED_RESOLUTION = timedelta(seconds=60)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(secret: str) -> bool:
    """True for a DNSMate API token (as opposed to a login token)."""
    return secret.startswith(TOKEN_PREFIX)


def scope_of(token: ApiToken) -> TokenScope:
    zones = None if token.zones is None else frozenset(token.zones)
    hosts = None if token.hosts is None else frozenset(token.hosts)
    return TokenScope(
        token_id=token.id,
        name=token.name,
        read_only=token.read_only,
        zones=zones,
        hosts=hosts,
        limits=RecordLimits.from_json(token.record_limits),
    )


async def create_token(
    *,
    session: AsyncSession,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    read_only: bool = False,
    zones: list[str] | None = None,
    hosts: list[str] | None = None,
    record_limits: RecordLimits | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret (shown only now).

    A token can only narrow its user: every listed zone must be one the user may read.
    ``hosts`` makes a DynDNS token: it changes only those names, through /nic/update.
    """
    if user.token_scope is not None:
        raise PermissionDenied("API tokens cannot create tokens: log in to create one")
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    if expires_at is not None and as_utc(expires_at) <= utcnow():
        raise InvalidInput("expires_at", "must be in the future")
    zone_list = await permissions.credential_zones(
        session=session, user=user, zones=zones, write=False
    )
    host_list = None if hosts is None else _host_names(hosts, read_only=read_only)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        read_only=read_only,
        zones=zone_list,
        hosts=host_list,
        record_limits=None if record_limits is None else record_limits.to_json(),
        expires_at=None if expires_at is None else as_utc(expires_at),
    )
    session.add(token)
    await session.commit()
    return token, secret


def _host_names(hosts: list[str], *, read_only: bool) -> list[str]:
    """Validated absolute host names for a DynDNS token."""
    if read_only:
        raise InvalidInput("hosts", "a DynDNS token changes its host names: it cannot be read-only")
    names = sorted({normalize_host(h) for h in hosts if h.strip()})
    if not names:
        raise InvalidInput("hosts", "list at least one host name, or omit hosts")
    return names


async def list_tokens(*, session: AsyncSession, user: User) -> list[ApiToken]:
    """The user's tokens; an admin (logged in, not via a narrowed token) sees everyone's."""
    return await permissions.owned_rows(session=session, user=user, model=ApiToken)


async def get_token(*, session: AsyncSession, user: User, token_id: int) -> ApiToken:
    """One token the user may see (own, or any for an admin); NotFound otherwise."""
    return await permissions.owned_row(
        session=session, user=user, model=ApiToken, row_id=token_id, what="API token"
    )


async def revoke_token(*, session: AsyncSession, user: User, token_id: int) -> ApiToken:
    """Delete the token; it stops working with the next request."""
    token = await get_token(session=session, user=user, token_id=token_id)
    await session.delete(token)
    await session.commit()
    return token


async def authenticate_token(
    *, session: AsyncSession, secret: str, dyndns: bool = False
) -> tuple[User, ApiToken] | None:
    """The active user and unexpired token for ``secret``, or None.

    The returned user carries the token's limits (``user.token_scope``), so every
    permission check on it honours them. Records the time of use. A DynDNS token (one
    limited to host names) works only where the caller says ``dyndns``: anywhere else it
    is PermissionDenied, whatever the route.
    """
    if not looks_like_token(secret):
        return None
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None:
        return None
    if token.hosts is not None and not dyndns:
        raise PermissionDenied(
            f"API token {token.name!r} is limited to host names: use it with /nic/update (DynDNS)"
        )
    now = utcnow()
    if token.expires_at is not None and as_utc(token.expires_at) <= now:
        return None
    user = await session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - as_utc(token.last_used_at) >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        await session.commit()
    user.token_scope = scope_of(token)
    return user, token
