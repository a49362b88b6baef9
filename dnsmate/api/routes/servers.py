"""PowerDNS server settings: CRUD, connection test, health of all servers."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, CurrentUser, SessionDep
from dnsmate.api.responses import error_responses
from dnsmate.models import PowerDNSSettings, User
from dnsmate.schemas.common import RowId
from dnsmate.schemas.fleet import JobPublic
from dnsmate.schemas.settings import (
    PowerDNSServerAdded,
    PowerDNSSettingsCreate,
    PowerDNSSettingsPublic,
    PowerDNSSettingsUpdate,
    ServerHealth,
)
from dnsmate.services.access import permissions
from dnsmate.services.fleet import join, servers
from dnsmate.services.fleet.jobs import job_view
from dnsmate.services.fleet.server_health import check_server
from dnsmate.services.sync.health import close_breaker

# Changing one of these makes the breaker's counted failures moot.
CONNECTION_FIELDS = {
    "api_url", "api_key", "server_id", "timeout_seconds", "verify_ssl", "is_active",
}  # fmt: skip

router = APIRouter(prefix="/settings/powerdns", tags=["settings"])


def _public(row: PowerDNSSettings, viewer: User) -> PowerDNSSettingsPublic:
    """The server as ``viewer`` may see it: the URL for admins only, never the key."""
    public = PowerDNSSettingsPublic.model_validate(row)
    if not permissions.is_admin(viewer):
        public.api_url = None
    return public


@router.get("", response_model=list[PowerDNSSettingsPublic])
async def read_servers(session: SessionDep, user: CurrentUser) -> list[PowerDNSSettingsPublic]:
    """Every configured PowerDNS server (never with its API key; the URL for admins only)."""
    return [_public(row, user) for row in await servers.list_servers(session)]


@router.post(
    "",
    response_model=PowerDNSServerAdded,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409, 422),
)
async def create_server(
    body: PowerDNSSettingsCreate,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> PowerDNSServerAdded:
    """Add a PowerDNS server. The first one added becomes the default. One that would be
    a write target while the targets hold zones is added ``pending`` (``onboarding`` says
    how to onboard it), or onboarded at once with ``seed_from`` (``job``)."""
    added = await join.add_server(
        session=session, box=context.box, fleet=context.fleet, data=body, actor=audit.actor()
    )
    public = PowerDNSSettingsPublic.model_validate(added.row)
    await audit.record(
        "settings.server.create",
        target=added.row.name,
        after=public.model_dump(mode="json"),
        detail=added.onboarding,
    )
    job = None
    if added.job is not None:
        job = JobPublic.model_validate(job_view(added.job))
        await audit.record(
            "settings.server.onboard.start",
            target=added.row.name,
            detail=f"job {added.job.id}: seeding from {added.job.source_name}",
        )
    return PowerDNSServerAdded(**public.model_dump(), onboarding=added.onboarding, job=job)


@router.get("/health", response_model=list[ServerHealth])
async def read_servers_health(
    session: SessionDep, context: ContextDep, user: CurrentUser
) -> list[ServerHealth]:
    """Reachability, latency and version of every configured server, checked now; a
    server silent for about a second is ``not_answering`` (its check goes on behind).

    The error text (which may name an internal address) is for admins only.
    """
    checks = await servers.servers_health(session=session, pool=context.pool)
    admin = permissions.is_admin(user)
    return [
        ServerHealth(**{**check, "error": check["error"] if admin else _hidden(check)})
        for check in checks
    ]


def _hidden(check: dict[str, object]) -> str | None:
    return None if check["healthy"] else "unreachable or refusing requests (details: admins)"


@router.get("/{server_id}", response_model=PowerDNSSettingsPublic)
async def read_server(
    server_id: RowId, session: SessionDep, user: CurrentUser
) -> PowerDNSSettingsPublic:
    """One PowerDNS server (the URL for admins only)."""
    return _public(await servers.get_server(session, server_id), user)


@router.put(
    "/{server_id}", response_model=PowerDNSSettingsPublic, responses=error_responses(404, 409, 422)
)
async def update_server(
    server_id: RowId,
    body: PowerDNSSettingsUpdate,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> PowerDNSSettingsPublic:
    """Change a server; omitted fields (and an omitted api_key) stay as they are. Making a
    server a write target is refused (409) while it lacks zones the write targets hold:
    onboard it, or send ``force_join``."""
    old = PowerDNSSettingsPublic.model_validate(await servers.get_server(session, server_id))
    row = await join.change_server(
        session=session, box=context.box, pool=context.pool, server_id=server_id, data=body
    )
    public = PowerDNSSettingsPublic.model_validate(row)
    if body.model_fields_set & CONNECTION_FIELDS:
        await close_breaker(session=session, server_id=server_id)
    await audit.record(
        "settings.server.update",
        target=row.name,
        before=old.model_dump(mode="json"),
        after=public.model_dump(mode="json"),
        detail=_update_detail(body),
    )
    return public


def _update_detail(body: PowerDNSSettingsUpdate) -> str | None:
    notes = ["API key changed"] if body.api_key is not None else []
    if body.force_join:
        notes.append("force_join: a write target without the zone check")
    return "; ".join(notes) or None


@router.delete("/{server_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_server(
    server_id: RowId, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> None:
    """Forget a server (its zones on PowerDNS are untouched)."""
    old = PowerDNSSettingsPublic.model_validate(await servers.get_server(session, server_id))
    await servers.delete_server(session=session, server_id=server_id)
    await audit.record(
        "settings.server.delete", target=old.name, before=old.model_dump(mode="json")
    )


@router.post("/{server_id}/test", response_model=ServerHealth)
async def test_server(
    server_id: RowId, session: SessionDep, context: ContextDep, _user: AdminUser
) -> ServerHealth:
    """Connection test: reachability, API key validity and PowerDNS version."""
    row = await servers.get_server(session, server_id)
    check = await check_server(context.pool.client(row))
    if check["healthy"]:
        await close_breaker(session=session, server_id=row.id)
    return ServerHealth(
        id=row.id,
        name=row.name,
        is_default=row.is_default,
        is_active=row.is_active,
        multi_server_mode=row.multi_server_mode,
        **check,
    )
