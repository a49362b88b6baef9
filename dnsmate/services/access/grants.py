"""Zone grants: the zones a manager may read and write.

A grant only ever names a zone that exists (checked on the read server when it is set)
and disappears with the zone: the write pipeline's record step calls ``forget_zone`` for a
zone deleted on any server (and not rolled back), which also narrows API tokens limited to
it, so a zone re-created later under the same name is not silently reachable through old
permissions.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ApiToken, DnsUpdateKey, TeamZone, User, ZoneGrant
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService

log = logging.getLogger(__name__)

# The servers to ask which zones exist, built only when asked (None: no server configured).
ZoneServers = Callable[[], Awaitable[MultiPowerDNSService | None]]


async def list_grants(*, session: AsyncSession, user_id: int) -> list[str]:
    """The absolute names of the zones granted to the user, sorted."""
    rows = await session.scalars(
        select(ZoneGrant.zone).where(ZoneGrant.user_id == user_id).order_by(ZoneGrant.zone)
    )
    return list(rows.all())


async def zone_names(multi: MultiPowerDNSService) -> set[str]:
    """The absolute names of the zones the servers hold."""
    return {z["name"] for z in await multi.read(lambda c: c.list_zones())}


async def require_zones(*, multi: MultiPowerDNSService, zones: list[str]) -> list[str]:
    """The absolute names of ``zones``, sorted, once each is known to exist on the servers
    (InvalidInput on ``zones`` names the missing ones: checked before anything is saved)."""
    wanted = sorted({fqdn(z) for z in zones})
    if wanted:
        existing = await zone_names(multi)
        if missing := [display(z) for z in wanted if z not in existing]:
            raise InvalidInput("zones", f"no such zone: {', '.join(missing)} (nothing was saved)")
    return wanted


async def check_grants(
    *, multi: MultiPowerDNSService, email: str, role: str, zones: list[str]
) -> list[str]:
    """The absolute names of ``zones`` to grant, checked before a user is created or changed,
    so a bad grant changes nothing."""
    if role != "manager" and zones:
        raise InvalidInput("zones", f"zone grants apply to managers; {email} is {role}")
    return await require_zones(multi=multi, zones=zones)


async def replace_grants(*, session: AsyncSession, user_id: int, zones: list[str]) -> None:
    """Make ``zones`` (checked absolute names) the user's grants (the caller commits)."""
    await session.execute(delete(ZoneGrant).where(ZoneGrant.user_id == user_id))
    session.add_all(ZoneGrant(user_id=user_id, zone=zone) for zone in zones)


async def set_grants(
    *, session: AsyncSession, multi: MultiPowerDNSService, user: User, zones: list[str]
) -> list[str]:
    """Replace the manager's grants with ``zones``; every zone must exist on the servers."""
    wanted = await check_grants(multi=multi, email=user.email, role=user.role, zones=zones)
    await replace_grants(session=session, user_id=user.id, zones=wanted)
    await session.commit()
    return wanted


async def grant_mapped(
    *, session: AsyncSession, servers: ZoneServers, user: User, zones: set[str]
) -> list[str]:
    """Set a signed-in manager's grants to the mapped ``zones`` that exist (the caller commits).

    ``servers`` is called only when a mapped zone is not granted yet. Without a server to
    ask (none configured, or none answers) no zone is added, but grants the mapping no
    longer gives are still taken away.
    """
    wanted = {fqdn(z) for z in zones}
    existing: set[str] = set(await list_grants(session=session, user_id=user.id))
    if wanted - existing:
        try:
            multi = await servers()
            if multi is not None:
                existing |= await zone_names(multi)
        except PowerDNSError as exc:
            log.warning("Zone grants of %s not extended: %s", user.email, exc)
    granted = sorted(wanted & existing)
    await replace_grants(session=session, user_id=user.id, zones=granted)
    return granted


async def forget_zone(*, session: AsyncSession, zone: str) -> None:
    """Drop every grant of ``zone`` and take it out of zone-limited API tokens and DNS update
    keys (the caller commits)."""
    name = fqdn(zone)
    await session.execute(delete(ZoneGrant).where(ZoneGrant.zone == name))
    await session.execute(delete(TeamZone).where(TeamZone.zone == name))
    limited: list[ApiToken | DnsUpdateKey] = [
        *(await session.scalars(select(ApiToken).where(ApiToken.zones.is_not(None)))).all(),
        *(await session.scalars(select(DnsUpdateKey).where(DnsUpdateKey.zones.is_not(None)))),
    ]
    for credential in limited:
        if credential.zones and name in credential.zones:
            # An empty list still limits the credential (to nothing); None would free it.
            credential.zones = [z for z in credential.zones if z != name]


async def grants_by_user(*, session: AsyncSession) -> dict[int, list[str]]:
    """Every user's granted zones (absolute names), in one query."""
    rows = await session.execute(select(ZoneGrant.user_id, ZoneGrant.zone).order_by(ZoneGrant.zone))
    result: dict[int, list[str]] = {}
    for user_id, zone in rows.all():
        result.setdefault(user_id, []).append(zone)
    return result
