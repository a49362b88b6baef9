"""Browsing a server that is not a write target (the seed's Legacy server): its zones and
records through ``?server=``, read-only, and the diff against the write targets."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api


async def test_a_non_target_server_is_browsed_and_compared(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns_servers, (True, True, False))
    legacy = servers[2]["id"]
    managed, own = unique_zone("browse"), unique_zone("legacyonly")
    assert (await create_zone(api, managed)).status_code == 201
    assert (await add(api, managed, "www", "A", "192.0.2.5")).status_code == 201
    async with pdns_api(pdns_servers[2]) as direct:  # Legacy's own zone, and its old copy
        for zone, address in ((own, "198.51.100.1"), (managed, "198.51.100.2")):
            made = await direct.post("/zones", json={
                "name": f"{zone}.", "kind": "Native", "nameservers": ["ns1.example.net."],
                "rrsets": [{"name": f"www.{zone}.", "type": "A", "ttl": 300, "changetype":
                            "REPLACE", "records": [{"content": address, "disabled": False}]}],
            })  # fmt: skip
            assert made.status_code == 201, made.text

    listed = await api.client.get("/api/zones", params={"server": legacy, "search": own})
    assert listed.status_code == 200, listed.text
    assert [z["name"] for z in listed.json()["items"]] == [own]
    targets = await api.client.get("/api/zones", params={"search": own})
    assert targets.json()["items"] == []  # the write targets do not have it
    detail = await api.client.get(f"/api/zones/{own}", params={"server": legacy})
    assert (detail.status_code, detail.json()["servers"]) == (200, ["Legacy PowerDNS"])
    records = await api.client.get(f"/api/records/{managed}", params={"server": legacy,
                                                                      "name": "www"})  # fmt: skip
    assert [r["content"] for r in records.json()["items"]] == ["198.51.100.2"]
    from_targets = await api.client.get(f"/api/records/{managed}", params={"name": "www"})
    assert [r["content"] for r in from_targets.json()["items"]] == ["192.0.2.5"]
    missing = await api.client.get("/api/zones", params={"server": 999})
    assert missing.status_code == 404, missing.text

    diff = await api.client.get(f"/api/sync/zones/{managed}/diff", params={"reference": legacy})
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert body["reference"] == "Legacy PowerDNS"
    assert {s["server"]: s["status"] for s in body["servers"]} == {
        "Primary PowerDNS": "drifted", "Secondary PowerDNS": "drifted"}  # fmt: skip

    # Writes still go to the write targets only, whatever is browsed.
    written = await add(api, own, "new", "A", "192.0.2.9")
    assert written.status_code == 404, written.text
    assert dns_query(pdns_servers[2], f"new.{own}.", "A") == []
    assert dns_query(pdns_servers[2], f"www.{managed}.", "A") == ["198.51.100.2"]
