"""Zone versions as the write pipeline records them, and the retention that prunes them.

For every change that changed a zone, the record step adds who, when, how and the RRset delta
(before and after) as the reference server saw it: the first target that succeeded,
which is the default server when it answered. The first version of a zone also stores
the whole zone (read once from that server, or known from the change itself for a zone
created or deleted); later snapshots are rebuilt from the stored chain.

Retention (``dnsmate.services.retention``: stored settings, the environment's as defaults)
runs in background tasks, so requests never wait for it: after each recorded version for
that zone, for all zones every ``version_prune_interval_seconds``, and after a change of
the settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.config import Settings
from dnsmate.db import utcnow
from dnsmate.models import ZoneVersion
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.multi_powerdns import MultiPowerDNSService, ServerResult
from dnsmate.services.retention import Retention, get_retention
from dnsmate.services.rrset import RRset
from dnsmate.services.sync.leader import Leadership
from dnsmate.services.versions import (
    Delta,
    apply_delta,
    encode_delta,
    encode_state,
    latest_version,
    rebuild_state,
)
from dnsmate.services.write.changes import Change, CreateZone, DeleteZone, ServerChange
from dnsmate.services.zonestate import State, state_from_rrsets

log = logging.getLogger(__name__)

# A new snapshot is stored once the deltas since the last one hold this many RRsets or
# as many as the zone has, whichever is more: rebuilding then never replays more than
# about two zones' worth of data, and small edits of a big zone stay small.
SNAPSHOT_MIN_RRSETS = 200
_PAST = {"create": "created", "update": "updated", "delete": "deleted"}


class VersionRecorder:
    """Adds versions inside the write pipeline's transaction, and prunes them in the background."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        lead: Leadership | None = None,
    ) -> None:
        self._settings = settings
        # The periodic pass runs in one process at a time (the per-change prunes everywhere).
        self._lead = lead
        self._sessions = sessions
        self._locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: set[str] = set()
        self._periodic: asyncio.Task[None] | None = None

    def lock(self, zone: str) -> asyncio.Lock:
        """Held from reading the latest version of ``zone`` until the new one is committed."""
        return self._locks.setdefault(fqdn(zone), asyncio.Lock())

    # -- recording -------------------------------------------------------------------------

    async def add_version(
        self,
        *,
        session: AsyncSession,
        change: Change,
        reference: ServerResult[ServerChange] | None,
        actor: str | None,
        via: str,
        targets: MultiPowerDNSService,
    ) -> bool:
        """Add the version ``change`` made, as ``reference`` saw it, to the session.

        The caller holds ``lock(change.zone)`` and commits. False when the change changed
        nothing there (no version), or the zone's first version could not be read.
        """
        if reference is None or reference.value is None or not reference.value.changed:
            return False
        outcome = reference.value
        zone = fqdn(change.zone)
        delta = _delta(change, outcome)
        if not delta:
            return False
        last = await latest_version(session=session, zone=zone)
        snapshot: State | None = None
        if isinstance(change, CreateZone | DeleteZone):
            snapshot = {k: a for k, (_b, a) in delta.items() if a is not None}
        elif last is None:
            snapshot = await _read_zone(targets, zone, reference.server_id)
            if snapshot is None:
                return False
        count = len(snapshot) if snapshot is not None else _count_after(last, delta)
        since = (last.since_snapshot if last else 0) + len(delta)
        if snapshot is None and last is not None and since >= max(count, SNAPSHOT_MIN_RRSETS):
            snapshot = await rebuild_state(session=session, zone=zone, version_id=last.id)
            apply_delta(snapshot, delta)
        session.add(
            ZoneVersion(
                zone=zone,
                actor=actor,
                via=via,
                action=change.action,
                summary=_summary(change.noun, change.verb, delta),
                added=sum(1 for b, a in delta.values() if b is None),
                changed=sum(1 for b, a in delta.values() if b is not None and a is not None),
                deleted=sum(1 for b, a in delta.values() if a is None),
                rrset_count=count,
                since_snapshot=0 if snapshot is not None else since,
                delta=encode_delta(delta),
                snapshot=None if snapshot is None else encode_state(snapshot),
            )
        )
        return True

    # -- retention -------------------------------------------------------------------------

    def schedule_prune(self, zone: str) -> None:
        """Prune ``zone``'s old versions in the background (once, however often asked)."""
        if zone in self._pending:
            return
        self._pending.add(zone)
        task = asyncio.get_running_loop().create_task(self._prune_task(zone))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _prune_task(self, zone: str) -> None:
        self._pending.discard(zone)
        try:
            await self.prune(zone)
        except Exception:
            log.exception("Pruning the versions of %s failed", zone)

    async def prune(self, zone: str, retention: Retention | None = None) -> int:
        """Apply the retention settings to ``zone``; returns how many versions were removed.

        The newest version is always kept. Before older versions go, the oldest kept one
        gets a snapshot, so every kept version can still be rebuilt. ``retention`` is read
        from the database when not given.
        """
        async with self._sessions() as session:
            # Check out the connection before taking the lock: the lock holder (a request)
            # already has its connection, so a full pool cannot leave both waiting.
            await session.connection()
            kept = retention or await get_retention(session=session, settings=self._settings)
            keep_max = kept.max_per_zone
            cutoff = utcnow() - timedelta(days=kept.max_age_days)
            async with self.lock(zone):
                return await self._prune_locked(session, zone, keep_max, cutoff)

    async def _prune_locked(
        self, session: AsyncSession, zone: str, keep_max: int, cutoff: datetime
    ) -> int:
        rows = (
            await session.execute(
                select(ZoneVersion.id, ZoneVersion.created_at)
                .where(ZoneVersion.zone == zone)
                .order_by(ZoneVersion.id.desc())
            )
        ).all()
        kept = [
            r.id
            for i, r in enumerate(rows)
            if i == 0 or (i < keep_max and _aware(r.created_at) >= cutoff)
        ]
        if len(kept) == len(rows):
            return 0
        oldest = await session.get(ZoneVersion, kept[-1])
        assert oldest is not None
        has_snapshot = await session.scalar(
            select(ZoneVersion.snapshot.is_not(None)).where(ZoneVersion.id == oldest.id)
        )
        if not has_snapshot:
            state = await rebuild_state(session=session, zone=zone, version_id=oldest.id)
            oldest.snapshot = encode_state(state)
        result = await session.execute(
            delete(ZoneVersion).where(ZoneVersion.zone == zone, ZoneVersion.id < oldest.id)
        )
        await session.commit()
        removed = int(getattr(result, "rowcount", 0) or 0)
        log.info("Pruned %d versions of %s", removed, zone)
        return removed

    async def prune_all(self) -> None:
        """Apply retention to every zone that has versions."""
        async with self._sessions() as session:
            zones = list(await session.scalars(select(ZoneVersion.zone).distinct()))
            retention = await get_retention(session=session, settings=self._settings)
        for zone in zones:
            await self.prune(zone, retention)

    def schedule_prune_all(self) -> None:
        """Apply retention to every zone in the background (after the settings changed)."""
        task = asyncio.get_running_loop().create_task(self._prune_all_task())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _prune_all_task(self) -> None:
        try:
            await self.prune_all()
        except Exception:
            log.exception("Applying the version retention failed")

    def start(self) -> None:
        """Start the periodic retention pass (call from the app's lifespan)."""
        self._periodic = asyncio.get_running_loop().create_task(self._periodic_prune())

    async def periodic_round(self) -> bool:
        """One periodic pass if this process leads the retention; False when it does not."""
        if self._lead is not None and not await self._lead.held():
            return False
        await self.prune_all()
        return True

    async def _periodic_prune(self) -> None:
        while True:
            try:
                await self.periodic_round()
            except Exception:
                log.exception("Periodic version retention failed")
            await asyncio.sleep(self._settings.version_prune_interval_seconds)

    async def idle(self) -> None:
        """Wait for the background prunes started so far (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        if self._periodic is not None:
            self._periodic.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._periodic
        await self.idle()
        if self._lead is not None:
            await self._lead.release()


async def _read_zone(
    targets: MultiPowerDNSService, zone: str, server_id: int | None
) -> State | None:
    """The whole zone from the reference server: the base of the zone's first version."""
    client = targets.client(server_id)
    try:
        if client is not None:
            data = await client.get_zone(zone)
        else:
            data = await targets.read(lambda c: c.get_zone(zone))
    except PowerDNSError as exc:
        log.warning("No version for %s: reading the zone failed: %s", zone, exc)
        return None
    return state_from_rrsets(data.get("rrsets", []))


