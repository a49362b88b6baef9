"""Version retention: pruning old zone versions in the background, in batches.

Retention (``dnsmate.services.history.retention``: stored settings, the environment's as defaults)
keeps the newest ``max_per_zone`` versions of each zone that are younger than
``max_age_days``; the newest version is always kept. Before older versions go, the oldest
kept one gets a snapshot, so every kept version can still be rebuilt.

Pruning is batched so that the cost of a write does not grow with the number of versions a
zone has: a zone is pruned once it holds a tenth more versions than it may keep (its
``slack``), and then back down to ``max_per_zone``, so the snapshot the new oldest version
needs is made once per ``slack`` writes instead of after every write. Counting those
writes costs nothing (a counter per zone in this process); the snapshot is the previous one
moved forward as text over the deltas in between (``version_codec.snapshot_after``: the
zone's lines are split and joined, only the deltas are decoded; in a worker thread), and
the database work runs in a background task, never in the request. A zone therefore holds
up to ``max_per_zone + slack`` versions (more for a moment with several DNSMate processes,
each counting its own writes); the periodic pass over every zone
(``version_prune_interval_seconds``, in the one process that leads "version-retention",
see ``sync/leader.py``) and a change of the settings prune without slack.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.config import Settings
from dnsmate.db import utcnow
from dnsmate.models import ZoneVersion
from dnsmate.powerdns.names import fqdn
from dnsmate.services.history.retention import Retention, get_retention
from dnsmate.services.history.versions import rebuild_snapshot
from dnsmate.services.sync.leader import Leadership

log = logging.getLogger(__name__)


def prune_slack(max_per_zone: int) -> int:
    """How many versions beyond ``max_per_zone`` a zone may hold before it is pruned."""
    return max_per_zone // 10


class VersionRetention:
    """Prunes zone versions: after enough new versions of a zone, periodically, on demand.

    ``version_recorded(zone)`` is called for every recorded version; it only counts, and
    starts a background prune of that zone when the zone may be over its limit.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        lead: Leadership | None = None,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        # The periodic pass runs in one process at a time (the batched prunes everywhere).
        self._lead = lead
        # Zone -> versions that may still be recorded before the zone needs a prune
        # (a zone this process has not checked yet is checked on its first new version).
        self._budget: dict[str, int] = {}
        # One prune per zone at a time in this process.
        self._prune_locks: dict[str, asyncio.Lock] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending: set[str] = set()
        self._periodic: asyncio.Task[None] | None = None

    def version_recorded(self, zone: str) -> None:
        """Count a new version of ``zone``; prune it in the background when it may be full."""
        zone = fqdn(zone)
        budget = self._budget.get(zone, 0) - 1
        self._budget[zone] = budget
        if budget < 0:
            self.schedule_prune(zone)

    def schedule_prune(self, zone: str) -> None:
        """Prune ``zone``'s old versions in the background (once, however often asked)."""
        if zone in self._pending:
            return
        self._pending.add(zone)
        self._spawn(self._prune_task(zone))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _prune_task(self, zone: str) -> None:
        self._pending.discard(zone)
        try:
            await self.prune(zone, batched=True)
        except Exception:
            log.exception("Pruning the versions of %s failed", zone)

    async def prune(
        self, zone: str, retention: Retention | None = None, *, batched: bool = False
    ) -> int:
        """Apply the retention settings to ``zone``; returns how many versions were removed.

        With ``batched`` (after new versions) a zone under its limit plus slack is left
        alone. ``retention`` is read from the database when not given.
        """
        zone = fqdn(zone)
        lock = self._prune_locks.setdefault(zone, asyncio.Lock())
        async with lock, self._sessions() as session:
            kept = retention or await get_retention(session=session, settings=self._settings)
            return await self._prune(session, zone, kept, batched=batched)

    async def _prune(
        self, session: AsyncSession, zone: str, retention: Retention, *, batched: bool
    ) -> int:
        keep_max = retention.max_per_zone
        slack = prune_slack(keep_max) if batched else 0
        cutoff = utcnow() - timedelta(days=retention.max_age_days)
        rows = (
            await session.execute(
                select(ZoneVersion.id, ZoneVersion.created_at)
                .where(ZoneVersion.zone == zone)
                .order_by(ZoneVersion.id.desc())
            )
        ).all()
        expired = len(rows) > 1 and _aware(rows[-1].created_at) < cutoff
        if len(rows) <= keep_max + slack and not expired:
            self._budget[zone] = keep_max + slack - len(rows)
            await session.rollback()  # hand the connection back before any waiting
            return 0
        kept = [
            r.id
            for i, r in enumerate(rows)
            if i == 0 or (i < keep_max and _aware(r.created_at) >= cutoff)
        ]
        self._budget[zone] = keep_max + prune_slack(keep_max) - len(kept)
        oldest = kept[-1]
        has_snapshot = await session.scalar(
            select(ZoneVersion.snapshot.is_not(None)).where(ZoneVersion.id == oldest)
        )
        if not has_snapshot:
            # No lock against recording or reading: recording only adds newer versions, a
            # rebuild reads its chain in one statement, and the snapshot and the deletion
            # commit together, so every reader sees the chain before or after, whole.
            blob = await rebuild_snapshot(session=session, zone=zone, version_id=oldest)
            await session.execute(
                update(ZoneVersion)
                .where(ZoneVersion.id == oldest, ZoneVersion.snapshot.is_(None))
                .values(snapshot=blob)
            )
        result = await session.execute(
            delete(ZoneVersion).where(ZoneVersion.zone == zone, ZoneVersion.id < oldest)
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
        self._spawn(self._prune_all_task())

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


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they are UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
