"""Teams: users grouped, zones granted to the team, so access follows people moving
between teams. A team's zones reach its managers (the roles that see every zone need no
grant); its record limits, when set, narrow what they may write there (see
``permissions.check_records``). Team zones exist when set and go with the zone
(``grants.forget_zone``), as personal grants do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import Team, TeamMember, TeamZone, User
from dnsmate.services.access import grants
from dnsmate.services.access.record_limits import RecordLimits
from dnsmate.services.errors import Conflict, InvalidInput, NotFound
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService


@dataclass(frozen=True)
class TeamView:
    """A team with its members (e-mails) and zones (absolute names)."""

    team: Team
    members: list[str]
    member_ids: list[int]
    zones: list[str]


async def _view(session: AsyncSession, team: Team) -> TeamView:
    members = (
        await session.execute(
            select(User.id, User.email)
            .join(TeamMember, TeamMember.user_id == User.id)
            .where(TeamMember.team_id == team.id)
            .order_by(User.email)
        )
    ).all()
    zones = await session.scalars(
        select(TeamZone.zone).where(TeamZone.team_id == team.id).order_by(TeamZone.zone)
    )
    return TeamView(team, [m.email for m in members], [m.id for m in members], list(zones.all()))


async def list_teams(*, session: AsyncSession) -> list[TeamView]:
    """Every team, by name."""
    teams = (await session.scalars(select(Team).order_by(Team.name))).all()
    return [await _view(session, team) for team in teams]


async def teams_of(*, session: AsyncSession, user_id: int) -> list[str]:
    """The names of the user's teams."""
    rows = await session.scalars(
        select(Team.name)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user_id)
        .order_by(Team.name)
    )
    return list(rows.all())


async def get_team(*, session: AsyncSession, team_id: int) -> TeamView:
    """One team; NotFound when there is none."""
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(f"Team {team_id} not found")
    return await _view(session, team)


async def save_team(
    *,
    session: AsyncSession,
    multi: MultiPowerDNSService | None,
    team_id: int | None,
    name: str,
    members: list[int],
    zones: list[str],
    limits: RecordLimits | None,
) -> TeamView:
    """Create (``team_id`` None) or replace a team: its name, members, zones and limits.

    Every member must be a user and every zone must exist on the servers.
    """
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    clash = await session.scalar(select(Team).where(Team.name == name))
    if clash is not None and clash.id != team_id:
        raise Conflict(f"A team named {name!r} already exists")
    ids = sorted(set(members))
    found = set((await session.scalars(select(User.id).where(User.id.in_(ids)))).all())
    if missing := [str(i) for i in ids if i not in found]:
        raise InvalidInput("members", f"no such user: {', '.join(missing)}")
    if zones and multi is None:
        raise InvalidInput("zones", "no PowerDNS server to check the zones on")
    wanted = await grants.require_zones(multi=multi, zones=zones) if multi is not None else []
    team = Team() if team_id is None else (await get_team(session=session, team_id=team_id)).team
    team.name = name
    team.record_limits = None if limits is None else limits.to_json()
    session.add(team)
    await session.flush()
    await session.execute(delete(TeamMember).where(TeamMember.team_id == team.id))
    await session.execute(delete(TeamZone).where(TeamZone.team_id == team.id))
    session.add_all(TeamMember(team_id=team.id, user_id=i) for i in ids)
    session.add_all(TeamZone(team_id=team.id, zone=z) for z in wanted)
    await session.commit()
    return await _view(session, team)


async def delete_team(*, session: AsyncSession, team_id: int) -> TeamView:
    """Delete a team; its members keep their own grants."""
    view = await get_team(session=session, team_id=team_id)
    await session.delete(view.team)
    await session.commit()
    return view
