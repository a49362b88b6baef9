"""Teams (admins): users grouped, zones granted to the team, optional record limits."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import AdminUser, AuditDep, MultiPowerDNSDep, SessionDep
from dnsmate.powerdns.names import display
from dnsmate.schemas.common import RowId
from dnsmate.schemas.teams import TeamPublic, TeamSave
from dnsmate.services.access import teams
from dnsmate.services.access.teams import TeamView

router = APIRouter(prefix="/teams", tags=["teams"])


def team_public(view: TeamView) -> TeamPublic:
    return TeamPublic(
        id=view.team.id,
        name=view.team.name,
        members=view.members,
        member_ids=view.member_ids,
        zones=[display(z) for z in view.zones],
        record_limits=view.team.record_limits,
    )


@router.get("", response_model=list[TeamPublic])
async def read_teams(session: SessionDep, _admin: AdminUser) -> list[TeamPublic]:
    """Every team with its members, zones and limits."""
    return [team_public(v) for v in await teams.list_teams(session=session)]


async def _save(
    team_id: int | None, body: TeamSave, session: SessionDep, multi: MultiPowerDNSDep
) -> TeamPublic:
    view = await teams.save_team(
        session=session,
        multi=multi,
        team_id=team_id,
        name=body.name,
        members=body.members,
        zones=body.zones,
        limits=None if body.record_limits is None else body.record_limits.limits(),
    )
    return team_public(view)


@router.post("", response_model=TeamPublic, status_code=status.HTTP_201_CREATED)
async def create_team(
    body: TeamSave, session: SessionDep, multi: MultiPowerDNSDep, audit: AuditDep, _a: AdminUser
) -> TeamPublic:
    """Create a team (every zone must exist)."""
    public = await _save(None, body, session, multi)
    await audit.record("team.create", target=public.name, after=public.model_dump(mode="json"))
    return public


@router.put("/{team_id}", response_model=TeamPublic)
async def update_team(
    team_id: RowId,
    body: TeamSave,
    session: SessionDep,
    multi: MultiPowerDNSDep,
    audit: AuditDep,
    _admin: AdminUser,
) -> TeamPublic:
    """Replace a team's name, members, zones and limits."""
    before = team_public(await teams.get_team(session=session, team_id=team_id))
    public = await _save(team_id, body, session, multi)
    await audit.record(
        "team.update",
        target=public.name,
        before=before.model_dump(mode="json"),
        after=public.model_dump(mode="json"),
    )
    return public


@router.delete("/{team_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_team(
    team_id: RowId, session: SessionDep, audit: AuditDep, _admin: AdminUser
) -> None:
    """Delete a team; its members keep their own grants."""
    view = await teams.delete_team(session=session, team_id=team_id)
    before = team_public(view).model_dump(mode="json")
    await audit.record("team.delete", target=view.team.name, before=before)
