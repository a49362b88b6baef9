"""The DynDNS abuse guard: its limit per (token, host), and a memory that does not grow
with every host name a token ever sent (a fake clock: no waiting)."""

from __future__ import annotations

from dnsmate.services.dyndns.update import AbuseGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_holds_per_token_and_host_and_the_window_frees_it() -> None:
    clock = Clock()
    guard = AbuseGuard(limit=3, window=60, clock=clock)
    assert [guard.allow(1, "home.example.") for _ in range(4)] == [True, True, True, False]
    assert guard.allow(2, "home.example.") and guard.allow(1, "work.example.")
    clock.now += 61
    assert guard.allow(1, "home.example.")


def test_host_names_not_seen_for_a_window_are_forgotten() -> None:
    clock = Clock()
    guard = AbuseGuard(limit=3, window=60, clock=clock)
    for n in range(5000):  # a token sending ever new names
        guard.allow(1, f"h{n}.example.")
    assert guard.tracked == 5000
    clock.now += 30
    guard.allow(1, "recent.example.")
    clock.now += 31
    guard.allow(1, "now.example.")
    assert guard.tracked == 2  # "recent" (30 s ago) and "now"; the 5000 are gone
