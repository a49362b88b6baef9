"""Multi-server mode: target selection, concurrent fan-out and result aggregation.

Targets (the contract in docs and README): when at least one ACTIVE server has
``multi_server_mode`` on, every write goes to all active servers with it on; otherwise it
goes to the default server alone. Reads use the default server when it is a target and
answers, else the first target that answers; a ``ReadRouter`` (``Settings.read_strategy``)
may choose another first target (see ``dnsmate.services.fleet.read_routing``).

A service may be told to ``skip`` some targets (an open circuit breaker): a write does not
contact them and their result says ``skipped: <reason>`` at once, instead of waiting for a
timeout. ``before_write`` runs first on a target that still owes queued changes, with the
zone the write is about (``execute(..., zone=)``): the changes owed for that zone are
replayed before the new one. Reads try both kinds last. Targets are known by DNSMate's
server id (``PowerDNSClient.settings_id``, ``ServerResult.server_id``) end to end; the
name is for people.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from dnsmate.powerdns import errors
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.schemas.outcomes import ServerOutcome
from dnsmate.services.errors import NoServerAvailable
from dnsmate.services.fleet.read_routing import ReadRouter
from dnsmate.services.write.stragglers import ServerStraggling, Stragglers

T = TypeVar("T")

# What runs on a server before a write to ``zone`` (None: the write names no zone).
Prepare = Callable[[PowerDNSClient, str | None], Awaitable[None]]


class ServerConfig(Protocol):
    """What target selection needs to know about a server (a PowerDNSSettings row or its
    in-memory copy)."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def is_default(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def multi_server_mode(self) -> bool: ...


S = TypeVar("S", bound=ServerConfig)


class OperationObserver(Protocol):
    """Records one operation's outcome (``SyncMetrics.observe``: metrics and statistics)."""

    def __call__(
        self,
        *,
        server: str,
        server_id: int | None,
        kind: str,
        outcome: str,
        seconds: float | None,
    ) -> None:
        """Count one operation of ``kind`` on ``server``; ``seconds`` when it was answered."""


def select_targets(servers: Sequence[S]) -> list[S]:
    """The servers a write goes to, default server first; raises when there are none."""
    if not servers:
        raise NoServerAvailable(
            "No PowerDNS server is configured. Add one with POST /api/settings/powerdns "
            "(or in Settings > PowerDNS in the web interface)."
        )
    multi = [s for s in servers if s.is_active and s.multi_server_mode]
    if multi:
        return sorted(multi, key=lambda s: (not s.is_default, s.id))
    default = next((s for s in servers if s.is_default), None)
    if default is None or not default.is_active:
        raise NoServerAvailable(
            "No active default PowerDNS server: mark an active server as default, or turn on "
            "multi-server mode on at least one active server."
        )
    return [default]


@dataclass
class ServerResult(Generic[T]):
    """The outcome of one operation on one server.

    ``server`` is the display name (for answers and logs); ``server_id`` is DNSMate's id of
    the server (None only for a client built outside the pool, as in unit tests).
    """

    server: str
    success: bool
    error: str | None = None
    duration_ms: float = 0.0
    value: T | None = None
    exc: PowerDNSError | None = None
    skipped: bool = False
    server_id: int | None = None

    def outcome(self) -> ServerOutcome:
        """The API's view of this result (``schemas.outcomes.ServerOutcome``)."""
        return ServerOutcome(
            server=self.server,
            success=self.success,
            error=self.error,
            duration_ms=round(self.duration_ms, 1),
            skipped=self.skipped,
        )

    def public(self) -> dict[str, Any]:
        return self.outcome().model_dump()


