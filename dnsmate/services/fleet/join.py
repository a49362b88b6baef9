"""Adding a server: it joins the write targets at once only while they hold no zone.

A server added as a write target (multi-server mode on, or the default while no server has
it on) to targets that hold zones would answer every write to those zones "Zone not
found". So it is added ``pending`` instead: no write target, nothing queued for it, until
it is onboarded (``fleet.onboard``: plan, then seed). With ``seed_from`` the onboarding job
starts at once. When the current targets hold no zone (or there are none), it joins at
once; when none of them answers, DNSMate cannot tell and adds it pending.

The same rule holds for an ``active`` server that is no write target (added with
multi-server mode off, or retired) when a change would make it one (multi-server mode on,
or the default alone): refused (``Conflict``, 409) while it lacks zones the targets hold,
unless ``force_join``; when no target answers, it is not held up. A pending or seeding
server is refused by ``servers.update_server``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import FleetJob, PowerDNSSettings
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display
from dnsmate.schemas.settings import PowerDNSSettingsCreate, PowerDNSSettingsUpdate
from dnsmate.security import SecretBox
from dnsmate.services.errors import Conflict, InvalidInput, NoServerAvailable
from dnsmate.services.fleet.context import Fleet
from dnsmate.services.fleet.onboard import start_onboarding
from dnsmate.services.fleet.server_state import ACTIVE, ServerRow
from dnsmate.services.fleet.servers import (
    ClientPool,
    build_multi,
    create_server,
    get_server,
    joins_targets,
    list_servers,
    require_key_for_new_address,
    update_server,
)
from dnsmate.services.history.audit import Actor
from dnsmate.services.write.multi_powerdns import select_targets


@dataclass
class Added:
    """The new server, what to do before it is a write target, and its onboarding job."""

    row: PowerDNSSettings
    onboarding: str | None = None
    job: FleetJob | None = None


async def add_server(
    *,
    session: AsyncSession,
    box: SecretBox,
    fleet: Fleet,
    data: PowerDNSSettingsCreate,
    actor: Actor,
) -> Added:
    """Add a server: a write target at once, pending (to onboard), or onboarding now."""
    rows = await list_servers(session)
    if data.seed_from is not None:
        source = await get_server(session, data.seed_from, "source server")
        if not source.is_active:
            raise Conflict(f"{source.name} is not active: choose an active server to seed from")
        if not data.is_active:
            raise InvalidInput("seed_from", "only an active server can be onboarded")
    pending = data.seed_from is not None or (
        _joins(rows, data) and await _targets_hold_zones(rows, fleet.runtime.pool)
    )
    row = await create_server(session=session, box=box, data=data, pending=pending)
    if data.seed_from is not None:
        job = await start_onboarding(
            session=session,
            fleet=fleet,
            server_id=row.id,
            source_id=data.seed_from,
            force=False,
            actor=actor,
        )
        return Added(row, job=job)
    if not pending:
        return Added(row)
    return Added(
        row,
        onboarding=f"{row.name} is not a write target yet: the write targets already hold "
        "zones it lacks. Onboard it (Onboard… in Settings > PowerDNS, or "
        f"POST /api/settings/powerdns/{row.id}/onboard after its plan): every zone is copied "
        "onto it, then it becomes a write target.",
    )


def _joins(rows: list[PowerDNSSettings], data: PowerDNSSettingsCreate) -> bool:
    """The new server would be a write target with the settings it asks for."""
    if not rows or not data.is_active:
        return False
    if data.multi_server_mode:
        return True
    return data.is_default and not any(r.is_active and r.multi_server_mode for r in rows)


async def _targets_hold_zones(rows: list[PowerDNSSettings], pool: ClientPool) -> bool:
    """Some current write target holds a zone (True when none answers: cannot tell).

    The first target that answers with zones decides: a hung one is not waited for."""
    try:
        targets = select_targets(rows)
    except NoServerAvailable:
        return False
    tasks = [asyncio.ensure_future(pool.client(t).list_zones()) for t in targets]
    answered = False
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                zones = await next_done
            except PowerDNSError:
                continue
            if zones:
                return True
            answered = True
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return not answered


async def change_server(
    *,
    session: AsyncSession,
    box: SecretBox,
    pool: ClientPool,
    server_id: int,
    data: PowerDNSSettingsUpdate,
) -> PowerDNSSettings:
    """``servers.update_server``, refused when it would make an active server that lacks
    zones the write targets hold a write target (unless ``data.force_join``)."""
    row = await get_server(session, server_id)
    changes = data.model_dump(exclude_unset=True, exclude={"api_key", "force_join"})
    rows = await list_servers(session)
    if row.lifecycle == ACTIVE and not data.force_join and joins_targets(rows, row, changes):
        require_key_for_new_address(row, data)
        await _refuse_lacking_zones(session, pool, row, _connection_after(box, row, data))
    return await update_server(session=session, box=box, server_id=server_id, data=data)


# The fields of a server's settings that say which PowerDNS it is and how to reach it.
CONNECTION_FIELDS = {"name", "api_url", "server_id", "timeout_seconds", "verify_ssl"}


def _connection_after(
    box: SecretBox, row: PowerDNSSettings, data: PowerDNSSettingsUpdate
) -> ServerRow:
    """``row`` with the connection ``data`` gives it (address, key, ...): the change that
    makes a server a write target may also point it at another PowerDNS."""
    fields = data.model_dump(exclude_unset=True, include=CONNECTION_FIELDS)
    changed = {k: v for k, v in fields.items() if v is not None}
    if data.api_key is not None:
        changed["api_key_encrypted"] = box.encrypt(data.api_key.get_secret_value())
    return replace(ServerRow.of(row), **changed)


async def _refuse_lacking_zones(
    session: AsyncSession, pool: ClientPool, row: PowerDNSSettings, connection: ServerRow
) -> None:
    """Conflict when the server (at ``connection``, as the change leaves it) lacks a zone
    the write targets hold (their list from the read server), or when its own list cannot
    be read. When no target answers, nothing is known to be lacking (and nothing can be
    written anyway): the change is not held up."""
    how = (
        f"Onboard it (Onboard… in Settings > PowerDNS, or GET /api/settings/powerdns/{row.id}"
        f"/onboard/plan?source=ID then POST /api/settings/powerdns/{row.id}/onboard): every "
        'zone is copied onto it, then it becomes a write target. Or send "force_join": true '
        "to switch it on as it is (reconcile repairs the zones it lacks)."
    )
    try:
        multi = await build_multi(session=session, pool=pool)
    except NoServerAvailable:
        return  # no write target now: nothing to lack
    try:
        held = {z["name"] for z in await multi.read(lambda c: c.list_zones())}
    except PowerDNSError:
        return
    client = pool.detached(connection)
    try:
        own = {z["name"] for z in await client.list_zones()}
    except PowerDNSError as exc:
        raise Conflict(f"Cannot list the zones of {row.name} ({exc}): {how}") from exc
    finally:
        await client.aclose()
    lacking = sorted(held - own)
    if lacking:
        shown = ", ".join(display(n) for n in lacking[:3]) + (", …" if len(lacking) > 3 else "")
        raise Conflict(
            f"{row.name} lacks {len(lacking)} of the {len(held)} zones the write targets hold "
            f"({shown}): as a write target every write to them would answer 207 for it. {how}"
        )
