"""Background monitoring: statistics flushing and the periodic drift check.

Two loops, started in the app's lifespan next to the health monitor (``worker``):

- every ``stats_flush_seconds``: add this process's operation counts to the database and
  prune rows past the retention (``stats``); a last flush runs on shutdown;
- at start and every ``drift_check_interval_seconds``: the fast sync status check
  (``drift.sync_status``), which sets the ``dnsmate_zones_drifted`` gauge. With PostgreSQL
  only the process that leads "drift-check" (leader.py) runs it, so the check runs once per
  interval whatever the number of processes; an advisory lock also keeps a check from
  overlapping one started on request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.services.errors import NoServerAvailable
from dnsmate.services.sync import loops, stats
from dnsmate.services.sync.drift import sync_status
from dnsmate.services.sync.leader import Leadership
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.webhooks.outbox import emit_now

log = logging.getLogger(__name__)


async def flush_stats(*, runtime: SyncRuntime, prune: bool = True) -> None:
    """Write this process's pending statistics (and prune old rows)."""
    async with runtime.sessions() as session:
        await stats.flush(session=session, buffer=runtime.metrics.stats)
        if prune:
            await stats.prune(session=session)


async def check_drift(*, runtime: SyncRuntime) -> bool:
    """Run the sync status check and set the drift gauge; False when another process
    holds the check (PostgreSQL) or no server is configured."""
    async with runtime.locks.exclusive("drift-check") as owned:
        if not owned:
            return False
        async with runtime.sessions() as session:
            try:
                status = await sync_status(
                    session=session, pool=runtime.pool, metrics=runtime.metrics
                )
            except NoServerAvailable:
                return False
            await report_drift(session=session, runtime=runtime, status=status)
    return True


async def report_drift(
    *, session: AsyncSession, runtime: SyncRuntime, status: dict[str, Any]
) -> None:
    """Owe a ``drift.detected`` webhook when zones drifted (or went missing) since this
    process's previous check; zones that stay drifted are not reported again."""
    now = {z["zone"]: z for z in status["zones"] if z["status"] in ("drifted", "missing")}
    new = sorted(now.keys() - runtime.drifted)
    runtime.drifted = set(now)
    if not new:
        return
    zones = [{k: now[z].get(k) for k in ("zone", "status", "drifted_on", "missing_on")}
             for z in new]  # fmt: skip
    data = {"zones": zones, "reference": status["reference"], "summary": status["summary"]}
    await emit_now(session, kind="drift.detected", data=data, hooks=runtime.hooks)
    await session.commit()


class Monitor:
    """Runs the statistics flush and the drift check, each on its own interval."""

    def __init__(self, runtime: SyncRuntime, *, flush_seconds: float, drift_seconds: float) -> None:
        self._runtime = runtime
        self._flush_seconds = flush_seconds
        self._drift_seconds = drift_seconds
        self._tasks: list[asyncio.Task[Any]] = []
        self._drift_lead = Leadership(runtime.engine, "drift-check")

    def start(self) -> None:
        if self._tasks:
            return
        if self._flush_seconds > 0:
            self._start("stats-flush", self._flush_seconds, self._flush, first=False)
        if self._drift_seconds > 0:
            self._start("drift-check", self._drift_seconds, self._drift, first=True)

    async def stop(self) -> None:
        """Stop both loops, then flush what is still counted in memory."""
        tasks, self._tasks = self._tasks, []
        await asyncio.gather(*(loops.stop(task) for task in tasks))
        await self._drift_lead.release()
        try:
            await flush_stats(runtime=self._runtime, prune=False)
        except Exception:  # shutting down: losing a few seconds of counts is acceptable
            log.exception("final statistics flush failed")

    def _start(
        self, name: str, seconds: float, job: Callable[[], Awaitable[Any]], *, first: bool
    ) -> None:
        task = asyncio.create_task(
            loops.every(name, seconds, job, first=first), name=f"dnsmate-{name}"
        )
        self._tasks.append(task)

    async def _flush(self) -> None:
        await flush_stats(runtime=self._runtime)

    async def drift_round(self) -> bool:
        """The periodic drift check if this process leads it; False when it does not."""
        if not await self._drift_lead.held():
            return False
        return await check_drift(runtime=self._runtime)

    async def _drift(self) -> None:
        await self.drift_round()
