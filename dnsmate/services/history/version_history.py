"""The zone history as an operator reads it: what each version added, changed and removed,
and the versions that touched one record name.

A version's delta is shown as a ``Plan`` (the same added/changed/deleted form as an import
or a rollback preview). Finding the versions that touched a name decodes the zone's deltas
(at most the retention's ``max_per_zone``) in a worker thread, newest first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from dnsmate.models import ZoneVersion
from dnsmate.powerdns.names import absolute_name, fqdn
from dnsmate.services.history.version_codec import Delta, decode_delta
from dnsmate.services.history.versions import DELTA_LIST_LIMIT, get_version, version_public
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.zonestate import State


def delta_plan(delta: Delta, *, name: str | None = None) -> Plan:
    """The delta as a Plan (RRsets added, changed, deleted), only at ``name`` if given."""
    before: State = {}
    after: State = {}
    for key, (old, new) in delta.items():
        if name is not None and key[0] != name:
            continue
        if old is not None:
            before[key] = old
        if new is not None:
            after[key] = new
    return Plan.between(before, after)


async def version_changes(
    *, session: AsyncSession, zone: str, version_id: int, name: str | None = None
) -> dict[str, Any]:
    """A version and the RRsets it added, changed and removed (at ``name`` if given)."""
    version = await get_version(session=session, zone=zone, version_id=version_id)
    wanted = None if name is None else absolute_name(name, zone)
    plan = await asyncio.to_thread(lambda: delta_plan(decode_delta(version.delta), name=wanted))
    return {**version_public(version), "plan": plan.public(limit=DELTA_LIST_LIMIT, comments=True)}


async def list_versions_touching(
    *, session: AsyncSession, zone: str, name: str, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the versions that changed an RRset at ``name``, newest first."""
    rows = (
        await session.execute(
            select(ZoneVersion.id, ZoneVersion.delta)
            .where(ZoneVersion.zone == fqdn(zone))
            .order_by(ZoneVersion.id.desc())
        )
    ).all()
    wanted = absolute_name(name, zone)
    ids = await asyncio.to_thread(_touching, [(vid, blob) for vid, blob in rows], wanted)
    chosen = ids[(page - 1) * per_page : page * per_page]
    versions = (
        await session.scalars(
            select(ZoneVersion)
            .where(ZoneVersion.id.in_(chosen))
            .options(defer(ZoneVersion.delta, raiseload=True))
        )
    ).all()
    by_id = {v.id: v for v in versions}
    return [version_public(by_id[i]) for i in chosen if i in by_id], len(ids)


def _touching(rows: Sequence[tuple[int, bytes]], name: str) -> list[int]:
    """(CPU, in a worker thread) the ids whose delta holds an RRset at ``name``."""
    return [vid for vid, blob in rows if any(key[0] == name for key in decode_delta(blob))]
