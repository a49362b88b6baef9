"""Multi-server mode: target selection, concurrent fan-out and result aggregation.

Targets (the contract in docs and README): when at least one ACTIVE server has
``multi_server_mode`` on, every write goes to all active servers with it on; otherwise it
goes to the default server alone. Reads use the default server when it is a target and
answers, else the first target that answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from dnsmate.powerdns import errors
from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.errors import NoServerAvailable

T = TypeVar("T")


class ServerConfig(Protocol):
    """What target selection needs to know about a server (a PowerDNSSettings row)."""

    id: int
    name: str
    is_default: bool
    is_active: bool
    multi_server_mode: bool


S = TypeVar("S", bound=ServerConfig)


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

    def public(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "success": self.success,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 1),
        }


@dataclass
class MultiPowerDNSResult(Generic[T]):
    """Per-server results of one fan-out, in target order."""

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

    def all_failed_with(self, exc_type: type[PowerDNSError]) -> bool:
        """True when every server failed, each with ``exc_type``."""
        return bool(self.results) and all(isinstance(r.exc, exc_type) for r in self.results)

    def first_value(self) -> T | None:
        return next((r.value for r in self.results if r.success), None)


class MultiPowerDNSService:
    """Runs one operation on every target concurrently and on the read server for reads."""

    def __init__(self, clients: Sequence[PowerDNSClient]) -> None:
        self.clients = list(clients)

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
        results = await asyncio.gather(*(_timed(c, operation) for c in self.clients))
        return MultiPowerDNSResult(list(results))

    async def read(self, operation: Callable[[PowerDNSClient], Awaitable[T]]) -> T:
        """Run a read on the first target that answers (the default server comes first).

        A server that answers with an error about the data (404, 422) is authoritative;
        only transport and server failures move on to the next target.
        """
        last: PowerDNSError | None = None
        for client in self.clients:
            try:
                return await operation(client)
            except PowerDNSError as exc:
                if not is_unavailable(exc):
                    raise
                last = exc
        assert last is not None
        raise last


def is_unavailable(exc: PowerDNSError) -> bool:
    """Transport, server and key failures: the server cannot tell us anything about data."""
    return isinstance(
        exc,
        errors.PowerDNSUnreachable
        | errors.PowerDNSTimeout
        | errors.PowerDNSServerError
        | errors.PowerDNSAuthError,
    )


async def _timed(
    client: PowerDNSClient, operation: Callable[[PowerDNSClient], Awaitable[T]]
) -> ServerResult[T]:
    started = time.perf_counter()
    try:
        value = await operation(client)
    except PowerDNSError as exc:
        elapsed = (time.perf_counter() - started) * 1000
        return ServerResult(client.name, False, str(exc), elapsed, exc=exc)
    return ServerResult(client.name, True, None, (time.perf_counter() - started) * 1000, value)
