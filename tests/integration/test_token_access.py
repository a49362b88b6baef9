"""API tokens on zone and record routes against real PowerDNS, narrowed by zones and read-only."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net."]


async def _token(api: Api, **body: object) -> dict[str, str]:
    created = await api.client.post("/api/tokens", json={"name": "t", **body})
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['token']}"}


async def test_tokens_work_on_zones_and_records_within_their_limits(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    mine, other = unique_zone("tok"), unique_zone("tok")
    for zone in (mine, other):
        created = await api.client.post(
            "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
        )
        assert created.status_code == 201, created.text
    full = await _token(api)
    limited = await _token(api, zones=[mine])
    read_only = await _token(api, read_only=True, zones=[mine])

    # A full token acts as its admin on zone and record routes.
    made = await api.client.post(
        "/api/zones", json={"name": unique_zone("tok"), "kind": "Native", "nameservers": NS},
        headers=full,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    record = {"name": "www", "type": "A", "content": "192.0.2.10", "ttl": 300}
    added = await api.client.post(f"/api/records/{mine}", json=record, headers=limited)
    assert added.status_code == 201, added.text
    for server in pdns_servers[:2]:
        assert dns_query(server, f"www.{mine}.", "A") == ["192.0.2.10"]

    # Zone-limited: its zone only, in lists too; no zone creation.
    listed = await api.client.get("/api/zones", headers=limited)
    assert [z["name"] for z in listed.json()["items"]] == [mine]
    assert (await api.client.get(f"/api/zones/{other}", headers=limited)).status_code == 403
    blocked = await api.client.post(f"/api/records/{other}", json=record, headers=limited)
    assert blocked.status_code == 403
    assert dns_query(pdns_servers[0], f"www.{other}.", "A") == []
    new_zone = {"name": unique_zone("tok"), "kind": "Native", "nameservers": NS}
    assert (await api.client.post("/api/zones", json=new_zone, headers=limited)).status_code == 403
    assert (await api.client.delete(f"/api/zones/{mine}", headers=limited)).status_code == 403

    # Read-only: reads its zone, changes nothing.
    records = await api.client.get(f"/api/records/{mine}", headers=read_only)
    assert records.status_code == 200
    assert any(r["content"] == "192.0.2.10" for r in records.json()["items"])
    change = {"name": "www", "type": "A", "content": "192.0.2.99", "ttl": 300}
    denied = await api.client.post(f"/api/records/{mine}", json=change, headers=read_only)
    assert denied.status_code == 403
    gone = await api.client.delete(f"/api/records/{mine}/www/A", headers=read_only)
    assert gone.status_code == 403
    assert dns_query(pdns_servers[0], f"www.{mine}.", "A") == ["192.0.2.10"]
