"""Multi-server mode: target selection, concurrent fan-out and result aggregation.

Targets (the contract in docs and README): when at least one ACTIVE server has
``multi_server_mode`` on, every write goes to all active servers with it on; otherwise it
goes to the default server alone. Reads use the default server when it is a target and
answers, else the first target that answers; a ``ReadRouter`` (``Settings.read_strategy``)
may choose another first target (see ``dnsmate.services.read_routing``).

A service may be told to ``skip`` some targets (an open circuit breaker): a write does not
contact them and their result says ``skipped: <reason>`` at once, instead of waiting for a
timeout. ``before_write`` runs first on a target that still owes queued changes (they are
replayed before the new one). Reads try both kinds last.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from dnsmate.powerdns import errors
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.schemas.outcomes import ServerOutcome
from dnsmate.services.errors import NoServerAvailable
from dnsmate.services.read_routing import ReadRouter

T = TypeVar("T")


class ServerConfig(Protocol):
    """What target selection needs to know about a server (a PowerDNSSettings row)."""

    id: int
    name: str
    is_default: bool
    is_active: bool
    multi_server_mode: bool


S = TypeVar("S", bound=ServerConfig)


class OperationObserver(Protocol):
    """Records one operation's outcome (``SyncMetrics.observe``: metrics and statistics)."""

    def __call__(self, *, server: str, kind: str, outcome: str, seconds: float | None) -> None:
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
    """The outcome of one operation on one server."""

    server: str
    success: bool
    error: str | None = None
    duration_ms: float = 0.0
    value: T | None = None
    exc: PowerDNSError | None = None
    skipped: bool = False

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
    """Per-server results of one fan-out, in target order.

    Change hooks fill in what the partial-failure policy did: ``queued_servers`` (the change
    is stored for them and replayed later) and ``rolled_back_servers`` (restored to their
    state before the write), with ``policy`` naming the policy applied.
    """

    results: list[ServerResult[T]] = field(default_factory=list)
    policy: str | None = None
    queued_servers: list[str] = field(default_factory=list)
    rolled_back_servers: list[str] = field(default_factory=list)
    rollback_errors: list[str] = field(default_factory=list)
    # Set when a change hook (queue, versions, audit log) failed after the servers answered.
    warnings: list[str] = field(default_factory=list)

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
        skip: Mapping[str, str] | None = None,
        before_write: Mapping[str, Callable[[PowerDNSClient], Awaitable[None]]] | None = None,
        router: ReadRouter | None = None,
        observer: OperationObserver | None = None,
    ) -> None:
        self.clients = list(clients)
        # Records every read's outcome (writes are recorded by the change hook).
        self.observer = observer
        # Orders read targets and learns latency (default-first unless given another).
        self.router = router or ReadRouter()
        # Server name -> why writes skip it ("unhealthy", "earlier changes queued").
        self.skip: dict[str, str] = dict(skip or {})
        # Server name -> what must run on it before a write (replaying its queued changes).
        self.before_write = dict(before_write or {})

    def subset(self, names: Sequence[str]) -> MultiPowerDNSService:
        """The same service restricted to the targets named in ``names``."""
        return MultiPowerDNSService(
            [c for c in self.clients if c.name in names],
            skip={k: v for k, v in self.skip.items() if k in names},
            before_write={k: v for k, v in self.before_write.items() if k in names},
            router=self.router,
            observer=self.observer,
        )

    def _write(
        self, client: PowerDNSClient, operation: Callable[[PowerDNSClient], Awaitable[T]]
    ) -> Awaitable[ServerResult[T]]:
        if client.name in self.skip:
            return _skipped(client, self.skip[client.name])
        prepare = self.before_write.get(client.name)
        if prepare is None:
            return _timed(client, operation)

        async def prepared(c: PowerDNSClient) -> T:
            await prepare(c)
            return await operation(c)

        return _timed(client, prepared)

    @property
    def server_names(self) -> list[str]:
        return [c.name for c in self.clients]

    async def execute(
        self, operation: Callable[[PowerDNSClient], Awaitable[T]]
    ) -> MultiPowerDNSResult[T]:
        """Run ``operation`` on every target at once; one server's failure never stops others.

        Only ``PowerDNSError`` counts as a per-server failure; any other exception is a bug
        and propagates.
        """
        results = await asyncio.gather(*(self._write(c, operation) for c in self.clients))
        for result in results:
            if result.success and result.server not in self.before_write:
                self.router.observe(result.server, result.duration_ms)
        return MultiPowerDNSResult(list(results))

    async def read(self, operation: Callable[[PowerDNSClient], Awaitable[T]]) -> T:
        """Run a read on the first target that answers (the default server comes first,
        unless the ``router``'s strategy orders the targets otherwise).

        A server that answers with an error about the data (404, 422) is authoritative;
        only transport and server failures move on to the next target.
        """
        last: PowerDNSError | None = None
        # Skipped servers last: a read still succeeds on them when nothing else answers.
        stale = self.skip.keys() | self.before_write.keys()
        by_name = {c.name: c for c in self.clients}
        ordered = [by_name[n] for n in self.router.order(list(by_name), last=stale)]
        for client in ordered:
            started = time.perf_counter()
            try:
                value = await operation(client)
            except PowerDNSError as exc:
                # A data answer (404, 422) is the server working: only unavailability fails.
                unavailable = is_unavailable(exc)
                self._observe_read(client.name, started, ok=not unavailable)
                if not unavailable:
                    raise
                last = exc
                continue
            seconds = self._observe_read(client.name, started, ok=True)
            self.router.observe(client.name, seconds * 1000)
            return value
        assert last is not None
        raise last

    def _observe_read(self, server: str, started: float, *, ok: bool) -> float:
        seconds = time.perf_counter() - started
        if self.observer is not None:
            outcome = "success" if ok else "failure"
            self.observer(server=server, kind="read", outcome=outcome, seconds=seconds)
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


class ServerSkipped(errors.PowerDNSUnreachable):
    """The write did not contact this server (open breaker, or changes queued before it)."""

    default_message = "skipped"


async def _skipped(client: PowerDNSClient, reason: str) -> ServerResult[Any]:
    exc = ServerSkipped(f"skipped: {reason}")
    return ServerResult(client.name, False, str(exc), 0.0, exc=exc, skipped=True)


async def _timed(
    client: PowerDNSClient, operation: Callable[[PowerDNSClient], Awaitable[T]]
) -> ServerResult[T]:
    started = time.perf_counter()
    try:
        value = await operation(client)
    except PowerDNSError as exc:
        elapsed = (time.perf_counter() - started) * 1000
        skipped = isinstance(exc, ServerSkipped)  # decided inside the operation (catch-up)
        return ServerResult(client.name, False, str(exc), elapsed, exc=exc, skipped=skipped)
    return ServerResult(client.name, True, None, (time.perf_counter() - started) * 1000, value)
