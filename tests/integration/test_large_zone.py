"""Record listing of a large zone: server-side pages, and the cached copy stays current."""

from __future__ import annotations

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.zonedata.zones import CACHE_MIN_RRSETS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone


async def fill_directly(server: LocalPowerDNS, zone: str, count: int, prefix: str = "host") -> None:
    """Create ``count`` A RRsets straight through the server's API (fast set-up)."""
    rrsets = [
        {"name": f"{prefix}{i:05d}.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
         "records": [{"content": f"10.0.{i // 256}.{i % 256}", "disabled": False}]}
        for i in range(count)
    ]  # fmt: skip
    async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}) as http:
        response = await http.patch(
            f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.", json={"rrsets": rrsets}
        )
        response.raise_for_status()


async def test_large_zone_pages_and_sees_every_change(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("big")
    await api.client.post("/api/zones", json={"name": zone, "nameservers": ["ns1.example.net."]})
    count = CACHE_MIN_RRSETS + 500
    await fill_directly(pdns_servers[0], zone, count)

    page = await api.client.get(
        f"/api/records/{zone}", params={"type": "A", "page": 3, "per_page": 100}
    )
    body = page.json()
    assert body["total"] == count
    assert [r["name"] for r in body["items"]][:2] == [f"host00200.{zone}", f"host00201.{zone}"]

    added = await api.client.post(
        f"/api/records/{zone}", json={"name": "zz-new", "type": "A", "content": "192.0.2.99"}
    )
    assert added.status_code == 201
    await fill_directly(pdns_servers[0], zone, 1, prefix="outside")  # not through DNSMate

    found = await api.client.get(f"/api/records/{zone}", params={"search": "192.0.2.99"})
    again = await api.client.get(f"/api/records/{zone}", params={"type": "A", "per_page": 1})
    assert [r["name"] for r in found.json()["items"]] == [f"zz-new.{zone}"]
    outside = await api.client.get(f"/api/records/{zone}", params={"name": "outside00000"})
    assert again.json()["total"] == count + 2
    assert outside.json()["total"] == 1
