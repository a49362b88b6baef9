"""AXFR import is not a port scanner: non-admins transfer only from allowed primaries, and
every failed transfer gets the same message."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from tests.conftest import Api, ApiFactory, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone


async def _zone_on_first_server(api: Api, pdns_servers: list[LocalPowerDNS]) -> str:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("axfrsrc")
    body = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
    assert (await api.client.post("/api/zones", json=body)).status_code == 201
    return zone


async def test_non_admins_transfer_only_from_allowed_primaries(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(sqlite_url, axfr_primaries="198.51.100.0/24, 2001:db8::/32")
    zone = await _zone_on_first_server(api, pdns_servers)
    await make_user(api, "ed@example.com", "editor")
    editor = await login_headers(api, "ed@example.com")
    source = pdns_servers[0]
    target = unique_zone("axfrcopy")

    for primary in ("192.0.2.1", "10.0.0.1", "::ffff:7f00:1"):
        refused = await api.client.post(
            f"/api/zones/{target}/import/axfr",
            json={"primary": primary, "port": source.dns_port},
            headers=editor,
        )
        assert refused.status_code == 403, (primary, refused.text)
        assert "DNSMATE_AXFR_PRIMARIES" in refused.json()["detail"]
    # The configured servers' address is allowed (the transfer itself then runs).
    allowed = await api.client.post(
        f"/api/zones/{zone}/import/axfr",
        json={"primary": "127.0.0.1", "port": source.dns_port},
        headers=editor,
    )
    assert allowed.status_code == 200, allowed.text
    # An admin may name any primary.
    admin = await api.client.post(
        f"/api/zones/{target}/import/axfr", json={"primary": "127.0.0.2", "port": free_port()}
    )
    assert admin.status_code == 422, admin.text


async def test_every_failed_transfer_gets_the_same_message(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await _zone_on_first_server(api, pdns_servers)
    zone = unique_zone("nothere")
    source = pdns_servers[0]
    # A closed port, an HTTP server (PowerDNS's API port), a name server without the zone.
    messages = set()
    for port in (free_port(), source.api_port, source.dns_port):
        response = await api.client.post(
            f"/api/zones/{zone}/import/axfr", json={"primary": "127.0.0.1", "port": port}
        )
        assert response.status_code == 422, response.text
        messages.add(response.json()["message"].replace(str(port), "PORT"))
    assert len(messages) == 1, messages