def _delta(change: object, outcome: ServerChange) -> Delta:
    """The touched RRsets that differ before and after (versions keep no comments, so a
    change of comments alone is none)."""
    if isinstance(change, DeleteZone):
        before = state_from_rrsets((outcome.zone_before or {}).get("rrsets", []))
        return {k: (r.without_comments(), None) for k, r in before.items()}
    if isinstance(change, CreateZone):
        after = state_from_rrsets(outcome.after)
        return {k: (None, r.without_comments()) for k, r in after.items()}
    delta: Delta = {}
    for old, new in zip(outcome.before, outcome.after, strict=False):
        b, a = _stored(old), _stored(new)
        if b != a:
            delta[(fqdn(new["name"]), new["type"])] = (b, a)
    return delta


def _stored(data: JSON) -> RRset | None:
    """An RRset as versions keep it (no comments), or None when it has no records."""
    return RRset.from_pdns(data, with_comments=False) if data.get("records") else None


def _count_after(last: ZoneVersion | None, delta: Delta) -> int:
    base = last.rrset_count if last else 0
    added = sum(1 for b, a in delta.values() if b is None and a is not None)
    removed = sum(1 for b, a in delta.values() if b is not None and a is None)
    return base + added - removed


def _summary(noun: str, verb: str, delta: Delta) -> str:
    keys = sorted(delta)
    names = ", ".join(f"{display(n)} {t}" for n, t in keys[:3])
    more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
    return f"{noun} {_PAST.get(verb, verb)}: {names}{more}"[:500]


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they are UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
