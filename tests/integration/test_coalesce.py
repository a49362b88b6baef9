"""Concurrent record writes to one zone go out as one PATCH per server (group commit), each
still answered on its own; checked on three real PowerDNS servers over DNS and their API.

To make the writes meet deterministically (no timing), the test holds every server's write
lock while the requests arrive, as a PATCH in flight would, and frees it once all of them
wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

WRITERS = 8


def serial(server: LocalPowerDNS, zone: str) -> int:
    """The zone's SOA serial from the server's own API (PowerDNS bumps it once per PATCH)."""
    response = httpx.get(
        f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.",
        params={"rrsets": "false"},
        headers={"X-API-Key": server.api_key},
    )
    response.raise_for_status()
    return int(response.json()["serial"])


async def crowd(api: Api, zone: str, bodies: list[dict[str, object]]) -> list[httpx.Response]:
    """POST every body at once while each server's write lock is held; free the locks once
    every change waits on every server."""
    coalescers = api.context.pool.coalescers()
    assert len(coalescers) == 3
    async with contextlib.AsyncExitStack() as held:
        for coalescer in coalescers:
            await held.enter_async_context(coalescer.lock)
        posts = [
            asyncio.ensure_future(api.client.post(f"/api/records/{zone}", json=body))
            for body in bodies
        ]
        for _ in range(3000):  # a bound against a hang, not a timing: 30 s at most
            if all(c.waiting(f"{zone}.") == len(bodies) for c in coalescers):
                break
            await asyncio.sleep(0.01)
        assert [c.waiting(f"{zone}.") for c in coalescers] == [len(bodies)] * 3
    return list(await asyncio.gather(*posts))


async def setup(api: Api, pdns: list[LocalPowerDNS]) -> str:
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("co")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
    )
    assert created.status_code == 201, created.text
    return zone


def a_record(i: int) -> dict[str, object]:
    return {"name": f"w{i}", "type": "A", "content": f"192.0.2.{i + 1}", "ttl": 300}


async def test_concurrent_writers_are_each_acknowledged_and_on_every_server(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    zone = await setup(api, pdns)
    serials = [serial(s, zone) for s in pdns]

    responses = await crowd(api, zone, [a_record(i) for i in range(WRITERS)])

    assert [r.status_code for r in responses] == [201] * WRITERS, [r.text for r in responses]
    for i, response in enumerate(responses):
        assert all(s["success"] for s in response.json()["servers"])
        for server in pdns:
            assert dns_query(server, f"w{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"]
    # One PATCH per server for all of them: the serial moved once, not WRITERS times.
    assert [serial(s, zone) - before for s, before in zip(pdns, serials, strict=True)] == [1] * 3
    # Each write keeps its own audit entry and version.
    versions = (await api.client.get(f"/api/zones/{zone}/versions")).json()
    items = versions["items"] if isinstance(versions, dict) else versions
    assert len(items) >= WRITERS + 1  # the creation and each write


async def test_one_change_powerdns_refuses_fails_alone(api: Api, pdns: list[LocalPowerDNS]) -> None:
    zone = await setup(api, pdns)
    # DNSMate accepts an underscore in an MX target; PowerDNS 4.7 refuses it (not a host
    # name, 422), which rejects a whole PATCH holding it.
    bad = {"name": "mail", "type": "MX", "content": "10 _bad.example.net.", "ttl": 300}
    bodies = [a_record(0), a_record(1), bad, a_record(3), a_record(4)]

    responses = await crowd(api, zone, bodies)

    statuses = [r.status_code for r in responses]
    assert statuses[:2] + statuses[3:] == [201] * 4, [r.text for r in responses]
    assert statuses[2] not in (201, 207, 202), responses[2].text
    for server in pdns:
        for i in (0, 1, 3, 4):
            assert dns_query(server, f"w{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"]
        assert dns_query(server, f"mail.{zone}.", "MX") == []
