"""The multi-server contract against three real PowerDNS servers, checked over DNS."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode, dns_response

NS = ["ns1.example.net.", "ns2.example.net."]


async def create_zone(client: httpx.AsyncClient, zone: str) -> httpx.Response:
    return await client.post("/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS})


async def add(
    client: httpx.AsyncClient, zone: str, name: str, rtype: str, content: str, ttl: int = 300
) -> httpx.Response:
    return await client.post(
        f"/api/records/{zone}", json={"name": name, "type": rtype, "content": content, "ttl": ttl}
    )


@pytest.mark.parametrize(
    ("modes", "expected"),
    [
        pytest.param((True, True, True), (True, True, True), id="scenario1-all-multi"),
        pytest.param((True, True, False), (True, True, False), id="scenario2-mixed"),
        pytest.param((False, False, False), (True, False, False), id="scenario3-single"),
    ],
)
async def test_writes_reach_exactly_the_targets(
    api: Api, pdns_servers: list[LocalPowerDNS], modes: tuple[bool, ...], expected: tuple[bool, ...]
) -> None:
    await register_servers(api.client, pdns_servers, modes)
    zone = unique_zone()
    created = await create_zone(api.client, zone)
    assert created.status_code == 201, created.text
    assert [s["server"] for s in created.json()["servers"]] == [
        s.name for s, on in zip(pdns_servers, expected, strict=True) if on
    ]

    response = await add(api.client, zone, "test", "A", "192.168.1.100")

    assert response.status_code == 201, response.text
    body = response.json()
    assert {k: body[k] for k in ("name", "type", "content", "ttl")} == {
        "name": f"test.{zone}",
        "type": "A",
        "content": "192.168.1.100",
        "ttl": 300,
    }
    assert all(s["success"] for s in body["servers"])
    for server, target in zip(pdns_servers, expected, strict=True):
        if target:
            assert dns_query(server, f"test.{zone}.", "A") == ["192.168.1.100"]
        else:
            assert dns_rcode(server, f"{zone}.") == "REFUSED"  # zone not served there


async def test_partial_success_when_one_server_is_down(api: Api, pdns: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone()
    assert (await create_zone(api.client, zone)).status_code == 201
    pdns[2].stop()

    response = await add(api.client, zone, "www", "A", "192.0.2.1")

    assert response.status_code == 207, response.text
    body = response.json()
    assert "detail" not in body
    assert body["message"] == "Record created on 2/3 servers"
    assert body["success_servers"] == ["Primary PowerDNS", "Secondary PowerDNS"]
    assert body["failed_servers"] == ["Legacy PowerDNS: Server unreachable"]
    assert body["partial_success"] is True
    assert [s["success"] for s in body["servers"]] == [True, True, False]
    assert dns_query(pdns[0], f"www.{zone}.", "A") == ["192.0.2.1"]
    assert dns_query(pdns[1], f"www.{zone}.", "A") == ["192.0.2.1"]


async def test_wrong_api_key_is_reported_per_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone()
    assert (await create_zone(api.client, zone)).status_code == 201
    second = (await api.client.get("/api/settings/powerdns")).json()[1]
    await api.client.put(f"/api/settings/powerdns/{second['id']}", json={"api_key": "wrong"})

    response = await add(api.client, zone, "www", "A", "192.0.2.2")

    assert response.status_code == 207
    assert response.json()["failed_servers"] == ["Secondary PowerDNS: API key invalid"]
    assert dns_query(pdns_servers[1], f"www.{zone}.", "A") == []


async def test_total_failure_is_400_with_every_error(api: Api, pdns: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns[:2], (True, True), api_keys={pdns[0].name: "bad"})
    zone = unique_zone()
    assert (await create_zone(api.client, zone)).status_code == 207
    pdns[1].stop()

    response = await add(api.client, zone, "www", "A", "192.0.2.3")

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Failed to create record on all PowerDNS servers"
    assert body["errors"] == [
        "Primary PowerDNS: API key invalid",
        "Secondary PowerDNS: Server unreachable",
    ]
    assert "detail" not in body


async def test_adding_keeps_siblings_and_is_idempotent(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = unique_zone()
    await create_zone(api.client, zone)

    assert (await add(api.client, zone, "www", "A", "192.0.2.1")).status_code == 201
    assert (await add(api.client, zone, f"www.{zone}.", "A", "192.0.2.2")).status_code == 201
    again = await add(api.client, zone, "www", "A", "192.0.2.2")

    assert again.status_code == 201
    for server in pdns_servers[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]
    listing = await api.client.get(f"/api/records/{zone}", params={"name": "www", "type": "A"})
    assert [r["content"] for r in listing.json()["items"]] == ["192.0.2.1", "192.0.2.2"]


async def test_concurrent_adds_to_one_rrset_all_land(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone()
    await create_zone(api.client, zone)

    responses = await asyncio.gather(
        *(add(api.client, zone, "pool", "A", f"198.51.100.{i}") for i in range(1, 21))
    )

    assert [r.status_code for r in responses] == [201] * 20
    expected = sorted(f"198.51.100.{i}" for i in range(1, 21))
    for server in pdns_servers:
        assert dns_query(server, f"pool.{zone}.", "A") == expected


async def test_update_replaces_one_record_and_detects_stale_content(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = unique_zone()
    await create_zone(api.client, zone)
    await add(api.client, zone, "mail", "MX", "10 mx1.example.net")
    await add(api.client, zone, "mail", "MX", "20 mx2.example.net")

    updated = await api.client.put(
        f"/api/records/{zone}/mail/MX",
        json={"old_content": "20 mx2.example.net.", "content": "30 mx3.example.net"},
    )
    stale = await api.client.put(
        f"/api/records/{zone}/mail/MX",
        json={"old_content": "20 mx2.example.net.", "content": "40 mx4.example.net"},
    )

    assert updated.status_code == 200, updated.text
    assert stale.status_code == 409, stale.text
    assert "no longer exists" in stale.json()["errors"][0]
    for server in pdns_servers[:2]:
        assert dns_query(server, f"mail.{zone}.", "MX") == [
            "10 mx1.example.net.",
            "30 mx3.example.net.",
        ]


async def test_delete_one_record_then_the_rrset(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone()
    await create_zone(api.client, zone)
    await add(api.client, zone, "txt", "TXT", "hello world")
    await add(api.client, zone, "txt", "TXT", '"second"')

    one = await api.client.delete(f"/api/records/{zone}/txt/TXT", params={"content": "hello world"})
    assert one.status_code == 200, one.text
    for server in pdns_servers:
        assert dns_query(server, f"txt.{zone}.", "TXT") == ['"second"']

    whole = await api.client.delete(f"/api/records/{zone}/txt/TXT")
    absent = await api.client.delete(f"/api/records/{zone}/txt/TXT")
    assert (whole.status_code, absent.status_code) == (200, 200)
    for server in pdns_servers:
        assert dns_query(server, f"txt.{zone}.", "TXT") == []


@pytest.mark.parametrize(
    ("rtype", "content"),
    [
        ("A", "192.0.2.300"),
        ("AAAA", "2001:db8::g"),
        ("CNAME", "not a name!"),
        ("MX", "mail.example.com"),
        ("TXT", '"unterminated'),
        ("NS", "bad..name"),
        ("SRV", "10 5 sip.example.com"),
        ("CAA", "0 issue"),
        ("PTR", "a b c"),
        ("SOA", "ns1.example.com. hostmaster 1 2 3"),
    ],
)
async def test_invalid_content_is_422_before_any_server(
    api: Api, pdns_servers: list[LocalPowerDNS], rtype: str, content: str
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone()
    await create_zone(api.client, zone)

    response = await add(api.client, zone, "bad", rtype, content)

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "content"
    assert rtype in response.json()["message"]
    for server in pdns_servers:
        assert dns_query(server, f"bad.{zone}.", rtype) == []


async def test_cname_cannot_coexist_with_other_data(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone()
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")

    cname = await add(api.client, zone, "www", "CNAME", "other.example.net")
    await add(api.client, zone, "alias", "CNAME", "other.example.net")
    a_on_cname = await add(api.client, zone, "alias", "A", "192.0.2.9")

    assert cname.status_code == 422
    # Said once, naming the field, not once per server.
    assert cname.json()["field"] == "type"
    assert cname.json()["message"] == (
        f"www.{zone} already has A records; a CNAME cannot coexist with other data: "
        "choose another name, or delete those records first"
    )
    assert len(cname.json()["errors"]) == 2
    assert a_on_cname.status_code == 422
    assert a_on_cname.json()["field"] == "type"
    for server in pdns_servers[:2]:
        assert dns_query(server, f"alias.{zone}.", "A") == []
        assert dns_query(server, f"alias.{zone}.", "CNAME") == ["other.example.net."]
        assert dns_query(server, f"www.{zone}.", "CNAME") == []
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]


async def test_adding_without_a_ttl_keeps_the_rrset_ttl_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone()
    await create_zone(api.client, zone)
    await add(api.client, zone, "app", "A", "192.0.2.1", ttl=1800)

    sibling = await api.client.post(
        f"/api/records/{zone}", json={"name": "app", "type": "A", "content": "192.0.2.2"}
    )
    fresh = await api.client.post(
        f"/api/records/{zone}", json={"name": "new", "type": "A", "content": "192.0.2.3"}
    )

    assert sibling.status_code == 201, sibling.text
    assert sibling.json()["ttl"] == 1800
    assert fresh.json()["ttl"] == 3600
    for server in pdns_servers[:2]:
        answer = dns_response(server, f"app.{zone}.", "A").answer
        assert [(a.ttl, sorted(r.to_text() for r in a)) for a in answer] == [
            (1800, ["192.0.2.1", "192.0.2.2"])
        ]
        answer = dns_response(server, f"new.{zone}.", "A").answer
        assert [(a.ttl, [r.to_text() for r in a]) for a in answer] == [(3600, ["192.0.2.3"])]


async def test_zone_create_and_delete_on_all_targets(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone()

    created = await create_zone(api.client, zone)
    duplicate = await create_zone(api.client, zone)

    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0] == "Primary PowerDNS: Zone already exists"
    for server in pdns_servers:
        assert dns_query(server, f"{zone}.", "NS") == NS
    listed = await api.client.get("/api/zones", params={"search": zone})
    assert [z["name"] for z in listed.json()["items"]] == [zone]

    deleted = await api.client.delete(f"/api/zones/{zone}")
    assert deleted.status_code == 200, deleted.text
    for server in pdns_servers:
        assert dns_rcode(server, f"{zone}.") == "REFUSED"
    assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 404


async def test_bad_zone_input_is_422(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    bad_kind = await api.client.post(
        "/api/zones", json={"name": unique_zone(), "kind": "Weird", "nameservers": NS}
    )
    no_ns = await api.client.post("/api/zones", json={"name": unique_zone()})
    assert (bad_kind.status_code, bad_kind.json()["field"]) == (422, "kind")
    assert (no_ns.status_code, no_ns.json()["field"]) == (422, "nameservers")


async def test_no_server_configured_is_503(api: Api) -> None:
    response = await api.client.get("/api/zones")
    assert response.status_code == 503
    assert "POST /api/settings/powerdns" in response.json()["message"]


async def test_reads_fail_over_when_the_default_is_down(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns, (True, True, False))
    zone = unique_zone()
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.7")
    pdns[0].stop()

    listing = await api.client.get(f"/api/records/{zone}", params={"type": "A"})

    assert listing.status_code == 200
    assert [r["content"] for r in listing.json()["items"]] == ["192.0.2.7"]


async def test_multi_server_flow_on_each_database(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = unique_zone("db")

    assert (await create_zone(api.client, zone)).status_code == 201
    assert (await add(api.client, zone, "www", "AAAA", "2001:db8::1")).status_code == 201

    assert dns_query(pdns_servers[1], f"www.{zone}.", "AAAA") == ["2001:db8::1"]
    assert dns_rcode(pdns_servers[2], f"{zone}.") == "REFUSED"


async def test_health_and_connection_test_against_real_servers(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    created = await register_servers(api.client, pdns[:2], (True, True))
    pdns[1].stop()

    health = (await api.client.get("/api/settings/powerdns/health")).json()
    tested = (await api.client.post(f"/api/settings/powerdns/{created[0]['id']}/test")).json()

    assert [(h["name"], h["healthy"], h["error"]) for h in health] == [
        ("Primary PowerDNS", True, None),
        ("Secondary PowerDNS", False, "Server unreachable"),
    ]
    assert health[0]["version"].startswith("4.")
    assert tested["healthy"] is True and tested["latency_ms"] is not None
