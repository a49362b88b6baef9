"""Health and connection test against real PowerDNS servers."""

from __future__ import annotations

from dnsmate.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers


async def test_health_and_connection_test_report_real_servers_healthy(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    created = await register_servers(api.client, pdns_servers[:2], (True, False))

    health = (await api.client.get("/api/settings/powerdns/health")).json()
    assert [(h["name"], h["healthy"], h["error"]) for h in health] == [
        (pdns_servers[0].name, True, None),
        (pdns_servers[1].name, True, None),
    ]
    assert all(h["version"] for h in health)

    test = await api.client.post(f"/api/settings/powerdns/{created[0]['id']}/test")
    assert test.status_code == 200
    assert test.json()["healthy"] is True
