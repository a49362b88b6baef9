"""Server health that never waits for the slowest server.

``check_server`` asks one server who it is (``GET /servers/{id}``): reachability, key
validity, version, latency. ``HealthChecks`` runs those checks for a health page: every
server on its own, at most one check in flight per server whoever asks (the dashboards of
several users, a Settings tab), results reused for ``fresh_seconds``. A caller waits
``deadline_seconds`` at most: a server still silent then is reported ``not_answering``
while its check goes on, and the next caller gets its answer when it came.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSTimeout

Check = dict[str, Any]


async def check_server(client: PowerDNSClient) -> Check:
    """Reachability, key validity and version of one server, with latency.

    ``state``: ``healthy``, ``not_answering`` (no answer in time) or ``unreachable``
    (refused, bad key, server error).
    """
    started = time.perf_counter()
    try:
        info = await client.server_info()
    except PowerDNSError as exc:
        return {"healthy": False, "state": failure_state(exc), "latency_ms": None,
                "version": None, "error": str(exc)}  # fmt: skip
    latency = round((time.perf_counter() - started) * 1000, 1)
    return {"healthy": True, "state": "healthy", "latency_ms": latency,
            "version": info.get("version"), "error": None}  # fmt: skip


def failure_state(exc: PowerDNSError) -> str:
    """``not_answering`` when the server gave no answer in time, else ``unreachable``
    (refused, bad key, server error)."""
    return "not_answering" if isinstance(exc, PowerDNSTimeout) else "unreachable"


def silent_after(seconds: float) -> str:
    """The error text of a server still silent after the caller's deadline."""
    return f"not answering (no answer within {seconds:g} s)"


def not_answering(seconds: float) -> Check:
    """A server whose check is still running after the caller's deadline."""
    return {"healthy": False, "state": "not_answering", "latency_ms": None, "version": None,
            "error": silent_after(seconds)}  # fmt: skip


class HealthChecks:
    """Shared, deadline-bounded health checks (one per app)."""

    def __init__(self, *, deadline_seconds: float, fresh_seconds: float = 2.0) -> None:
        self.deadline_seconds = deadline_seconds
        self.fresh_seconds = fresh_seconds
        # server id -> (the client checked, the check in flight)
        self._running: dict[int, tuple[PowerDNSClient, asyncio.Task[Check]]] = {}
        # server id -> (the client checked, when it answered, the answer)
        self._answers: dict[int, tuple[PowerDNSClient, float, Check]] = {}

    async def check(self, servers: Sequence[tuple[int, PowerDNSClient]]) -> dict[int, Check]:
        """Server id -> its check, within ``deadline_seconds`` whatever any server does."""
        now = time.monotonic()
        found: dict[int, Check] = {}
        waiting: dict[int, asyncio.Task[Check]] = {}
        for server_id, client in servers:
            answer = self._answers.get(server_id)
            if answer is not None and answer[0] is client and now - answer[1] < self.fresh_seconds:
                found[server_id] = answer[2]
            else:
                waiting[server_id] = self._start(server_id, client)
        if waiting:
            await asyncio.wait(waiting.values(), timeout=self.deadline_seconds)
        silent = not_answering(self.deadline_seconds)
        for server_id, task in waiting.items():
            found[server_id] = task.result() if task.done() else silent
        return found

    def _start(self, server_id: int, client: PowerDNSClient) -> asyncio.Task[Check]:
        running = self._running.get(server_id)
        if running is not None and running[0] is client and not running[1].done():
            return running[1]
        task = asyncio.create_task(check_server(client), name=f"dnsmate-health-{server_id}")
        self._running[server_id] = (client, task)
        task.add_done_callback(lambda t: self._answered(server_id, client, t))
        return task

    def _answered(self, server_id: int, client: PowerDNSClient, task: asyncio.Task[Check]) -> None:
        if self._running.get(server_id, (None, None))[1] is task:
            del self._running[server_id]
        if not task.cancelled():
            self._answers[server_id] = (client, time.monotonic(), task.result())

    async def aclose(self) -> None:
        """Stop the checks still running (at shutdown)."""
        tasks = [task for _, task in self._running.values()]
        self._running.clear()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
