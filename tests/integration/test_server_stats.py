"""GET /api/servers/stats: per-server success rate and p95 latency from real PowerDNS
operations, persisted so several DNSMate processes on one database see the same numbers."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.main import create_app
from dnsmate.powerdns.errors import PowerDNSNotFound
from dnsmate.services.fleet.servers import build_multi
from dnsmate.services.sync.monitor import check_drift
from dnsmate.services.sync.stats import StatsBuffer, flush, prune, server_stats_view
from tests.conftest import Api, ApiFactory, make_settings
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, sync_api


async def stats(api: Api, window: str = "1h") -> dict[str, Any]:
    response = await api.client.get("/api/servers/stats", params={"window": window})
    assert response.status_code == 200, response.text
    return {s["name"]: s for s in response.json()["servers"]}


async def test_a_stopped_server_lowers_its_success_rate(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, database_url, breaker_failure_threshold=100)
    primary, secondary = pdns[0], pdns[1]
    await register_servers(api.client, [primary, secondary], (True, True))
    zone = unique_zone("stats")
    assert (await create_zone(api, zone)).status_code == 201
    for i in range(3):
        assert (await add(api, zone, f"r{i}", "A", f"192.0.2.{i + 1}")).status_code == 201
    assert (await api.client.get(f"/api/records/{zone}")).status_code == 200

    healthy = await stats(api)

    for name in (primary.name, secondary.name):
        server = healthy[name]
        assert server["failed"] == 0
        assert server["success_rate"] == 1.0
        assert server["by_kind"]["write"]["operations"] == 4  # the zone and three records
        assert server["p95_ms"] is not None and server["p95_ms"] > 0
    assert "read" in healthy[primary.name]["by_kind"]

    secondary.stop()
    assert (await add(api, zone, "late", "A", "192.0.2.99")).status_code == 207

    # Both windows at once: each reader flushes, and neither misses the other's flush.
    for after in await asyncio.gather(stats(api, "1h"), stats(api, "24h")):
        assert after[secondary.name]["failed"] == 1
        assert after[secondary.name]["operations"] == healthy[secondary.name]["operations"] + 1
        assert 0 < after[secondary.name]["success_rate"] < 1
        assert after[secondary.name]["by_kind"]["write"]["failed"] == 1
        assert after[primary.name]["success_rate"] == 1.0


async def test_processes_sharing_a_database_add_up_their_counts(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    # On SQLite no notification tells the second process that the first added servers; its
    # health monitor has read the (empty) list already, so it must not keep it for 10 s.
    first = await sync_api(api_factory, database_url, server_cache_seconds=0)
    second = await sync_api(api_factory, database_url, server_cache_seconds=0)
    await register_servers(first.client, pdns_servers[:2], (True, True))
    zone = unique_zone("stats2")
    assert (await create_zone(first, zone)).status_code == 201
    assert (await add(first, zone, "a", "A", "192.0.2.1")).status_code == 201

    seen_by_first = await stats(first)  # reading flushes the reader's own counts
    seen_by_second = await stats(second)
    assert seen_by_second == seen_by_first

    assert (await add(second, zone, "b", "A", "192.0.2.2")).status_code == 201
    assert (await add(second, zone, "c", "A", "192.0.2.3")).status_code == 201

    both = await stats(second)
    assert await stats(first) == both
    for server in pdns_servers[:2]:
        writes = both[server.name]["by_kind"]["write"]["operations"]
        assert writes == seen_by_first[server.name]["by_kind"]["write"]["operations"] + 2


async def test_servers_without_operations_have_no_rate(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, database_url)
    created = await register_servers(api.client, pdns_servers[:1], (False,))

    response = await api.client.get("/api/servers/stats")
    invalid = await api.client.get("/api/servers/stats", params={"window": "7d"})

    assert response.status_code == 200
    assert response.json() == {
        "window": "1h",
        "minutes": 60,
        "servers": [
            {
                "server_id": created[0]["id"],
                "name": pdns_servers[0].name,
                "operations": 0,
                "failed": 0,
                "success_rate": None,
                "p95_ms": None,
                "by_kind": {},
            }
        ],
    }
    assert invalid.status_code == 422


async def test_windows_and_retention(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, database_url)
    [server] = await register_servers(api.client, pdns_servers[:1], (False,))
    server_id = cast(int, server["id"])
    now = 1_800_000_000.0
    clock = [now]
    buffer = StatsBuffer(clock=lambda: clock[0])
    for age_minutes, outcome in ((0, "success"), (59, "failure"), (60, "success"),
                                 (23 * 60, "failure"), (3 * 24 * 60, "failure")):  # fmt: skip
        clock[0] = now - age_minutes * 60
        buffer.record(server_id=server_id, kind="record.create", outcome=outcome, seconds=0.01)
        # A server deleted since: its counts are dropped.
        buffer.record(server_id=server_id + 1, kind="read", outcome="success", seconds=0.01)
    async with api.context.sessions() as session:
        assert await flush(session=session, buffer=buffer) == 5
        hour = await server_stats_view(session=session, buffer=buffer, window="1h", now=now)
        day = await server_stats_view(session=session, buffer=buffer, window="24h", now=now)
        await prune(session=session, now=now)
        pruned = await server_stats_view(session=session, buffer=buffer, window="24h", now=now)
        await prune(session=session, now=now + 3 * 24 * 3600)
        empty = await server_stats_view(session=session, buffer=buffer, window="24h", now=now)

    assert [(s["operations"], s["failed"], s["success_rate"]) for s in hour["servers"]] == [
        (2, 1, 0.5)
    ]
    assert [(s["operations"], s["failed"]) for s in day["servers"]] == [(4, 2)]
    assert pruned["servers"] == day["servers"]  # the 3-day-old row was outside the window
    assert empty["servers"][0]["operations"] == 0


async def test_counts_reach_the_database_without_a_reader_in_that_process(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    writer = await sync_api(api_factory, database_url, stats_flush_seconds=0.2)
    reader = await sync_api(api_factory, database_url)
    await register_servers(writer.client, pdns_servers[:1], (False,))
    zone = unique_zone("stats3")
    assert (await create_zone(writer, zone)).status_code == 201

    seen = []
    for _ in range(300):  # the writer's background flush runs every 0.2 s
        seen.append((await stats(reader))[pdns_servers[0].name]["operations"])
        if seen[-1]:
            break
        await asyncio.sleep(0.2)
    assert seen[-1] >= 1, seen[-5:]


async def test_shutdown_flushes_what_was_counted(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    reader = await sync_api(api_factory, database_url)
    await register_servers(reader.client, pdns_servers[:1], (False,))
    settings = make_settings(reader.context.settings.data_dir, database_url).model_copy(
        update={"sync_worker": False, "stats_flush_seconds": 0}
    )
    app = create_app(settings)
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        zone = unique_zone("stats4")
        async with app.state.context.sessions() as session:
            multi = await build_multi(session=session, pool=app.state.context.pool)
        with pytest.raises(PowerDNSNotFound):
            await multi.read(lambda client: client.get_zone(zone))  # an answered read
    finally:
        await lifespan.__aexit__(None, None, None)

    read = (await stats(reader))[pdns_servers[0].name]["by_kind"]["read"]
    assert (read["operations"], read["failed"], read["success_rate"]) == (1, 0, 1.0)
    assert read["p95_ms"] is not None


async def test_one_process_at_a_time_runs_the_drift_check(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, database_url)
    await register_servers(api.client, pdns_servers, (True, True, True))
    runtime = api.context.sync

    other = (await sync_api(api_factory, database_url)).context.sync  # a second DNSMate

    alone = await check_drift(runtime=runtime)
    async with other.locks.exclusive("drift-check") as owned:
        assert owned
        while_held = await check_drift(runtime=runtime)
    async with runtime.locks.exclusive("drift-check") as owned:
        assert owned
        while_held_here = await check_drift(runtime=runtime)

    assert alone is True
    # PostgreSQL: the advisory lock is held elsewhere, so this round is skipped. SQLite has
    # no cross-process lock (one process is the supported limit there).
    assert while_held is (not database_url.startswith("postgresql"))
    assert while_held_here is False  # in one process, one check at a time on both


async def test_a_change_the_servers_refuse_is_not_a_server_fault(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone("refused")
    assert (await create_zone(api, zone)).status_code == 201
    assert (await add(api, zone, "www", "A", "192.0.2.1")).status_code == 201
    # Each server refuses a CNAME beside the A record (422), and an update of a record that
    # is not there (409): the user's mistakes, answered correctly by healthy servers.
    assert (await add(api, zone, "www", "CNAME", "other.example.")).status_code == 422
    stale = await api.client.put(
        f"/api/records/{zone}/www/A", json={"old_content": "192.0.2.9", "content": "192.0.2.2"}
    )
    assert stale.status_code == 409, stale.text
    for server in pdns_servers[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
        assert dns_query(server, f"www.{zone}.", "CNAME") == []

    after = await stats(api)

    for server in pdns_servers[:2]:
        assert after[server.name]["by_kind"]["write"]["operations"] == 4
        assert after[server.name]["failed"] == 0
        assert after[server.name]["success_rate"] == 1.0
