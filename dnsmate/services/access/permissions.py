"""Who may do what. Roles: admin > editor > manager > reader.

- admin: everything, including PowerDNS settings and users.
- editor: create and delete zones; read and write every zone.
- manager: read and write records only in zones granted to them (zone grants).
- reader: read every zone, change nothing.

A manager's zones are their own grants and those of their teams. Writes may further be
limited to some RRsets (``record_limits``): by the user's own limits, the token's, and,
for a zone a manager reaches only through teams, the limits of those teams (any one of
them allowing the RRset is enough). ``check_records`` decides; the write pipeline calls it
for every change, whichever API, protocol or gateway it came from.

An API token acts as its user, narrowed (``user.token_scope``): a read-only token changes
nothing, and a zone-limited token reaches only its zones and nothing beyond zone routes
(no settings, users or zone creation). Every check below reads the narrowing from the
user, so it holds on every route and in every service that checks the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Protocol, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause

from dnsmate.models import Team, TeamMember, TeamZone, User, ZoneGrant
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.access.record_limits import RecordLimits
from dnsmate.services.errors import InvalidInput, NotFound, PermissionDenied
from dnsmate.services.zonedata.validation import check_plain_name

ROLES = ("admin", "editor", "manager", "reader")
# Roles that see every zone without grants.
ALL_ZONE_ROLES = ("admin", "editor", "reader")


def require_role(user: User, *roles: str) -> None:
    """Raise PermissionDenied unless the user has one of ``roles`` (role-wide privileges).

    Zone-limited tokens never pass: what needs a role here is not about one zone.
    """
    if user.role not in roles:
        raise PermissionDenied(f"This action needs the role {' or '.join(roles)}")
    scope = user.token_scope
    if scope is not None and scope.zones is not None:
        raise PermissionDenied(f"API token {scope.name!r} is limited to zones")


def require_login(user: User, what: str) -> None:
    """Raise PermissionDenied when the request came with an API token, even an admin's.

    Powers over accounts (making admins, setting passwords, resetting two-factor login)
    need the person: a leaked token must not be able to mint a permanent admin login.
    """
    scope = user.token_scope
    if scope is not None:
        raise PermissionDenied(f"API token {scope.name!r} cannot {what}: log in with your password")


def is_admin(user: User) -> bool:
    """An admin not narrowed to some zones by a token."""
    scope = user.token_scope
    return user.role == "admin" and (scope is None or scope.zones is None)


class Owned(Protocol):
    """A row that belongs to one user (an API token, a DNS UPDATE key)."""

    __table__: ClassVar[FromClause]
    id: int
    user_id: int


RowT = TypeVar("RowT", bound=Owned)


async def owned_rows(*, session: AsyncSession, user: User, model: type[RowT]) -> list[RowT]:
    """The user's rows of ``model`` by id; an admin (logged in, not via a narrowed token)
    sees everyone's."""
    columns = model.__table__.c
    query = select(model).order_by(columns.id)
    if not is_admin(user):
        query = query.where(columns.user_id == user.id)
    return list((await session.scalars(query)).all())


async def owned_row(
    *, session: AsyncSession, user: User, model: type[RowT], row_id: int, what: str
) -> RowT:
    """Row ``row_id`` of ``model`` if the user may see it (own, or any for an admin);
    NotFound ("``what`` ``row_id`` not found") otherwise."""
    row = await session.get(model, row_id)
    if row is None or (row.user_id != user.id and not is_admin(user)):
        raise NotFound(f"{what} {row_id} not found")
    return row


def require_writable(user: User) -> None:
    """Raise PermissionDenied when the request came with a read-only token."""
    scope = user.token_scope
    if scope is not None and scope.read_only:
        raise PermissionDenied(f"API token {scope.name!r} is read-only")


def require_key_material(user: User) -> None:
    """Raise PermissionDenied when a read-only token asks for key material (a TSIG secret, a
    DNSSEC private key). Reading it is not a change, but the keys authorize transfers and
    updates and sign zones: a token made to watch must not hand them out when it leaks."""
    scope = user.token_scope
    if scope is not None and scope.read_only:
        raise PermissionDenied(
            f"API token {scope.name!r} is read-only: TSIG secrets and DNSSEC private keys "
            "need a token that may change things"
        )


def zone_powers(user: User) -> dict[str, bool]:
    """What ``user`` may do in a zone they can read, for the interface to offer only that.

    ``write_records``: change records; ``manage_zone``: delete the zone, save it as a
    template (the admin and editor roles, not narrowed by a token).
    """
    scope = user.token_scope
    writable = user.role != "reader" and (scope is None or not scope.read_only)
    narrowed = scope is not None and scope.zones is not None
    return {
        "write_records": writable,
        "manage_zone": writable and user.role in ("admin", "editor") and not narrowed,
    }


