"""The write pipeline's record step and rollback, checked on real servers.

One commit per write; a change that was rolled back leaves no version and no dropped
grants behind; bulk changes, which know their inverse, roll back like single records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory, make_user
from tests.integration.conftest import register_servers, unique_zone, write_engines
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, sync_api

ROLLBACK = {"on_partial_failure": "rollback"}
RESTORED = ["Primary PowerDNS", "Secondary PowerDNS"]


@contextmanager
def commits(api: Api) -> Iterator[list[None]]:
    """Every COMMIT the app's request and record engines send while the block runs, one
    item each."""
    seen: list[None] = []

    def count(_connection: Any) -> None:
        seen.append(None)

    engines = write_engines(api)
    for engine in engines:
        event.listen(engine.sync_engine, "commit", count)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine.sync_engine, "commit", count)


async def versions(api: Api, zone: str) -> int:
    total: int = (await api.client.get(f"/api/zones/{zone}/versions")).json()["total"]
    return total


async def test_a_write_commits_once_with_all_servers_up_and_with_one_down(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("commit")
    assert (await create_zone(api, zone)).status_code == 201

    with commits(api) as healthy:
        assert (await add(api, zone, "a", "A", "192.0.2.1")).status_code == 201
    pdns[2].stop()
    with commits(api) as degraded:
        queued = await add(api, zone, "b", "A", "192.0.2.2")

    assert queued.status_code == 207, queued.text
    assert queued.json()["queued_servers"] == ["Legacy PowerDNS"]
    assert (await api.client.get("/api/sync/queue")).json()["pending"] == 1
    # Breaker, queue entry, version and audit event of each write: one transaction.
    assert (len(healthy), len(degraded)) == (1, 1)
    assert await versions(api, zone) == 3
    actions = [e["action"] for e in (await api.client.get("/api/audit")).json()["items"]]
    assert actions[:2] == ["record.create", "record.create"]


async def test_a_rolled_back_change_leaves_no_version_and_keeps_the_grants(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("undone")
    await create_zone(api, zone)
    await add(api, zone, "www", "A", "192.0.2.1")
    manager = await make_user(api, "granted@example.com", "manager")
    granted = await api.client.put(f"/api/users/{manager}/zones", json={"zones": [zone]})
    assert granted.status_code == 200, granted.text
    before = await versions(api, zone)
    pdns[2].stop()

    added = await add(api, zone, "www", "A", "192.0.2.2", **ROLLBACK)
    deleted = await api.client.delete(f"/api/zones/{zone}", params=ROLLBACK)

    for response in (added, deleted):
        assert response.status_code == 400, response.text
        assert response.json()["rolled_back_servers"] == RESTORED
    for server in pdns[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
    assert await versions(api, zone) == before
    users = (await api.client.get("/api/users")).json()
    assert next(u["zones"] for u in users if u["id"] == manager) == [zone]


async def test_a_bulk_change_rolls_back_on_the_servers_that_took_it(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("bulkundo")
    await create_zone(api, zone)
    await add(api, zone, "www", "A", "192.0.2.1")
    policy = await api.client.put("/api/settings/consistency", json=ROLLBACK)
    assert policy.status_code == 200, policy.text
    pdns[2].stop()

    response = await api.client.post(
        f"/api/records/{zone}/bulk",
        json=[
            {"op": "add", "name": "new", "type": "A", "content": "192.0.2.9"},
            {"op": "delete", "name": "www", "type": "A", "content": "192.0.2.1"},
        ],
    )

    assert response.status_code == 400, response.text
    assert response.json()["rolled_back_servers"] == RESTORED
    for server in pdns[:2]:
        assert dns_query(server, f"new.{zone}.", "A") == []
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
