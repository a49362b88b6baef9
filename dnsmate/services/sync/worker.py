"""The background task: health probes (breakers) and queue replay every interval."""

from __future__ import annotations

import asyncio
from typing import Any

from dnsmate.services.fleet.server_health import check_server
from dnsmate.services.fleet.servers import list_servers
from dnsmate.services.sync import loops
from dnsmate.services.sync.health import Outcome, breaker_states, effective_state, record_outcomes
from dnsmate.services.sync.leader import Leadership
from dnsmate.services.sync.queue import drain_queue
from dnsmate.services.sync.runtime import SyncRuntime


async def probe_servers(*, runtime: SyncRuntime) -> dict[str, str]:
    """Check every active server whose breaker allows it; returns name -> breaker state.

    An open breaker is left alone until its cool-down ends; then this probe (half-open)
    closes it on success or opens it for another cool-down.
    """
    async with runtime.sessions() as session:
        rows = [row for row in await list_servers(session) if row.is_active]
        breakers = await breaker_states(session)
        due = [row for row in rows if effective_state(breakers.get(row.id)) != "open"]
        checks = await asyncio.gather(*(check_server(runtime.pool.client(row)) for row in due))
        outcomes = [
            Outcome(row.id, bool(check["healthy"]), check["error"], check["latency_ms"])
            for row, check in zip(due, checks, strict=True)
        ]
        for row, check in zip(due, checks, strict=True):
            seconds = None if check["latency_ms"] is None else check["latency_ms"] / 1000
            outcome = "success" if check["healthy"] else "failure"
            if seconds is not None:
                runtime.pool.read_router.observe(row.name, check["latency_ms"])
            runtime.metrics.observe(server=row.name, server_id=row.id, kind="health",
                                    outcome=outcome, seconds=seconds)  # fmt: skip
        await record_outcomes(session=session, outcomes=outcomes, policy=runtime.breaker)
        breakers = await breaker_states(session)
        return {row.name: effective_state(breakers.get(row.id)) for row in rows}


class SyncWorker:
    """Runs probe + drain every ``runtime.interval_seconds`` until stopped.

    With several processes on PostgreSQL only the process that leads "sync-worker" runs
    the rounds (see leader.py): one probe per server per interval, whatever the number of
    processes, so the breaker threshold means what it says.
    """

    def __init__(self, runtime: SyncRuntime) -> None:
        self._runtime = runtime
        self._task: asyncio.Task[Any] | None = None
        self._lead = Leadership(runtime.engine, "sync-worker")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.create_task(
                loops.every("sync worker", self._runtime.interval_seconds, self.round),
                name="dnsmate-sync-worker",
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        await loops.stop(task)
        await self._lead.release()

    async def round(self) -> bool:
        """One round if this process leads the worker; False (nothing done) otherwise."""
        if not await self._lead.held():
            return False
        await self.run_once()
        return True

    async def run_once(self) -> None:
        """One round: probe the servers, then replay what is owed to the healthy ones."""
        await probe_servers(runtime=self._runtime)
        await drain_queue(runtime=self._runtime)