async def granted_zones(*, session: AsyncSession, user: User) -> set[str] | None:
    """The zones ``user`` may see (absolute names), or None for every zone."""
    allowed: set[str] | None = None
    if user.role not in ALL_ZONE_ROLES:
        own = select(ZoneGrant.zone).where(ZoneGrant.user_id == user.id)
        teams = (
            select(TeamZone.zone)
            .join(TeamMember, TeamMember.team_id == TeamZone.team_id)
            .where(TeamMember.user_id == user.id)
        )
        rows = await session.scalars(own.union(teams))
        allowed = set(rows.all())
    scope = user.token_scope
    if scope is not None and scope.zones is not None:
        allowed = set(scope.zones) if allowed is None else allowed & scope.zones
    return allowed


async def check_zone(*, session: AsyncSession, user: User, zone: str, write: bool) -> None:
    """Raise PermissionDenied unless ``user`` may read (or, with ``write``, change) ``zone``.

    An empty, blank or root zone name is InvalidInput: no zone route may reach PowerDNS's
    ``/zones/.``, which is its zone list, not a zone.
    """
    if fqdn(zone) == ".":
        raise InvalidInput("zone", "give a zone name; the root zone cannot be managed")
    check_plain_name(zone, "zone")
    if write:
        if user.role == "reader":
            raise PermissionDenied("Readers cannot change zones")
        require_writable(user)
    allowed = await granted_zones(session=session, user=user)
    if allowed is not None and fqdn(zone) not in allowed:
        raise PermissionDenied(f"No access to zone {display(fqdn(zone))}")


async def credential_zones(
    *, session: AsyncSession, user: User, zones: Iterable[str] | None, write: bool
) -> list[str] | None:
    """The zones a credential of ``user`` (an API token, a DNS update key) is limited to,
    canonical and sorted; None for all. Each must be a zone ``user`` may read (or, with
    ``write``, change): a refusal is InvalidInput on ``zones``, naming the zone."""
    if zones is None:
        return None
    zone_list = sorted({fqdn(z) for z in zones})
    if not zone_list or "." in zone_list:
        raise InvalidInput("zones", "list at least one zone, or omit zones for all zones")
    for zone in zone_list:
        try:
            await check_zone(session=session, user=user, zone=zone, write=write)
        except PermissionDenied as exc:
            raise InvalidInput("zones", str(exc)) from exc
    return zone_list


async def _team_limits(
    session: AsyncSession, user: User, zone: str
) -> list[RecordLimits | None] | None:
    """The limits of the teams through which a manager reaches ``zone``, or None when the
    zone is reached otherwise (role-wide, or granted to the manager personally)."""
    if user.role != "manager":
        return None
    # One statement (it runs at every write of a manager): no rows when the zone is granted
    # to the manager personally.
    own = exists().where(ZoneGrant.user_id == user.id, ZoneGrant.zone == zone)
    rows = await session.scalars(
        select(Team.record_limits)
        .join(TeamZone, TeamZone.team_id == Team.id)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user.id, TeamZone.zone == zone, ~own)
    )
    found = [RecordLimits.from_json(data) for data in rows.all()]
    return found or None


async def check_records(
    *,
    session: AsyncSession,
    user: User,
    zone: str,
    rrsets: Iterable[tuple[str, str]] | None,
) -> None:
    """Raise PermissionDenied unless ``user`` may write each (name, type) of ``rrsets`` in
    ``zone`` under their record limits; ``rrsets`` None is a zone-level change (zone
    creation or deletion, DNSSEC, metadata), which no limited caller may make.

    Zone access itself is ``check_zone``'s: this only narrows it.
    """
    scope = user.token_scope
    personal = [
        (f"{user.email}'s limits", limits)
        for limits in (RecordLimits.from_json(user.record_limits),)
        if limits is not None
    ]
    if scope is not None and scope.limits is not None:
        personal.append((f"API token {scope.name!r}", scope.limits))
    zone = fqdn(zone)
    teams = await _team_limits(session, user, zone)
    if teams is not None and all(limits is None for limits in teams):
        teams = None
    if not personal and teams is None:
        return
    if rrsets is None:
        raise PermissionDenied(
            f"{user.email} may only change some records; this change is about the whole zone"
        )
    for name, rtype in rrsets:
        what = f"{display(fqdn(name))} {rtype.upper()}"
        for who, limits in personal:
            if not limits.allows(zone=zone, name=name, rtype=rtype):
                raise PermissionDenied(f"Not allowed by {who}: {what} ({limits.describe()})")
        if teams is not None and not any(
            t is None or t.allows(zone=zone, name=name, rtype=rtype) for t in teams
        ):
            rules = " or ".join(t.describe() for t in teams if t is not None)
            raise PermissionDenied(f"Not allowed by the team limits: {what} ({rules})")
