"""Zone versions: rebuilding a version's content, listing and comparing.

Recording happens in ``dnsmate.services.history.version_recorder`` (the write pipeline's record
step), the stored forms are ``dnsmate.services.history.version_codec``'s; this module is the
queries. See ``dnsmate.models.versions`` for the layout.

Rebuilding a version of a big zone (decompressing and decoding a snapshot and the deltas
after it, then sorting, diffing or writing a zone file) costs seconds of CPU for 100,000
RRsets. That work runs in a worker thread so the event loop keeps serving other requests,
and the last few rebuilt versions are kept (``RebuildCache``): paging through a version,
comparing it and exporting it rebuild it once.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from dnsmate.models import ZoneVersion
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput, NotFound
from dnsmate.services.history.version_codec import (
    apply_delta,
    decode_delta,
    decode_state,
    snapshot_after,
)
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.zonefile import export_text
from dnsmate.services.zonedata.zonestate import MANAGED_TYPES, State, sort_key, state_to_rrsets

# A version's answer lists at most this many changed RRsets (an import changes 100,000).
DELTA_LIST_LIMIT = 1000


def version_public(version: ZoneVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "zone": display(version.zone),
        "created_at": version.created_at,
        "actor": version.actor,
        "via": version.via,
        "action": version.action,
        "summary": version.summary,
        "added": version.added,
        "changed": version.changed,
        "deleted": version.deleted,
        "rrset_count": version.rrset_count,
    }


async def list_versions(
    *, session: AsyncSession, zone: str, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a zone's versions, newest first."""
    name = fqdn(zone)
    total = await session.scalar(
        select(func.count()).select_from(ZoneVersion).where(ZoneVersion.zone == name)
    )
    rows = await session.scalars(
        select(ZoneVersion)
        .where(ZoneVersion.zone == name)
        .order_by(ZoneVersion.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return [version_public(v) for v in rows], int(total or 0)


async def get_version(*, session: AsyncSession, zone: str, version_id: int) -> ZoneVersion:
    """The version ``version_id`` of ``zone``; NotFound when it is not one of the zone's."""
    version = await session.get(ZoneVersion, version_id)
    if version is None or version.zone != fqdn(zone):
        raise NotFound(f"Version {version_id} of zone {display(fqdn(zone))} not found")
    return version


async def latest_version(*, session: AsyncSession, zone: str) -> ZoneVersion | None:
    """The zone's newest version, without its stored delta and snapshot (megabytes for a
    big zone, and never needed here: touching them raises)."""
    return await session.scalar(
        select(ZoneVersion)
        .where(ZoneVersion.zone == fqdn(zone))
        .order_by(ZoneVersion.id.desc())
        .limit(1)
        .options(
            defer(ZoneVersion.delta, raiseload=True), defer(ZoneVersion.snapshot, raiseload=True)
        )
    )


class RebuildCache:
    """The last few rebuilt versions, per app (shared by requests; thread-safe).

    A version's content never changes once recorded (retention only deletes versions
    older than the newest, and ids are never reused), so entries need no invalidation. A
    decoded state of 100,000 RRsets takes about 40 MB, so at most ``size`` versions and
    ``max_rrsets`` RRsets in all are kept (the newest entry always).
    """

    def __init__(self, size: int = 4, max_rrsets: int = 250_000) -> None:
        self._size = size
        self._max_rrsets = max_rrsets
        self._states: OrderedDict[tuple[str, int], State] = OrderedDict()
        self._lock = threading.Lock()

    def nearest(self, zone: str, version_id: int) -> tuple[int, State] | None:
        """The cached version of ``zone`` closest at or before ``version_id`` (read only)."""
        with self._lock:
            found = max(
                (vid for z, vid in self._states if z == zone and vid <= version_id), default=None
            )
            if found is None:
                return None
            self._states.move_to_end((zone, found))
            return found, self._states[(zone, found)]

    def put(self, zone: str, version_id: int, state: State) -> None:
        """Keep ``state`` (which nobody may change afterwards)."""
        with self._lock:
            self._states[(zone, version_id)] = state
            self._states.move_to_end((zone, version_id))
            total = sum(len(kept) for kept in self._states.values())
            while len(self._states) > 1 and (
                len(self._states) > self._size or total > self._max_rrsets
            ):
                total -= len(self._states.popitem(last=False)[1])


async def rebuild_state(
    *, session: AsyncSession, zone: str, version_id: int, cache: RebuildCache | None = None
) -> State:
    """The zone's content right after version ``version_id``: snapshot plus later deltas.

    Starts from the cached version nearest before it when that is later than the nearest
    snapshot; the decoding runs in a worker thread. The answer is the caller's to change.
    """
    name = fqdn(zone)
    cached = cache.nearest(name, version_id) if cache is not None else None
    rows = await _chain(session, name, version_id, cached[0] if cached is not None else -1)
    base: bytes | State
    if rows and rows[0][2] is not None:
        base_id, base = rows[0][0], rows[0][2]
    elif cached is not None:
        base_id, base = cached
    else:
        raise NotFound(f"Version {version_id} of zone {display(name)} cannot be rebuilt")
    deltas = [delta for vid, delta, _ in rows if vid > base_id]
    state, kept = await asyncio.to_thread(_rebuild, base, deltas, cache is not None)
    if cache is not None and kept is not None:
        cache.put(name, version_id, kept)
    return state


async def rebuild_snapshot(
    *, session: AsyncSession, zone: str, version_id: int, then: Sequence[bytes] = ()
) -> bytes:
    """The stored snapshot of version ``version_id`` (moved on over the stored deltas
    ``then``), made from the nearest snapshot without decoding the zone (worker thread)."""
    name = fqdn(zone)
    rows = await _chain(session, name, version_id, -1)
    if not rows or rows[0][2] is None:
        raise NotFound(f"Version {version_id} of zone {display(name)} cannot be rebuilt")
    deltas = [delta for _vid, delta, _ in rows[1:]]
    return await asyncio.to_thread(snapshot_after, rows[0][2], [*deltas, *then])


async def _chain(
    session: AsyncSession, name: str, version_id: int, cached_id: int
) -> list[Row[int, bytes, bytes | None]]:
    """(id, delta, snapshot) from the nearest snapshot at or before ``version_id`` (the
    snapshot only there, and only when it is later than ``cached_id``) to that version."""
    # One statement reads the whole chain (the nearest snapshot and the deltas after it):
    # retention gives a version its snapshot and deletes the older ones in one transaction,
    # so a single statement sees the chain either before or after that, never half of it.
    in_zone = (ZoneVersion.zone == name, ZoneVersion.id <= version_id)
    snapshot_id = (
        select(func.max(ZoneVersion.id))
        .where(*in_zone, ZoneVersion.snapshot.is_not(None))
        .scalar_subquery()
    )
    base_snapshot = case(
        (and_(ZoneVersion.id == snapshot_id, snapshot_id > cached_id), ZoneVersion.snapshot)
    )
    result = await session.execute(
        select(ZoneVersion.id, ZoneVersion.delta, base_snapshot)
        .where(*in_zone, ZoneVersion.id >= func.coalesce(snapshot_id, cached_id))
        .order_by(ZoneVersion.id)
    )
    return list(result.all())


def _rebuild(
    base: bytes | State, deltas: Sequence[bytes], keep: bool
) -> tuple[State, State | None]:
    """(CPU, in a worker thread) base + deltas; also a copy to cache when ``keep``."""
    state = decode_state(base) if isinstance(base, bytes) else dict(base)
    for blob in deltas:
        apply_delta(state, decode_delta(blob))
    return state, (dict(state) if keep else None)


async def version_content(
    *,
    session: AsyncSession,
    zone: str,
    version_id: int,
    page: int | None,
    per_page: int,
    cache: RebuildCache | None = None,
) -> dict[str, Any]:
    """A version's metadata, what it changed, and the zone's full content after it."""
    version = await get_version(session=session, zone=zone, version_id=version_id)
    state = await rebuild_state(session=session, zone=zone, version_id=version_id, cache=cache)
    body = await asyncio.to_thread(_content_body, state, version.delta, page, per_page)
    return {**version_public(version), **body}


def _content_body(state: State, delta_blob: bytes, page: int | None, per_page: int) -> JSON:
    """(CPU, in a worker thread) the delta list and one page of the content, sorted."""
    keys = sorted(state, key=sort_key)
    if page is not None:
        keys = keys[(page - 1) * per_page : page * per_page]
    delta = sorted(decode_delta(delta_blob).items(), key=lambda kv: sort_key(kv[0]))
    return {
        "delta": [
            {
                "name": display(k[0]),
                "type": k[1],
                "before": None if b is None else b.public(comments=True),
                "after": None if a is None else a.public(comments=True),
            }
            for k, (b, a) in delta[:DELTA_LIST_LIMIT]
        ],
        "delta_truncated": len(delta) > DELTA_LIST_LIMIT,
        "total_rrsets": len(state),
        "rrsets": [state[k].public(comments=True) for k in keys],
    }


async def compare_versions(
    *,
    session: AsyncSession,
    zone: str,
    from_id: int,
    to_id: int | None,
    cache: RebuildCache | None = None,
) -> dict[str, Any]:
    """The RRset diff from version ``from_id`` to ``to_id`` (default: the latest)."""
    if to_id is None:
        latest = await latest_version(session=session, zone=zone)
        if latest is None:
            raise NotFound(f"Zone {display(fqdn(zone))} has no versions")
        to_id = latest.id
    await get_version(session=session, zone=zone, version_id=from_id)
    await get_version(session=session, zone=zone, version_id=to_id)
    if from_id > to_id:
        raise InvalidInput("from", "'from' must be an older version than 'to'")
    # The older first: with a cache, the newer one then starts from it.
    old = await rebuild_state(session=session, zone=zone, version_id=from_id, cache=cache)
    new = await rebuild_state(session=session, zone=zone, version_id=to_id, cache=cache)
    diff = await asyncio.to_thread(_diff_public, old, new)
    return {"zone": display(fqdn(zone)), "from": from_id, "to": to_id, **diff}


def _diff_public(old: State, new: State) -> JSON:
    """(CPU, in a worker thread) the public diff of two states."""
    return Plan.between(old, new, ignore=MANAGED_TYPES).public(comments=True)


async def version_export(
    *, session: AsyncSession, zone: str, version_id: int, cache: RebuildCache | None = None
) -> str:
    """A version's content as a zone file."""
    version = await get_version(session=session, zone=zone, version_id=version_id)
    state = await rebuild_state(session=session, zone=zone, version_id=version_id, cache=cache)
    header = [
        f"Zone {fqdn(zone)} as of version {version.id} ({version.created_at:%Y-%m-%d %H:%M:%S} "
        f"UTC, {version.summary})",
    ]
    return await asyncio.to_thread(
        lambda: export_text(zone=zone, rrsets=state_to_rrsets(state), header=header)
    )


async def rollback_target(
    *, session: AsyncSession, zone: str, version_id: int, cache: RebuildCache | None = None
) -> State:
    """The content a rollback to ``version_id`` restores (checked to be the zone's version)."""
    await get_version(session=session, zone=zone, version_id=version_id)
    return await rebuild_state(session=session, zone=zone, version_id=version_id, cache=cache)
