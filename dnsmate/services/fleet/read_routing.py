"""Which target a read tries first (``Settings.read_strategy``).

default-first  the targets in their own order (the default server first)
round-robin    the first target rotates with every read (per process)
fastest        the target with the lowest recent latency first: an exponentially weighted
               moving average of successful request durations per server; servers never
               measured come after the measured ones

With every strategy the targets whose writes are skipped (open circuit breaker, queued
changes) are tried last, and a read still falls over to the next target when one does not
answer (``MultiPowerDNSService.read``). The state lives in memory in one process.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from typing import Literal, TypeVar

ReadStrategy = Literal["default-first", "round-robin", "fastest"]

N = TypeVar("N", bound=str)


class ReadRouter:
    """Orders read targets by name and learns per-server latency from successful requests."""

    def __init__(self, strategy: ReadStrategy = "default-first", *, alpha: float = 0.3) -> None:
        self.strategy: ReadStrategy = strategy
        self._alpha = alpha
        self._turn = itertools.count()
        self._latency: dict[str, float] = {}

    def observe(self, name: str, duration_ms: float) -> None:
        """Feed one successful request's duration for server ``name`` into its average."""
        previous = self._latency.get(name)
        self._latency[name] = (
            duration_ms
            if previous is None
            else self._alpha * duration_ms + (1 - self._alpha) * previous
        )

    def latency(self, name: str) -> float | None:
        """The moving average for ``name`` in milliseconds, or None if never measured."""
        return self._latency.get(name)

    def order(self, names: Sequence[N], *, last: Collection[str] = ()) -> list[N]:
        """``names`` in the order a read tries them; the ones in ``last`` go at the end."""
        healthy = [n for n in names if n not in last]
        stale = [n for n in names if n in last]
        if self.strategy == "round-robin" and healthy:
            shift = next(self._turn) % len(healthy)
            healthy = healthy[shift:] + healthy[:shift]
        elif self.strategy == "fastest":
            unmeasured = float("inf")
            healthy = sorted(healthy, key=lambda n: self._latency.get(n, unmeasured))
        return healthy + stale
