"""Server health on real PowerDNS servers: a hung one never holds up the others' answer,
and a server proved healthy takes the next write (its breaker closes)."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, sync_api
from tests.integration.test_stragglers import HUNG, add_server, hung_server

LEGACY = "Legacy PowerDNS"


async def health(api: Api) -> dict[str, dict[str, Any]]:
    response = await api.client.get("/api/settings/powerdns/health")
    assert response.status_code == 200, response.text
    return {s["name"]: s for s in response.json()}


async def breaker(api: Api, name: str) -> str:
    rows = (await api.client.get("/api/sync/servers")).json()
    state: str = next(r["state"] for r in rows if r["name"] == name)
    return state


async def test_a_hung_server_is_not_answering_and_the_others_are_healthy(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, False))
    async with hung_server() as hung:
        # A read timeout far beyond the deadline: only the deadline can answer for it.
        await add_server(api, HUNG, hung.url, "hung-key", read_timeout=60)

        first = await health(api)
        again = await health(api)  # the check still in flight is shared, not started twice

    for checks in (first, again):
        assert checks[HUNG]["state"] == "not_answering"
        assert not checks[HUNG]["healthy"]
        assert checks[HUNG]["error"].startswith("not answering")
        for server in pdns:
            assert checks[server.name]["state"] == "healthy", checks[server.name]
            assert checks[server.name]["version"]
    assert len(hung.connections) == 1


async def test_a_server_proved_healthy_takes_the_next_write(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url, breaker_cooldown_seconds=600,
                         breaker_failure_threshold=1)  # fmt: skip
    created = await register_servers(api.client, pdns, (True, True, True))
    legacy_id = created[2]["id"]
    zone = unique_zone("proved")
    assert (await create_zone(api, zone)).status_code == 201

    for proof, name in (("health", "a"), ("test", "b")):
        pdns[2].stop()
        down = await add(api, zone, name, "A", "192.0.2.1")
        assert down.status_code == 207, down.text
        assert await breaker(api, LEGACY) == "open"
        pdns[2].start()
        # Proved answering again, by the health page or by a connection test ...
        if proof == "health":
            assert (await health(api))[LEGACY]["state"] == "healthy"
        else:
            tested = await api.client.post(f"/api/settings/powerdns/{legacy_id}/test")
            assert tested.json()["healthy"] is True, tested.text
        assert await breaker(api, LEGACY) == "closed"
        # ... the server takes the next write at once (it first replays what it missed).
        written = await add(api, zone, name, "A", "192.0.2.2")
        assert written.status_code == 201, written.text
        for server in pdns:
            assert dns_query(server, f"{name}.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]


async def test_powerdns_figures_per_server_and_a_hung_one_not_answering(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    primary, secondary = pdns_servers[:2]
    await register_servers(api.client, [primary, secondary], (True, True))
    zone = unique_zone("figures")
    assert (await create_zone(api, zone)).status_code == 201

    async def figures() -> dict[str, dict[str, Any]]:
        response = await api.client.get("/api/servers/powerdns-stats")
        assert response.status_code == 200, response.text
        return {f["name"]: f for f in response.json()}

    before = await figures()
    for _ in range(3):
        dns_query(primary, f"{zone}.", "SOA")
    async with hung_server() as hung:
        await add_server(api, HUNG, hung.url, "hung-key", read_timeout=60)
        after = await figures()

    assert after[HUNG]["state"] == "not_answering"
    for server in (primary, secondary):
        assert after[server.name]["state"] == "ok", after[server.name]
        assert after[server.name]["uptime_seconds"] >= before[server.name]["uptime_seconds"]
    queries = after[primary.name]["udp_queries"] - before[primary.name]["udp_queries"]
    assert queries >= 3
    assert after[secondary.name]["udp_queries"] == before[secondary.name]["udp_queries"]
    # The test servers run with every cache off (dnsmate/dev/pdns_local.py): no lookups, no rate.
    assert after[primary.name]["packet_cache_hit_rate"] is None
    assert after[primary.name]["query_cache_hit_rate"] is None
