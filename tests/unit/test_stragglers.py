"""The straggler limit of the fan-out with an httpx MockTransport: which servers are left
behind, and that a write in flight is never cut off (real servers: tests/integration)."""

from __future__ import annotations

import asyncio

import httpx

from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.write.stragglers import ServerStraggling, Stragglers


def make_client(name: str, server_id: int, release: asyncio.Event | None) -> PowerDNSClient:
    """A client whose server answers at once, or only once ``release`` is set."""

    async def handler(request: httpx.Request) -> httpx.Response:
        if release is not None:
            await release.wait()
        return httpx.Response(200, json={"version": name})

    return PowerDNSClient(
        name=name,
        api_url="http://pdns.invalid",
        api_key="k",
        transport=httpx.MockTransport(handler),
        settings_id=server_id,
    )


async def allow() -> bool:
    return True


async def refuse() -> bool:
    return False


async def test_a_server_far_behind_is_left_behind_as_not_answering() -> None:
    release = asyncio.Event()
    fast, slow = make_client("fast", 1, None), make_client("slow", 2, release)
    service = MultiPowerDNSService([fast, slow], stragglers=Stragglers(seconds=0.05))

    result = await service.execute(lambda c: c.server_info(), may_cut=allow)

    assert [r.success for r in result.results] == [True, False]
    assert isinstance(result.results[1].exc, ServerStraggling)
    assert result.results[1].exc.maybe_applied
    release.set()


async def test_without_permission_the_fan_out_waits_for_every_server() -> None:
    release = asyncio.Event()
    fast, slow = make_client("fast", 1, None), make_client("slow", 2, release)
    service = MultiPowerDNSService([fast, slow], stragglers=Stragglers(seconds=0.01))
    asyncio.get_running_loop().call_later(0.2, release.set)

    result = await service.execute(lambda c: c.server_info(), may_cut=refuse)

    assert result.all_succeeded


async def test_a_write_in_flight_finishes_before_the_straggler_lets_go_of_its_lock() -> None:
    release = asyncio.Event()
    fast, slow = make_client("fast", 1, None), make_client("slow", 2, release)
    stragglers = Stragglers(seconds=0.05)
    service = MultiPowerDNSService([fast, slow], stragglers=stragglers)

    async def locked_write(client: PowerDNSClient) -> None:
        async with client.write_lock:
            await client.update_zone("example.org.", {"api_rectify": False})

    result = await service.execute(locked_write, may_cut=allow)

    assert not result.results[1].success
    await asyncio.sleep(0)  # let the cancellation reach the straggler
    # Its PUT was sent: the lock stays held until the server answers it.
    assert slow.write_lock.locked()  # type: ignore[attr-defined]
    release.set()
    await asyncio.wait_for(slow.write_lock.__aenter__(), timeout=30)
    await stragglers.aclose()


async def test_a_straggler_sends_nothing_more_after_the_cut() -> None:
    release = asyncio.Event()
    sent: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        await release.wait()
        return httpx.Response(200, json={"rrsets": []})

    slow = PowerDNSClient(name="slow", api_url="http://pdns.invalid", api_key="k",
                          transport=httpx.MockTransport(handler), settings_id=2)  # fmt: skip
    stragglers = Stragglers(seconds=0.05)
    service = MultiPowerDNSService([make_client("fast", 1, None), slow], stragglers=stragglers)

    async def read_then_write(client: PowerDNSClient) -> None:
        async with client.write_lock:
            await client.get_zone("example.org.")
            await client.update_zone("example.org.", {"api_rectify": False})

    await service.execute(read_then_write, may_cut=allow)
    # The read in flight is dropped at once: the lock is free, and no PUT ever follows.
    await asyncio.wait_for(slow.write_lock.__aenter__(), timeout=30)
    release.set()
    await stragglers.aclose()
    assert sent == ["GET"]


async def test_a_server_that_keeps_answering_is_waited_for() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.02)
        return httpx.Response(200, json={})

    busy = PowerDNSClient(name="busy", api_url="http://pdns.invalid", api_key="k",
                          transport=httpx.MockTransport(handler), settings_id=2)  # fmt: skip
    service = MultiPowerDNSService(
        [make_client("fast", 1, None), busy], stragglers=Stragglers(seconds=0.3)
    )

    async def many_requests(client: PowerDNSClient) -> None:
        for _ in range(1 if client is not busy else 40):
            await client.server_info()

    # Far longer in all than the limit, but never silent for that long: not a straggler.
    result = await service.execute(many_requests, may_cut=allow)

    assert result.all_succeeded
