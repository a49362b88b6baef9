"""Many concurrent writers on one DNSMate process: every write answered, every record served.

On PostgreSQL every request holds a pooled connection while it runs; the per-server write
lock (an advisory lock) and the retry queue's catch-up must never ask the same pool for a
second one, or a full pool leaves the lock holder waiting for ever (a 30 s stall, then 500
"QueuePool limit ... reached"). The DNS answers of every server are the truth here.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import POSTGRES_URL, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net.", "ns2.example.net."]
WRITERS = 64

requires_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)
# The ``database_url`` fixture's PostgreSQL variant alone (emptied and migrated).
postgres_database = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def _write_concurrently(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS], *, backlog: bool
) -> None:
    """64 writers at once; with ``backlog`` the last server first owes a queued change, so
    the first write to it replays that change (the retry queue's catch-up) during the rush."""
    api = await api_factory(database_url, sync_worker=False)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("conc")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201, created.text
    if backlog:
        pdns[2].stop()
        queued = await api.client.post(
            f"/api/records/{zone}",
            json={"name": "queued", "type": "A", "content": "198.51.100.1", "ttl": 300},
        )
        assert queued.status_code == 207, queued.text
        assert queued.json()["queued_servers"] == [pdns[2].name]
        pdns[2].start()

    async def write(i: int) -> tuple[int, str]:
        response = await api.client.post(
            f"/api/records/{zone}",
            json={"name": f"w{i}", "type": "A", "content": f"192.0.2.{i + 1}", "ttl": 300},
        )
        return response.status_code, response.text

    answers = await asyncio.gather(*(write(i) for i in range(WRITERS)))

    assert [status for status, _ in answers] == [201] * WRITERS, [
        body for status, body in answers if status != 201
    ][:3]
    for server in pdns:
        for i in range(WRITERS):
            assert dns_query(server, f"w{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"], server.name
        if backlog:
            assert dns_query(server, f"queued.{zone}.", "A") == ["198.51.100.1"], server.name


async def test_64_concurrent_writers_are_all_answered_and_served(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    await _write_concurrently(api_factory, database_url, pdns_servers, backlog=False)


async def test_64_concurrent_writers_while_a_server_catches_up_on_its_queue(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    await _write_concurrently(api_factory, database_url, pdns, backlog=True)


@requires_postgres
@postgres_database
async def test_writes_go_on_after_the_lock_connections_were_killed(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    """A PostgreSQL restart (here: every other session terminated) costs no write."""
    api = await api_factory(database_url, sync_worker=False)
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("kill")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201, created.text

    async with api.context.engine.connect() as connection:
        killed = await connection.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert killed  # the lock connections (and the pooled ones) were there

    response = await api.client.post(
        f"/api/records/{zone}",
        json={"name": "after", "type": "A", "content": "192.0.2.99", "ttl": 300},
    )

    assert response.status_code == 201, response.text
    for server in pdns_servers:
        assert dns_query(server, f"after.{zone}.", "A") == ["192.0.2.99"]
