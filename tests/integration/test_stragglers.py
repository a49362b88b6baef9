"""Tail-tolerant fan-out on real PowerDNS servers: a hung server (a loopback listener that
accepts connections and never answers) and a slow one (a proxy holding its PATCHes)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.sync.queue import drain_queue
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import (
    add,
    create_zone,
    pdns_zone,
    rrsets_without_serial,
    sync_api,
)

HUNG = "Hung PowerDNS"
# The limit under test (the tests' default is longer: tests/conftest.py).
STRAGGLER_SECONDS = 1.0
SLOW = "Slow PowerDNS"


@dataclass
class Listener:
    """A loopback TCP server; ``url`` is its address as a PowerDNS API URL."""

    server: asyncio.Server
    connections: list[asyncio.StreamWriter] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def hung_server() -> AsyncIterator[Listener]:
    """Accepts every connection, reads what comes, never answers."""
    listener: Listener

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        listener.connections.append(writer)
        while await reader.read(65536):
            pass

    listener = Listener(await asyncio.start_server(hold, "127.0.0.1", 0))
    try:
        yield listener
    finally:
        await _close(listener)


@contextlib.asynccontextmanager
async def gated_proxy(upstream: LocalPowerDNS, gate: asyncio.Event) -> AsyncIterator[Listener]:
    """Forwards to ``upstream``; a PATCH waits for ``gate`` first (a server slow to apply).

    PowerDNS answers ``Connection: close``, so one connection carries one request.
    """
    host, port = "127.0.0.1", int(upstream.api_url.rsplit(":", 1)[1])
    listener: Listener

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        listener.connections.append(writer)
        head = await reader.readuntil(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)  # fmt: skip
        request = head + await reader.readexactly(length)
        listener.requests.append(request.split(b" ", 2)[0].decode() + " " +
                                 request.split(b" ", 2)[1].decode())  # fmt: skip
        if request.startswith(b"PATCH"):
            await gate.wait()
        up_reader, up_writer = await asyncio.open_connection(host, port)
        up_writer.write(request)
        await up_writer.drain()
        writer.write(await up_reader.read())
        await writer.drain()
        up_writer.close()
        writer.close()

    listener = Listener(await asyncio.start_server(forward, "127.0.0.1", 0))
    try:
        yield listener
    finally:
        await _close(listener)


async def _close(listener: Listener) -> None:
    listener.server.close()
    for writer in listener.connections:
        writer.close()
    await listener.server.wait_closed()


async def add_server(api: Api, name: str, url: str, key: str, read_timeout: float = 3) -> int:
    response = await api.client.post(
        "/api/settings/powerdns",
        json={"name": name, "api_url": url, "api_key": key, "timeout_seconds": read_timeout},
    )
    assert response.status_code == 201, response.text
    server_id: int = response.json()["id"]
    # Switched on after: added with it on to targets holding zones, it would be pending.
    joined = await api.client.put(
        f"/api/settings/powerdns/{server_id}", json={"multi_server_mode": True, "force_join": True}
    )
    assert joined.status_code == 200, joined.text
    return server_id


def by_server(response: Any) -> dict[str, dict[str, Any]]:
    return {s["server"]: s for s in response.json()["servers"]}


async def www_records(server: LocalPowerDNS, zone: str) -> list[str]:
    """The contents of ``www.<zone>`` A on the server's own API, duplicates kept."""
    data = await pdns_zone(server, zone)
    found = [r for r in data["rrsets"] if r["name"] == f"www.{zone}." and r["type"] == "A"]
    return sorted(rec["content"] for r in found for rec in r["records"])


