"""Authentication and zone access for the PowerDNS-compatible API.

``X-API-Key`` carries a DNSMate API token: the token's user, role, zone grants and
read-only flag apply exactly as on DNSMate's own API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from dnsmate.api.compat.errors import CompatError
from dnsmate.api.deps import ContextDep, SessionDep, api_token_user, client_address
from dnsmate.models import User
from dnsmate.powerdns.names import zone_from_id
from dnsmate.services.access import permissions
from dnsmate.services.history.audit import Actor
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.pipeline import WriteScope

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False)
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_api_user(
    request: Request,
    session: SessionDep,
    api_key: Annotated[str | None, Depends(_api_key)],
) -> User:
    """The token's user (narrowed by the token); 401 as PowerDNS answers a wrong key."""
    user = await api_token_user(request, session, api_key) if api_key else None
    if user is None:
        raise CompatError(401, "Unauthorized")
    if request.method not in _READ_METHODS:
        permissions.require_writable(user)
    return user


ApiKeyUser = Annotated[User, Depends(get_api_user)]


@dataclass(frozen=True)
class ZoneAccess:
    """A zone named by its PowerDNS zone id, and the caller allowed to use it."""

    zone: str
    user: User


async def _zone_reader(zone_id: str, user: ApiKeyUser, session: SessionDep) -> ZoneAccess:
    zone = zone_from_id(zone_id)
    await permissions.check_zone(session=session, user=user, zone=zone, write=False)
    return ZoneAccess(zone, user)


async def _zone_writer(zone_id: str, user: ApiKeyUser, session: SessionDep) -> ZoneAccess:
    zone = zone_from_id(zone_id)
    await permissions.check_zone(session=session, user=user, zone=zone, write=True)
    return ZoneAccess(zone, user)


async def _zone_owner(zone_id: str, user: ApiKeyUser, session: SessionDep) -> ZoneAccess:
    # Zone metadata and deletion go beyond records: admins and editors only, as on /api.
    permissions.require_role(user, "admin", "editor")
    return await _zone_writer(zone_id, user, session)


async def _zone_creator(user: ApiKeyUser) -> User:
    permissions.require_role(user, "admin", "editor")
    return user


async def _admin(user: ApiKeyUser) -> User:
    # Server configuration (autoprimaries): as DNSMate's own server settings.
    permissions.require_role(user, "admin")
    return user


async def _account(user: ApiKeyUser) -> User:
    # Server-wide, beyond any one zone: never for zone-limited tokens.
    permissions.require_role(user, *permissions.ROLES)
    return user


# For routes with a ``{zone_id}`` path parameter.
CompatZoneReader = Annotated[ZoneAccess, Depends(_zone_reader)]
CompatZoneWriter = Annotated[ZoneAccess, Depends(_zone_writer)]
CompatZoneOwner = Annotated[ZoneAccess, Depends(_zone_owner)]
CompatZoneCreator = Annotated[User, Depends(_zone_creator)]
# Server-wide routes.
CompatAdmin = Annotated[User, Depends(_admin)]
CompatAccount = Annotated[User, Depends(_account)]


async def get_compat_multi(
    context: ContextDep, session: SessionDep, _user: ApiKeyUser
) -> MultiPowerDNSService:
    # Depends on the caller so that authentication runs before server selection.
    return await context.pipeline.targets(session)


CompatMulti = Annotated[MultiPowerDNSService, Depends(get_compat_multi)]


async def get_compat_scope(
    request: Request, context: ContextDep, session: SessionDep, user: ApiKeyUser
) -> WriteScope:
    """This request's writes: the token's user and name attached for audit and versions."""
    multi = await context.pipeline.targets(session)  # after authentication, as above
    via = getattr(request.state, "auth_via", "api")
    return WriteScope(session, Actor(user, via, client_address(request)), multi)


CompatScope = Annotated[WriteScope, Depends(get_compat_scope)]
