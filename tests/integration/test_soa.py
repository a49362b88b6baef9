"""The SOA: right from a zone's creation (Settings, template, request), edited on every
server, its serial moved by each server's SOA-EDIT-API. Checked over DNS on every server."""

from __future__ import annotations

from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_response

NS = ["ns1.example.net.", "ns2.example.net."]
MISCONFIGURED = "a.misconfigured.dns.server.invalid."


def soa_fields(server: LocalPowerDNS, zone: str) -> list[str]:
    """The SOA ``server`` answers over DNS, split into its seven fields."""
    (answer,) = dns_query(server, f"{zone}.", "SOA")
    return answer.split()


async def test_a_new_zone_has_a_real_soa_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("soa")

    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})

    assert created.status_code == 201, created.text
    for server in pdns_servers:
        primary, hostmaster, serial, *timers = soa_fields(server, zone)
        assert primary == "ns1.example.net." != MISCONFIGURED
        assert hostmaster == f"hostmaster.{zone}."
        assert int(serial) > 0
        assert timers == ["10800", "3600", "604800", "3600"]


async def test_settings_template_and_request_give_the_soa_in_that_order(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    defaults = {"primary": "ns.dnsmate.example", "hostmaster": "dns.ops@example.org",
                "refresh": 7200, "retry": 900, "expire": 1209600, "minimum": 300,
                "ttl": 1800}  # fmt: skip
    stored = await api.client.put("/api/settings/soa", json=defaults)
    assert stored.status_code == 200, stored.text
    assert stored.json()["primary"] == "ns.dnsmate.example."
    assert stored.json()["hostmaster"] == "dns\\.ops.example.org."
    plain = unique_zone("soa")
    assert (await api.client.post("/api/zones", json={"name": plain, "nameservers": NS})).is_success
    template = await api.client.post(
        "/api/templates", json={"name": f"soa-{plain}", "soa": {"refresh": 3600, "minimum": 60}}
    )
    assert template.status_code == 201, template.text
    assert template.json()["soa"]["refresh"] == 3600
    from_template = unique_zone("soa")
    response = await api.client.post(
        "/api/zones",
        json={"name": from_template, "nameservers": NS, "template_id": template.json()["id"],
              "soa": {"minimum": 120, "primary": "ns1.example.net."}},
    )  # fmt: skip
    assert response.status_code == 201, response.text

    for server in pdns_servers[:2]:
        primary, hostmaster, _serial, *timers = soa_fields(server, plain)
        assert (primary, hostmaster) == ("ns.dnsmate.example.", "dns\\.ops.example.org.")
        assert timers == ["7200", "900", "1209600", "300"]
        primary, hostmaster, _serial, *timers = soa_fields(server, from_template)
        assert (primary, hostmaster) == ("ns1.example.net.", "dns\\.ops.example.org.")
        assert timers == ["3600", "900", "1209600", "120"]
        (answer,) = dns_response(server, f"{plain}.", "SOA").answer
        assert answer.ttl == 1800
    soa = (await api.client.get(f"/api/zones/{plain}/soa")).json()
    assert soa["ttl"] == 1800 and soa["soa_edit_api"] == "DEFAULT"
    cleared = await api.client.put("/api/settings/soa", json={})
    assert cleared.json()["primary"] is None and cleared.json()["builtin"]["refresh"] == 10800


async def test_edit_the_soa_on_every_server_serial_moves_and_it_is_audited(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("soa")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    serials = {s.name: int(soa_fields(s, zone)[2]) for s in pdns_servers}

    response = await api.client.put(
        f"/api/zones/{zone}/soa",
        json={"primary": "ns2.example.net", "hostmaster": "noc@example.net", "retry": 1200},
    )

    assert response.status_code == 200, response.text
    assert [s["success"] for s in response.json()["servers"]] == [True, True, True]
    for server in pdns_servers:
        primary, hostmaster, serial, refresh, retry, expire, minimum = soa_fields(server, zone)
        assert (primary, hostmaster) == ("ns2.example.net.", "noc.example.net.")
        assert (refresh, retry, expire, minimum) == ("10800", "1200", "604800", "3600")
        assert int(serial) > serials[server.name]
    serials = {s.name: soa_fields(s, zone)[2] for s in pdns_servers}
    again = await api.client.put(f"/api/zones/{zone}/soa", json={"retry": 1200})
    assert again.status_code == 200
    assert {s.name: soa_fields(s, zone)[2] for s in pdns_servers} == serials  # nothing to do
    events = (await api.client.get("/api/audit", params={"zone": zone})).json()["items"]
    assert any(e["action"] == "zone.soa" for e in events), [e["action"] for e in events]
    bad = await api.client.put(f"/api/zones/{zone}/soa", json={"primary": "not a name"})
    assert bad.status_code == 422 and bad.json()["field"] == "primary"


async def test_compat_and_import_creations_get_a_real_soa(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    token = (await api.client.post("/api/tokens", json={"name": "pdns"})).json()["token"]
    zone = unique_zone("soa")
    body: dict[str, Any] = {"name": f"{zone}.", "kind": "Native", "nameservers": NS}

    async with httpx.AsyncClient(
        transport=api.client._transport, base_url=str(api.client.base_url)
    ) as compat:
        created = await compat.post(
            "/api/v1/servers/localhost/zones", json=body, headers={"X-API-Key": token}
        )
    assert created.status_code == 201, created.text
    imported = unique_zone("soa")
    text = (
        f"$ORIGIN {imported}.\n@ 600 IN SOA ns9.example.net. ops.example.net. 5 900 300 86400 60\n"
        "@ 600 IN NS ns1.example.net.\nwww 600 IN A 192.0.2.7\n"
    )
    applied = await api.client.post(
        f"/api/zones/{imported}/import", content=text.encode(), params={"dry_run": False}
    )
    assert applied.status_code == 201, applied.text

    for server in pdns_servers[:2]:
        assert soa_fields(server, zone)[:2] == ["ns1.example.net.", f"hostmaster.{zone}."]
        # A zone file's SOA is not imported: the new zone gets DNSMate's defaults.
        primary, hostmaster, _serial, *timers = soa_fields(server, imported)
        assert (primary, hostmaster) == ("ns1.example.net.", f"hostmaster.{imported}.")
        assert timers == ["10800", "3600", "604800", "3600"]