async def test_a_hung_server_is_queued_and_caught_up_once_replaced(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    # A long cool-down: after the first write the breaker keeps skipping the hung server.
    api = await sync_api(
        api_factory, sqlite_url, breaker_cooldown_seconds=600, straggler_seconds=STRAGGLER_SECONDS
    )
    real, spare = pdns[:2], pdns[2]
    await register_servers(api.client, real, (True, True))
    async with hung_server() as hung:
        hung_id = await add_server(api, HUNG, hung.url, "hung-key")
        zone = unique_zone("hung")

        created = await create_zone(api, zone)
        # The first write answers without the hung server (its read timeout is 3 s) ...
        assert created.status_code == 207, created.text
        assert created.json()["queued_servers"] == [HUNG]
        hung_result = by_server(created)[HUNG]
        assert hung_result["error"].startswith("not answering")
        assert not hung_result["skipped"]
        assert hung.connections, "the write reached the hung server"

        # ... and later writes skip it at once: its breaker opened on the first one.
        first = await add(api, zone, "www", "A", "192.0.2.1")
        second = await add(api, zone, "www", "A", "192.0.2.2")
        for response in (first, second):
            assert response.status_code == 207, response.text
            assert response.json()["queued_servers"] == [HUNG]
            assert by_server(response)[HUNG]["error"] == "skipped: unhealthy"
        breakers = {b["name"]: b for b in (await api.client.get("/api/sync/servers")).json()}
        assert breakers[HUNG]["state"] == "open"
        assert breakers[HUNG]["pending"] == 3

        for server in real:
            assert await www_records(server, zone) == ["192.0.2.1", "192.0.2.2"]
            assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]

    # The hung server is replaced by a real (empty) one: the new address closes the
    # breaker, and the queue delivers the zone and both records there, once.
    moved = await api.client.put(
        f"/api/settings/powerdns/{hung_id}",
        json={"api_url": spare.api_url, "api_key": spare.api_key},
    )
    assert moved.status_code == 200, moved.text
    breakers = {b["name"]: b for b in (await api.client.get("/api/sync/servers")).json()}
    assert breakers[HUNG]["state"] == "closed"
    report = (await api.client.post("/api/sync/queue/drain")).json()
    assert report["replayed"] == 3, report
    assert (await api.client.get("/api/sync/queue")).json()["pending"] == 0
    assert await www_records(spare, zone) == ["192.0.2.1", "192.0.2.2"]
    assert dns_query(spare, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]
    reference = rrsets_without_serial(await pdns_zone(real[0], zone))
    for server in (real[1], spare):
        assert rrsets_without_serial(await pdns_zone(server, zone)) == reference


async def test_a_late_original_and_its_replay_apply_once_and_in_order(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(
        api_factory, sqlite_url, breaker_cooldown_seconds=600, straggler_seconds=STRAGGLER_SECONDS
    )
    real, behind = pdns[:2], pdns[2]
    await register_servers(api.client, real, (True, True))
    gate = asyncio.Event()
    gate.set()
    async with gated_proxy(behind, gate) as proxy:
        # A long read timeout: the held PATCH stays the original request in flight.
        await add_server(api, SLOW, proxy.url, behind.api_key, read_timeout=60)
        zone = unique_zone("late")
        assert (await create_zone(api, zone)).status_code == 201

        # The slow server receives the add but holds its PATCH: the write answers without it.
        gate.clear()
        added = await add(api, zone, "www", "A", "192.0.2.7")
        assert added.status_code == 207, added.text
        assert added.json()["queued_servers"] == [SLOW]
        assert by_server(added)[SLOW]["error"].startswith("not answering")
        # The record is deleted while the original PATCH is still on its way.
        deleted = await api.client.delete(
            f"/api/records/{zone}/www/A", params={"content": "192.0.2.7"}
        )
        assert deleted.status_code == 207, deleted.text
        assert deleted.json()["queued_servers"] == [SLOW]

        # The replay of both changes must wait for the original request to be over: run it
        # now, give it every chance to overtake the held PATCH, then let the PATCH through.
        seen = len(proxy.requests)
        drain = asyncio.create_task(drain_queue(runtime=api.context.sync, include_open=True))
        await asyncio.sleep(1.0)
        assert len(proxy.requests) == seen, "the replay ran while the original was in flight"
        assert not drain.done()
        gate.set()
        report = await drain

        assert report.replayed == 2, report
        for server in pdns:
            # Added late by the original, then deleted by the replay: gone everywhere.
            assert await www_records(server, zone) == []
            assert dns_query(server, f"www.{zone}.", "A") == []
        assert (await api.client.get("/api/sync/queue")).json()["pending"] == 0
