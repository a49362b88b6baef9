"""The PowerDNS-compatible API answers as a plain PowerDNS 4.7 does, request by request.

Each request goes to a reference PowerDNS and to DNSMate (in front of three real PowerDNS
servers); status and body must agree (serials and key material aside). Where DNSMate
deliberately differs (a TTL PowerDNS misreads), the test says so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.compatdiff import BASE, Pair, assert_same, body, make_pair
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

FORM = {"Content-Type": "application/x-www-form-urlencoded"}  # what curl -d sends


@pytest.fixture
async def pair(
    api: Api, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> AsyncIterator[Pair]:
    await register_servers(api.client, pdns_servers, (True, True, True))
    pair = await make_pair(api, reference_pdns)
    yield pair
    await pair.aclose()


def zone_body(zone: str, **extra: object) -> dict[str, object]:
    return {"name": zone, "kind": "Native", "nameservers": [f"ns1.{zone}"], **extra}


async def test_version_discovery_and_server_object(pair: Pair) -> None:
    for path in ("/api", "/api/v1", "/api/v1/servers", BASE):
        ref, mate = await pair.both("GET", path)
        assert_same(ref, mate)
        anonymous = await pair.dnsmate.get(path, headers={"X-API-Key": ""})
        assert anonymous.status_code == 401
    server = (await pair.dnsmate.get(BASE)).json()
    assert server["autoprimaries_url"] == f"{BASE}/autoprimaries{{/autoprimary}}"
    assert set(server) == set((await pair.reference.get(BASE)).json())


async def test_zone_list_and_zone_objects_have_powerdns_fields(pair: Pair) -> None:
    zone = unique_zone("list") + "."
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=zone_body(zone))
    assert_same(ref, mate)
    assert set(body(mate)) == set(body(ref))
    assert body(mate)["url"] == f"{BASE}/zones/{zone}"

    for params in ({}, {"dnssec": "false"}, {"dnssec": "true"}, {"dnssec": "no"}):
        ref, mate = await pair.both("GET", f"{BASE}/zones", params={"zone": zone, **params})
        assert_same(ref, mate)
        [listed] = body(mate)
        assert ("dnssec" in listed) == (params.get("dnssec") != "false")
        assert ("edited_serial" in listed) == (params.get("dnssec") != "false")
    listed = (await pair.dnsmate.get(f"{BASE}/zones")).json()
    assert all({"dnssec", "edited_serial", "url"} <= set(z) for z in listed)

    for params in ({}, {"rrsets": "false"}):
        ref, mate = await pair.both("GET", f"{BASE}/zones/{zone}", params=params)
        assert_same(ref, mate)
        assert ("rrsets" in body(mate)) == (params == {})


async def test_create_checks_as_powerdns_checks(pair: Pair) -> None:
    zone = unique_zone("check") + "."
    for bad in (zone_body(zone, nameservers=["ns1.example"]), zone_body("nodot.example")):
        ref, mate = await pair.both("POST", f"{BASE}/zones", json=bad)
        assert_same(ref, mate)
        assert mate.status_code == 422
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=zone_body(zone))
    assert_same(ref, mate)
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=zone_body(zone))
    assert_same(ref, mate)
    assert mate.status_code == 409


async def test_create_answers_without_rrsets_when_asked(pair: Pair) -> None:
    zone = unique_zone("norr") + "."
    ref, mate = await pair.both(
        "POST", f"{BASE}/zones", params={"rrsets": "false"}, json=zone_body(zone)
    )
    assert_same(ref, mate)
    assert mate.status_code == 201
    assert "rrsets" not in body(mate)


async def test_a_body_without_json_content_type_is_json(
    pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = unique_zone("curl") + "."
    ref, mate = await pair.both(
        "POST", f"{BASE}/zones", content=_json(zone_body(zone)), headers=FORM
    )
    assert_same(ref, mate)
    rrset = {"name": f"www.{zone}", "type": "A", "ttl": 60, "records": [{"content": "192.0.2.7"}]}
    patch = {"rrsets": [{**rrset, "changetype": "REPLACE"}]}
    ref, mate = await pair.both("PATCH", f"{BASE}/zones/{zone}", content=_json(patch), headers=FORM)
    assert_same(ref, mate)
    assert mate.status_code == 204
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.7"]
    ref, mate = await pair.both("PATCH", f"{BASE}/zones/{zone}", content="{not json", headers=FORM)
    assert_same(ref, mate)


@pytest.mark.parametrize("ttl", ["60", " 60 ", 60.0, 60])
async def test_a_ttl_written_as_a_string_is_read_as_powerdns_reads_it(
    pair: Pair, pdns_servers: list[LocalPowerDNS], ttl: object
) -> None:
    zone = unique_zone("ttl") + "."
    rrset = {"name": f"www.{zone}", "type": "A", "ttl": ttl, "records": [{"content": "192.0.2.8"}]}
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=zone_body(zone, rrsets=[rrset]))
    assert_same(ref, mate)
    ref, mate = await pair.both(
        "PATCH",
        f"{BASE}/zones/{zone}",
        json={"rrsets": [{**rrset, "changetype": "REPLACE", "name": f"mail.{zone}"}]},
    )
    assert_same(ref, mate)
    for name in ("www", "mail"):
        ref, mate = await pair.both(
            "GET",
            f"{BASE}/zones/{zone}",
            params={"rrset_name": f"{name}.{zone}", "rrset_type": "A"},
        )
        assert_same(ref, mate)
        assert [r["ttl"] for r in body(mate)["rrsets"]] == [60]
    for server in pdns_servers:
        assert dns_query(server, f"mail.{zone}", "A") == ["192.0.2.8"]


@pytest.mark.parametrize("ttl", ["abc", "60x", "", "-1", 60.5, True, None])
async def test_a_ttl_powerdns_misreads_is_refused(pair: Pair, ttl: object) -> None:
    """PowerDNS takes "60x" as 60 and 60.5 as 60, wraps "-1" to 4294967295 and answers 500
    for "abc": DNSMate refuses each with PowerDNS's own 422 message."""
    zone = unique_zone("badttl") + "."
    created = await pair.dnsmate.post(f"{BASE}/zones", json=zone_body(zone))
    assert created.status_code == 201, created.text
    patch = {"rrsets": [{"name": f"www.{zone}", "type": "A", "ttl": ttl, "changetype": "REPLACE",
                         "records": [{"content": "192.0.2.9"}]}]}  # fmt: skip
    refused = await pair.dnsmate.patch(f"{BASE}/zones/{zone}", json=patch)
    assert refused.status_code == 422
    assert "ttl" in refused.json()["error"]


def _json(value: object) -> str:
    import json

    return json.dumps(value)