@dataclass
class MultiPowerDNSResult(Generic[T]):
    """Per-server results of one fan-out, in target order (what the write pipeline settles)."""

    results: list[ServerResult[T]] = field(default_factory=list)

    @property
    def success_servers(self) -> list[str]:
        return [r.server for r in self.results if r.success]

    @property
    def failed_servers(self) -> list[str]:
        """``"Name: error"`` for each failed server, as in the seed's 207 body."""
        return [f"{r.server}: {r.error}" for r in self.results if not r.success]

    @property
    def all_succeeded(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def any_succeeded(self) -> bool:
        return any(r.success for r in self.results)

    @property
    def partial_success(self) -> bool:
        return self.any_succeeded and not self.all_succeeded

    def all_failed_with(self, exc_type: type[Exception]) -> bool:
        """True when every server failed, each with ``exc_type``."""
        return bool(self.results) and all(isinstance(r.exc, exc_type) for r in self.results)

    def first_value(self) -> T | None:
        return next((r.value for r in self.results if r.success), None)


class MultiPowerDNSService:
    """Runs one operation on every target concurrently and on the read server for reads."""

    def __init__(
        self,
        clients: Sequence[PowerDNSClient],
        *,
        skip: Mapping[int, str] | None = None,
        before_write: Mapping[int, Prepare] | None = None,
        router: ReadRouter | None = None,
        observer: OperationObserver | None = None,
        stragglers: Stragglers | None = None,
    ) -> None:
        self.clients = list(clients)
        # The straggler limit of writes (none: every write waits for every target).
        self.stragglers = stragglers
        # Records every read's outcome (the write pipeline records writes).
        self.observer = observer
        # Orders read targets and learns latency (default-first unless given another).
        self.router = router or ReadRouter()
        # Server id -> why writes skip it ("unhealthy", "earlier changes queued").
        self.skip: dict[int, str] = dict(skip or {})
        # Server id -> what must run on it before a write (replaying its queued changes).
        self.before_write = dict(before_write or {})

    def subset(self, server_ids: Collection[int | None]) -> MultiPowerDNSService:
        """The same service restricted to the targets whose ids are in ``server_ids``."""
        return MultiPowerDNSService(
            [c for c in self.clients if c.settings_id in server_ids],
            skip={k: v for k, v in self.skip.items() if k in server_ids},
            before_write={k: v for k, v in self.before_write.items() if k in server_ids},
            router=self.router,
            observer=self.observer,
            stragglers=self.stragglers,
        )

    def client(self, server_id: int | None) -> PowerDNSClient | None:
        """The target with this id, if it is one."""
        return next((c for c in self.clients if c.settings_id == server_id), None)

    def _write(
        self,
        client: PowerDNSClient,
        operation: Callable[[PowerDNSClient], Awaitable[T]],
        zone: str | None,
    ) -> Awaitable[ServerResult[T]]:
        key = client.settings_id
        if key is not None and key in self.skip:
            return _skipped(client, self.skip[key])
        prepare = None if key is None else self.before_write.get(key)
        if prepare is None:
            return _timed(client, operation)

        async def prepared(c: PowerDNSClient) -> T:
            await prepare(c, zone)
            return await operation(c)

        return _timed(client, prepared)

    @property
    def server_names(self) -> list[str]:
        return [c.name for c in self.clients]

    async def execute(
        self,
        operation: Callable[[PowerDNSClient], Awaitable[T]],
        *,
        zone: str | None = None,
        may_cut: Callable[[], Awaitable[bool]] | None = None,
    ) -> MultiPowerDNSResult[T]:
        """Run ``operation`` on every target at once; one server's failure never stops others.

        ``zone``: the zone the operation writes to; what a target owes for that zone is
        replayed first (without it, everything the target owes). Only ``PowerDNSError``
        counts as a per-server failure; any other exception is a bug and propagates. With
        ``may_cut`` (and the service's ``stragglers``), a target still
        working well after the others answered is answered ``not answering`` when
        ``may_cut()`` says so; its request goes on in the background
        (``dnsmate.services.write.stragglers``).
        """
        started = time.perf_counter()
        tasks = [asyncio.ensure_future(self._write(c, operation, zone)) for c in self.clients]
        cut: set[asyncio.Future[ServerResult[T]]] = set()
        try:
            if self.stragglers is None:
                await asyncio.gather(*tasks)
            else:
                client_of: dict[asyncio.Future[ServerResult[T]], PowerDNSClient] = dict(
                    zip(tasks, self.clients, strict=True)
                )
                cut = await self.stragglers.wait(
                    tasks,
                    answered=lambda r: not r.skipped,
                    silent=lambda task: client_of[task].silent_seconds(),
                    may_cut=may_cut,
                )
        except Exception:
            # A bug, or the database gone during a catch-up: the other servers' writes are
            # let finish (not cut off mid-request) and their errors collected, then the
            # first error goes up.
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        results = []
        for client, task in zip(self.clients, tasks, strict=True):
            if task in cut:
                assert self.stragglers is not None
                self.stragglers.detach(task, client.name)
                waited = time.perf_counter() - started
                results.append(_straggling(client, waited))
                continue
            result = task.result()
            if result.success and result.server_id not in self.before_write:
                self.router.observe(result.server, result.duration_ms)
            results.append(result)
        return MultiPowerDNSResult(results)

    async def read(self, operation: Callable[[PowerDNSClient], Awaitable[T]]) -> T:
        """Run a read on the first target that answers (the default server comes first,
        unless the ``router``'s strategy orders the targets otherwise).

        A server that answers with an error about the data (404, 422) is authoritative;
        only transport and server failures move on to the next target.
        """
        last: PowerDNSError | None = None
        # Skipped servers last: a read still succeeds on them when nothing else answers.
        behind = self.skip.keys() | self.before_write.keys()
        stale = {c.name for c in self.clients if c.settings_id in behind}
        by_name = {c.name: c for c in self.clients}
        ordered = [by_name[n] for n in self.router.order(list(by_name), last=stale)]
        for client in ordered:
            started = time.perf_counter()
            try:
                value = await operation(client)
            except PowerDNSError as exc:
                # A data answer (404, 422) is the server working: only unavailability fails.
                unavailable = is_unavailable(exc)
                self._observe_read(client, started, ok=not unavailable)
                if not unavailable:
                    raise
                last = exc
                continue
            seconds = self._observe_read(client, started, ok=True)
            self.router.observe(client.name, seconds * 1000)
            return value
        assert last is not None
        raise last

    def _observe_read(self, client: PowerDNSClient, started: float, *, ok: bool) -> float:
        seconds = time.perf_counter() - started
        if self.observer is not None:
            self.observer(
                server=client.name,
                server_id=client.settings_id,
                kind="read",
                outcome="success" if ok else "failure",
                seconds=seconds,
            )
        return seconds


def is_unavailable(exc: PowerDNSError) -> bool:
    """Transport, server and key failures: the server cannot tell us anything about data."""
    return isinstance(
        exc,
        errors.PowerDNSUnreachable
        | errors.PowerDNSTimeout
        | errors.PowerDNSServerError
        | errors.PowerDNSAuthError,
    )


def answer_outcome(exc: PowerDNSError | None) -> str:
    """How an operation a server was asked to do ended, for metrics and statistics:
    ``success``, ``rejected`` (it answered with a data error: the user's input, not a server
    fault) or ``failure`` (unavailable)."""
    if exc is None:
        return "success"
    return "failure" if is_unavailable(exc) else "rejected"


class ServerSkipped(errors.PowerDNSUnreachable):
    """The write did not contact this server (open breaker, or changes queued before it)."""

    default_message = "skipped"


async def _skipped(client: PowerDNSClient, reason: str) -> ServerResult[Any]:
    exc = ServerSkipped(f"skipped: {reason}")
    return ServerResult(
        client.name, False, str(exc), 0.0, exc=exc, skipped=True, server_id=client.settings_id
    )


def _straggling(client: PowerDNSClient, waited: float) -> ServerResult[Any]:
    """The result of a target left behind: it may still apply the change (``maybe_applied``)."""
    exc = ServerStraggling(f"not answering (no answer after {waited:.1f} s)", maybe_applied=True)
    return ServerResult(client.name, False, str(exc), waited * 1000, exc=exc,
                        server_id=client.settings_id)  # fmt: skip


async def _timed(
    client: PowerDNSClient, operation: Callable[[PowerDNSClient], Awaitable[T]]
) -> ServerResult[T]:
    started = time.perf_counter()
    try:
        value = await operation(client)
    except PowerDNSError as exc:
        elapsed = (time.perf_counter() - started) * 1000
        skipped = isinstance(exc, ServerSkipped)  # decided inside the operation (catch-up)
        return ServerResult(
            client.name, False, str(exc), elapsed, exc=exc, skipped=skipped,
            server_id=client.settings_id,
        )  # fmt: skip
    elapsed = (time.perf_counter() - started) * 1000
    return ServerResult(client.name, True, None, elapsed, value, server_id=client.settings_id)
