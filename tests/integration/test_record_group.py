"""Concurrent writes to one zone are recorded together (group commit), on SQLite and
PostgreSQL, with three real PowerDNS servers.

Each write keeps its own version (chained in arrival order) and audit event; a write whose
record part fails is recorded again alone without losing the others; and the record step
never waits for the request pool, even with many more writers than the pool has
connections, each holding one while it waits for its zone's turn.

To make the writes meet deterministically (no timing), the tests hold the zone's record
turn (the version lock) while the requests arrive and free it once all of them wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.write.changes import Change
from tests.conftest import Api, ApiFactory, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone, write_engines
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net.", "ns2.example.net."]
# The request engine's pool (``make_engine``'s defaults: 5 connections and 10 overflow).
REQUEST_POOL = 15

Post = Callable[[], Awaitable[httpx.Response]]


def a_record(name: str, i: int) -> dict[str, object]:
    return {"name": name, "type": "A", "content": f"192.0.2.{i + 1}", "ttl": 300}


async def new_zone(api: Api, pdns: list[LocalPowerDNS], prefix: str) -> str:
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone(prefix)
    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text
    return zone


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a bound against a hang, not a timing: 60 s at most)."""
    for _ in range(6000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


Wave = tuple[list[Post], Callable[[], bool]]


async def crowd(api: Api, zone: str, waves: list[Wave]) -> list[httpx.Response]:
    """Send each wave of requests while the zone's record turn is held, each wave once
    the condition of the one before holds; then free the turn."""
    turn = api.context.pipeline.recorder.versions.lock(zone)
    posts: list[asyncio.Future[httpx.Response]] = []
    await turn.acquire()
    try:
        for requests, ready in waves:
            posts += [asyncio.ensure_future(post()) for post in requests]
            await until(ready, "the wave waits for the record turn")
    finally:
        turn.release()
    return list(await asyncio.gather(*posts))


def waiting(api: Api, zone: str, n: int) -> Callable[[], bool]:
    """True once ``n`` writes of ``zone`` wait for their record turn."""
    return lambda: api.context.pipeline.recorder.waiting(zone) == n


@contextmanager
def counting_commits(api: Api) -> Iterator[list[int]]:
    """Count the commits of the record step's engine while inside (a count, not a timing)."""
    _request, recording = write_engines(api)
    engine = recording.sync_engine
    commits = [0]

    def commit(_connection: object) -> None:
        commits[0] += 1

    event.listen(engine, "commit", commit)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", commit)


async def versions_of(api: Api, zone: str) -> list[dict[str, Any]]:
    """The zone's versions after its creation, oldest first."""
    response = await api.client.get(f"/api/zones/{zone}/versions", params={"per_page": 1000})
    assert response.status_code == 200, response.text
    return sorted(response.json()["items"], key=lambda v: v["id"])[1:]


async def created_targets(api: Api, zone: str) -> list[str]:
    response = await api.client.get("/api/audit", params={"zone": zone, "per_page": 500})
    assert response.status_code == 200, response.text
    return sorted(e["target"] for e in response.json()["items"] if e["action"] == "record.create")


def assert_chained(versions: list[dict[str, Any]]) -> None:
    """Each version adds one RRset to the count of the one before (recorded in order)."""
    assert [v["added"] for v in versions] == [1] * len(versions)
    first = versions[0]["rrset_count"]
    assert [v["rrset_count"] for v in versions] == list(range(first, first + len(versions)))


async def test_concurrent_writes_are_recorded_in_one_commit_each_with_version_and_audit(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    writers = 12
    api = await api_factory(database_url)
    zone = await new_zone(api, pdns_servers, "grp")

    def post(i: int) -> Post:
        return lambda: api.client.post(f"/api/records/{zone}", json=a_record(f"w{i}", i))

    with counting_commits(api) as commits:
        responses = await crowd(
            api, zone, [([post(i) for i in range(writers)], waiting(api, zone, writers))]
        )

    assert [r.status_code for r in responses] == [201] * writers, [r.text for r in responses]
    assert [r.json().get("warnings", []) for r in responses] == [[]] * writers
    assert commits == [1]  # the whole group in one transaction
    for server in pdns_servers:
        for i in range(writers):
            assert dns_query(server, f"w{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"]
    versions = await versions_of(api, zone)
    assert_chained(versions)
    assert sorted(v["summary"] for v in versions) == sorted(
        f"Record created: w{i}.{zone} A" for i in range(writers)
    )
    assert await created_targets(api, zone) == sorted(f"w{i}.{zone} A" for i in range(writers))


async def test_a_write_failing_inside_a_group_loses_none_of_the_others(
    api_factory: ApiFactory,
    database_url: str,
    pdns_servers: list[LocalPowerDNS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The group's transaction fails on one write's version: it is rolled back, and each
    write is recorded again alone; only the failing write's version is missing."""
    api = await api_factory(database_url)
    zone = await new_zone(api, pdns_servers, "grpfail")
    versions = api.app.state.versions
    add_version = versions.add_version

    async def fails_for_bad(*, change: Change, **kwargs: Any) -> bool:
        if getattr(change, "record", None) is not None and change.record.name.startswith("bad"):
            raise RuntimeError("version store refuses this one")
        return bool(await add_version(change=change, **kwargs))

    monkeypatch.setattr(versions, "add_version", fails_for_bad)
    names = ["w0", "w1", "bad", "w3", "w4", "w5"]
    posts: list[Post] = [
        (lambda i=i, name=name: api.client.post(f"/api/records/{zone}", json=a_record(name, i)))
        for i, name in enumerate(names)
    ]

    responses = await crowd(api, zone, [(posts, waiting(api, zone, len(names)))])

    assert [r.status_code for r in responses] == [201] * len(names), [r.text for r in responses]
    warnings = {
        name: r.json().get("warnings", []) for name, r in zip(names, responses, strict=True)
    }
    [warning] = warnings.pop("bad")
    assert "the version record failed" in warning and "refuses" not in warning
    assert warnings == {name: [] for name in names if name != "bad"}
    for server in pdns_servers:
        assert dns_query(server, f"bad.{zone}.", "A") == ["192.0.2.3"]
    recorded = await versions_of(api, zone)
    assert_chained(recorded)
    assert sorted(v["summary"] for v in recorded) == sorted(
        f"Record created: {name}.{zone} A" for name in names if name != "bad"
    )
    # Every write keeps its audit event, the failing one too.
    assert await created_targets(api, zone) == sorted(f"{name}.{zone} A" for name in names)


async def test_many_more_writers_than_the_request_pool_are_all_recorded(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    """64 writers with a pool of 15: the write whose turn it is holds no connection (an
    admin: nothing to read), and 15 managers' writes wait behind it, each holding a pooled
    connection (their record limits are read at every write). Recording on the request
    pool would wait for ever (PostgreSQL, issue 11: a 62 s stall, then 500)."""
    writers = 64
    # The callers and the servers held in memory: a write reads nothing else.
    api = await api_factory(database_url, auth_cache_seconds=600, server_cache_seconds=600)
    zone = await new_zone(api, pdns_servers, "grppool")
    manager = await make_user(api, "writer@example.com", "manager")
    granted = await api.client.put(f"/api/users/{manager}/zones", json={"zones": [zone]})
    assert granted.status_code == 200, granted.text
    as_manager = await login_headers(api, "writer@example.com")

    def post(i: int, headers: dict[str, str] | None = None) -> Post:
        body = a_record(f"w{i}", i)
        return lambda: api.client.post(f"/api/records/{zone}", json=body, headers=headers)

    # Authenticated once each, so that a write's own connection comes from its record
    # limits alone (the caller is then held in memory).
    for i, headers in ((writers, None), (writers + 1, as_manager)):
        warm = await post(i, headers)()
        assert warm.status_code == 201, warm.text
    pool = api.context.engine.pool
    managers = [post(i, as_manager) for i in range(1, writers)]

    admin_first = waiting(api, zone, 1)

    def pool_full() -> bool:
        # Every request connection is held by a manager's write waiting for its turn.
        full = pool.checkedout() == REQUEST_POOL  # type: ignore[attr-defined]
        return full and waiting(api, zone, 1 + REQUEST_POOL)()

    responses = await crowd(api, zone, [([post(0)], admin_first), (managers, pool_full)])

    assert [r.status_code for r in responses] == [201] * writers, [
        r.text for r in responses if r.status_code != 201
    ][:3]
    assert [r.json().get("warnings", []) for r in responses] == [[]] * writers
    for server in pdns_servers:
        for i in range(writers):
            assert dns_query(server, f"w{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"]
    versions = await versions_of(api, zone)
    assert_chained(versions)
    assert len(versions) == writers + 2  # the two warm-up writes too
    assert len(await created_targets(api, zone)) == writers + 2
