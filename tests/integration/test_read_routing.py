"""Read strategies against three real PowerDNS servers: reads answer while one is down."""

from __future__ import annotations

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone

NS = ["ns1.example.net.", "ns2.example.net."]


@pytest.mark.parametrize("strategy", ["fastest", "round-robin"])
async def test_reads_answer_when_one_server_is_stopped(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS], strategy: str
) -> None:
    api = await api_factory(sqlite_url, read_strategy=strategy)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("rr")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201, created.text
    added = await api.client.post(
        f"/api/records/{zone}",
        json={"name": "www", "type": "A", "content": "192.0.2.9", "ttl": 300},
    )
    assert added.status_code == 201, added.text
    # Stop the server the router ranks first now (fastest reads it first; round-robin's four
    # reads below start once on every server).
    router = api.context.pool.read_router
    first = router.order([s.name for s in pdns])[0]
    next(s for s in pdns if s.name == first).stop()

    for _ in range(4):
        listing = await api.client.get(f"/api/records/{zone}", params={"type": "A"})
        assert listing.status_code == 200, listing.text
        assert [r["content"] for r in listing.json()["items"]] == ["192.0.2.9"]
    # The stopped server was really asked (and failed over from), not merely ranked last.
    stats = (await api.client.get("/api/servers/stats", params={"window": "1h"})).json()
    stopped = next(s for s in stats["servers"] if s["name"] == first)
    assert stopped["by_kind"]["read"]["failed"] >= 1
