"""Read target ordering (fakes only; real servers in tests/integration/test_read_routing.py)."""

from __future__ import annotations

import httpx

from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.services.fleet.read_routing import ReadRouter
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService

NAMES = ["A", "B", "C"]


def test_default_first_keeps_the_target_order_with_stale_servers_last() -> None:
    router = ReadRouter("default-first")
    assert router.order(NAMES) == NAMES
    assert router.order(NAMES, last={"A"}) == ["B", "C", "A"]


def test_round_robin_rotates_the_first_target_per_read() -> None:
    router = ReadRouter("round-robin")
    firsts = [router.order(NAMES)[0] for _ in range(4)]
    assert firsts == ["A", "B", "C", "A"]


def test_round_robin_keeps_an_open_breaker_last() -> None:
    router = ReadRouter("round-robin")
    orders = [router.order(NAMES, last={"B"}) for _ in range(2)]
    assert orders == [["A", "C", "B"], ["C", "A", "B"]]


def test_fastest_picks_the_lowest_moving_average_and_unmeasured_last() -> None:
    router = ReadRouter("fastest", alpha=0.5)
    router.observe("C", 10.0)
    router.observe("B", 30.0)
    assert router.order(NAMES) == ["C", "B", "A"]
    router.observe("C", 90.0)  # C's average is now 50: B is faster
    assert router.latency("C") == 50.0
    assert router.order(NAMES) == ["B", "C", "A"]


def test_fastest_keeps_an_open_breaker_last_even_when_fastest() -> None:
    router = ReadRouter("fastest")
    router.observe("A", 1.0)
    router.observe("B", 5.0)
    assert router.order(NAMES, last={"A"}) == ["B", "C", "A"]


def recording_client(name: str, seen: list[str]) -> PowerDNSClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(name)
        return httpx.Response(200, json=[{"name": f"{name}."}])

    transport = httpx.MockTransport(handler)
    return PowerDNSClient(
        name=name, api_url="http://pdns.invalid", api_key="k", transport=transport
    )


async def test_service_reads_follow_the_router_and_feed_it() -> None:
    seen: list[str] = []
    router = ReadRouter("round-robin")
    service = MultiPowerDNSService([recording_client(n, seen) for n in NAMES], router=router)
    for _ in range(3):
        await service.read(lambda c: c.list_zones())
    assert seen == ["A", "B", "C"]
    assert all(router.latency(n) is not None for n in NAMES)


async def test_service_writes_still_reach_every_target() -> None:
    seen: list[str] = []
    service = MultiPowerDNSService(
        [recording_client(n, seen) for n in NAMES], router=ReadRouter("fastest")
    )
    outcome = await service.execute(lambda c: c.list_zones())
    assert outcome.success_servers == NAMES
    assert sorted(seen) == NAMES
