"""Zones created from templates, and zones saved as templates, checked over DNS."""

from __future__ import annotations

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.api.test_templates import WEB
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query


def soa_edit_api(server: LocalPowerDNS, zone: str) -> str:
    response = httpx.get(
        f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.",
        params={"rrsets": "false"},
        headers={"X-API-Key": server.api_key},
    )
    return str(response.json()["soa_edit_api"])


async def test_zone_from_template_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    template = (await api.client.post("/api/templates", json=WEB)).json()
    zone = unique_zone("tpl")

    response = await api.client.post(
        "/api/zones", json={"name": zone, "template_id": template["id"]}
    )

    assert response.status_code == 201, response.text
    assert response.json()["template"] == "web"
    assert response.json()["nameservers"] == ["ns1.example.net.", "ns2.example.net."]
    for server in pdns_servers:
        assert dns_query(server, f"{zone}.", "A") == ["192.0.2.10"]
        assert dns_query(server, f"www.{zone}.", "CNAME") == [f"{zone}."]
        assert dns_query(server, f"{zone}.", "MX") == [f"10 mail.{zone}."]
        assert dns_query(server, f"mail.{zone}.", "A") == ["192.0.2.25"]
        assert dns_query(server, f"_dmarc.{zone}.", "TXT") == ['"v=DMARC1; p=none"']
        assert dns_query(server, f"{zone}.", "NS") == ["ns1.example.net.", "ns2.example.net."]
        assert soa_edit_api(server, zone) == "INCREASE"
    records = (await api.client.get(f"/api/records/{zone}", params={"name": "@"})).json()
    ttl = {r["type"]: r["ttl"] for r in records["items"]}
    assert ttl["A"] == 600 and ttl["MX"] == 3600


async def test_request_nameservers_win_and_unknown_template_is_422(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    template = (await api.client.post("/api/templates", json=WEB)).json()
    zone = unique_zone("tpl")

    response = await api.client.post(
        "/api/zones",
        json={"name": zone, "template_id": template["id"], "nameservers": ["ns.other.net"]},
    )

    assert response.status_code == 201, response.text
    assert dns_query(pdns_servers[0], f"{zone}.", "NS") == ["ns.other.net."]
    missing = await api.client.post("/api/zones", json={"name": unique_zone(), "template_id": 999})
    assert missing.status_code == 422 and missing.json()["field"] == "template_id"


async def test_save_zone_as_template_and_reuse_it(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    source = unique_zone("src")
    created = await api.client.post(
        "/api/zones", json={"name": source, "nameservers": ["ns1.example.net."]}
    )
    assert created.status_code == 201
    for name, rtype, content, ttl in [
        ("@", "MX", f"10 mail.{source}.", 300),
        ("mail", "A", "192.0.2.25", 300),
        ("www", "CNAME", "cdn.example.org.", 300),
        ("ftp", "CNAME", f"www.{source}.", 300),
        ("@", "TXT", "v=spf1 mx -all", 60),
    ]:
        added = await api.client.post(
            f"/api/records/{source}",
            json={"name": name, "type": rtype, "content": content, "ttl": ttl},
        )
        assert added.status_code == 201, added.text

    saved = await api.client.post(
        f"/api/templates/from-zone/{source}", json={"name": "from source"}
    )

    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert body["default_ttl"] == 300
    assert body["nameservers"] == ["ns1.example.net."]
    assert {(r["name"], r["type"], r["content"], r["ttl"]) for r in body["records"]} == {
        ("@", "MX", "10 mail", None),
        ("@", "TXT", '"v=spf1 mx -all"', 60),
        ("mail", "A", "192.0.2.25", None),
        ("www", "CNAME", "cdn.example.org.", None),
        ("ftp", "CNAME", "www", None),
    }
    copy = unique_zone("copy")
    made = await api.client.post("/api/zones", json={"name": copy, "template_id": body["id"]})
    assert made.status_code == 201, made.text
    for server in pdns_servers[:2]:
        assert dns_query(server, f"{copy}.", "MX") == [f"10 mail.{copy}."]
        assert dns_query(server, f"ftp.{copy}.", "CNAME") == [f"www.{copy}."]
        assert dns_query(server, f"www.{copy}.", "CNAME") == ["cdn.example.org."]
    missing = await api.client.post("/api/templates/from-zone/nope.example", json={"name": "n"})
    assert missing.status_code == 404


async def test_template_records_fail_where_the_zone_failed(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns, (True, True, True))
    template = (await api.client.post("/api/templates", json=WEB)).json()
    zone = unique_zone("tpl")
    pdns[1].stop()

    response = await api.client.post(
        "/api/zones", json={"name": zone, "template_id": template["id"]}
    )

    assert response.status_code == 207, response.text
    assert response.json()["failed_servers"] == ["Secondary PowerDNS: Server unreachable"]
    for server in (pdns[0], pdns[2]):
        assert dns_query(server, f"mail.{zone}.", "A") == ["192.0.2.25"]
