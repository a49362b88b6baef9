"""Cryptokeys, autoprimaries, search-data, statistics and cache flushes: DNSMate's
PowerDNS-compatible API against a plain PowerDNS, request by request.

DNSMate sits in front of three PowerDNS servers: a key written through it must sign the
zone on all three with the same DNSKEY set (checked over DNS), and an autoprimary must be
on all three.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, login_as_role
from tests.integration.compatdiff import BASE, Pair, assert_same, body, comparable, make_pair
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_response
from tests.integration.test_dnssec import validate


@pytest.fixture
async def pair(
    api: Api, pdns_servers: list[LocalPowerDNS], reference_pdns: LocalPowerDNS
) -> AsyncIterator[Pair]:
    await register_servers(api.client, pdns_servers, (True, True, True))
    pair = await make_pair(api, reference_pdns)
    yield pair
    await pair.aclose()


async def _zone(pair: Pair, prefix: str) -> str:
    zone = unique_zone(prefix) + "."
    body = {"name": zone, "kind": "Native", "nameservers": [f"ns1.{zone}"],
            "rrsets": [{"name": f"www.{zone}", "type": "A", "ttl": 300,
                        "records": [{"content": "192.0.2.44"}]}]}  # fmt: skip
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=body)
    assert (ref.status_code, mate.status_code) == (201, 201), (ref.text, mate.text)
    return zone


async def _key_ids(pair: Pair, zone: str) -> tuple[int, int]:
    ref = (await pair.reference.get(f"{BASE}/zones/{zone}/cryptokeys")).json()
    mate = (await pair.dnsmate.get(f"{BASE}/zones/{zone}/cryptokeys")).json()
    assert len(ref) == len(mate) == 1
    return ref[0]["id"], mate[0]["id"]


def _dnskey(text: str) -> str:
    flags, protocol, algorithm, *key = text.split()
    return f"{flags} {protocol} {algorithm} {''.join(key)}"


def _dnskeys(servers: list[LocalPowerDNS], zone: str) -> list[list[str]]:
    return [dns_query(server, zone, "DNSKEY") for server in servers]


async def test_cryptokeys_sign_every_server_with_one_key_set(
    api: Api, pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await _zone(pair, "keys")
    keys = f"{BASE}/zones/{zone}/cryptokeys"
    ref, mate = await pair.both("POST", keys, json={"keytype": "foo", "active": True})
    assert_same(ref, mate)
    assert mate.status_code == 422
    ref, mate = await pair.both("POST", keys, json={"keytype": "csk", "active": True})
    assert_same(ref, mate)
    created = body(mate)
    assert created["privatekey"].startswith("Private-key-format")
    ref, mate = await pair.both("GET", keys)
    assert_same(ref, mate)
    assert "privatekey" not in body(mate)[0]

    published = _dnskeys(pdns_servers, zone)
    assert published[0] == published[1] == published[2]
    assert [_dnskey(k) for k in published[0]] == [_dnskey(created["dnskey"])]
    dnskey = dns_response(pdns_servers[0], zone, "DNSKEY").answer[0]
    for server in pdns_servers:  # signed everywhere, with that one key
        validate(server, f"www.{zone}", "A", zone, dnskey)
    ref, mate = await pair.both("GET", f"{BASE}/zones/{zone}", params={"rrsets": "false"})
    assert body(mate)["dnssec"] is body(ref)["dnssec"] is True

    ref_id, mate_id = await _key_ids(pair, zone)
    assert (await pair.dnsmate.get(f"{keys}/{mate_id}")).json()["privatekey"]
    # An admin's read-only token reads the key, not its private part.
    watch = await api.client.post("/api/tokens", json={"name": "watch", "read_only": True})
    shown = await pair.dnsmate.get(
        f"{keys}/{mate_id}", headers={"X-API-Key": watch.json()["token"]}
    )
    assert shown.status_code == 200 and shown.json()["dnskey"]
    assert "privatekey" not in shown.json()
    async with login_as_role(api, "reader") as reader:
        token = await reader.post("/api/tokens", json={"name": "reader-key"})
        headers = {"X-API-Key": token.json()["token"]}
        shown = await pair.dnsmate.get(f"{keys}/{mate_id}", headers=headers)
        assert shown.status_code == 200
        assert "privatekey" not in shown.json()
        denied = await pair.dnsmate.put(f"{keys}/{mate_id}", json={"active": False},
                                        headers=headers)  # fmt: skip
        assert denied.status_code == 403

    for change in ({}, {"active": False}, {"active": False, "published": False},
                   {"active": True, "published": True}):  # fmt: skip
        ref = await pair.reference.put(f"{keys}/{ref_id}", json=change)
        mate = await pair.dnsmate.put(f"{keys}/{mate_id}", json=change)
        assert_same(ref, mate)
        ref = await pair.reference.get(f"{keys}/{ref_id}")
        mate = await pair.dnsmate.get(f"{keys}/{mate_id}")
        assert_same(ref, mate)
    for missing in ("PUT", "DELETE", "GET"):
        ref, mate = await pair.both(missing, f"{keys}/99999", json={"active": True})
        assert_same(ref, mate)
        assert mate.status_code == 404

    ref = await pair.reference.delete(f"{keys}/{ref_id}")
    mate = await pair.dnsmate.delete(f"{keys}/{mate_id}")
    assert_same(ref, mate)
    assert mate.status_code == 204
    assert _dnskeys(pdns_servers, zone) == [[], [], []]
    ref, mate = await pair.both("GET", keys)
    assert_same(ref, mate)


async def test_autoprimaries_are_kept_on_every_server(
    pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    path = f"{BASE}/autoprimaries"
    entry = {"ip": "192.0.2.53", "nameserver": unique_zone("ns") + ".", "account": "ops"}
    ref, mate = await pair.both("POST", path, json={"nameserver": entry["nameserver"]})
    assert_same(ref, mate)
    assert mate.status_code == 422
    ref, mate = await pair.both("POST", path, json=entry)
    assert_same(ref, mate)
    assert mate.status_code == 201
    ref, mate = await pair.both("GET", path)
    assert entry in body(mate)
    assert entry in body(ref)
    for server in pdns_servers:
        assert entry in _server_autoprimaries(server)

    where = f"{path}/{entry['ip']}/{entry['nameserver']}"
    for _ in range(2):  # deleting an absent one succeeds, as on PowerDNS
        ref, mate = await pair.both("DELETE", where)
        assert_same(ref, mate)
        assert mate.status_code == 204
    for server in pdns_servers:
        assert entry not in _server_autoprimaries(server)


def _server_autoprimaries(server: LocalPowerDNS) -> list[dict[str, str]]:
    response = httpx.get(
        f"{server.api_url}/api/v1/servers/localhost/autoprimaries",
        headers={"X-API-Key": server.api_key},
    )
    listed: list[dict[str, str]] = response.json()
    return listed


async def test_search_data_statistics_and_cache_flush(pair: Pair) -> None:
    zone = await _zone(pair, "find")
    label = zone.split(".")[0]
    for params in (
        {"q": f"*{label}*", "max": "20"},
        {"q": f"{zone}", "max": "5", "object_type": "zone"},
        {"q": f"www.{zone}", "max": "5", "object_type": "record"},
        {"q": "x", "max": "5", "object_type": "nothing"},
        {"max": "5"},
    ):
        ref, mate = await pair.both("GET", f"{BASE}/search-data", params=params)
        assert_same(ref, mate)
    found = await pair.dnsmate.get(f"{BASE}/search-data", params={"q": f"*{label}*", "max": 20})
    assert {i["object_type"] for i in found.json()} == {"zone", "record"}

    for params in ({"statistic": "uptime"}, {"statistic": "no-such-statistic"}):
        ref, mate = await pair.both("GET", f"{BASE}/statistics", params=params)
        assert mate.status_code == ref.status_code
        assert comparable_stats(body(mate)) == comparable_stats(body(ref))
    ref, mate = await pair.both("GET", f"{BASE}/statistics", params={"includerings": "false"})
    assert {s["name"] for s in body(mate)} == {s["name"] for s in body(ref)}

    ref, mate = await pair.both("PUT", f"{BASE}/cache/flush", params={"domain": zone})
    assert (mate.status_code, body(mate)["result"]) == (ref.status_code, body(ref)["result"])
    ref, mate = await pair.both("PUT", f"{BASE}/cache/flush")
    assert_same(ref, mate)
    ref, mate = await pair.both("PUT", f"{BASE}/zones/{zone}/axfr-retrieve")
    assert_same(ref, mate)


async def test_config_is_the_read_servers_with_secrets_masked(
    pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    ref, mate = await pair.both("GET", f"{BASE}/config")
    assert mate.status_code == ref.status_code == 200
    settings = {s["name"]: s["value"] for s in body(mate)}
    assert set(settings) == {s["name"] for s in body(ref)}
    assert settings["api-key"] == "***"
    assert pdns_servers[0].api_key not in mate.text
    assert settings["webserver-port"] == str(pdns_servers[0].api_port)  # the read server's
    ref, mate = await pair.both("GET", f"{BASE}/config/api-key")
    assert_same(ref, mate)


def comparable_stats(value: object) -> object:
    if isinstance(value, list):
        return sorted((s["name"], s["type"]) for s in value)
    return comparable(value)


async def test_zones_signed_at_creation_and_by_put(
    pair: Pair, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = unique_zone("signed") + "."
    create = {"name": zone, "kind": "Native", "nameservers": [f"ns1.{zone}"], "dnssec": True,
              "rrsets": [{"name": f"www.{zone}", "type": "A", "ttl": 300,
                          "records": [{"content": "192.0.2.45"}]}]}  # fmt: skip
    ref, mate = await pair.both("POST", f"{BASE}/zones", json=create)
    assert mate.status_code == ref.status_code == 201
    # Signing turns api_rectify on and moves the serial (docs/powerdns-compat.md).
    assert body(mate)["dnssec"] is body(ref)["dnssec"] is True
    assert set(body(mate)) == set(body(ref))
    published = _dnskeys(pdns_servers, zone)
    assert published[0] and published[0] == published[1] == published[2]
    dnskey = dns_response(pdns_servers[0], zone, "DNSKEY").answer[0]
    for server in pdns_servers:
        validate(server, f"www.{zone}", "A", zone, dnskey)

    ref, mate = await pair.both("PUT", f"{BASE}/zones/{zone}", json={"nsec3param": "1 0 0 -"})
    assert_same(ref, mate)
    ref, mate = await pair.both("GET", f"{BASE}/zones/{zone}", params={"rrsets": "false"})
    assert body(mate)["nsec3param"] == body(ref)["nsec3param"] == "1 0 0 -"
    for server in pdns_servers:
        assert dns_query(server, zone, "NSEC3PARAM") == ["1 0 0 -"], server.name
    ref, mate = await pair.both("PUT", f"{BASE}/zones/{zone}", json={"nsec3param": "bogus"})
    assert (ref.status_code, mate.status_code) == (500, 422)  # PowerDNS fails to parse it

    ref, mate = await pair.both("PUT", f"{BASE}/zones/{zone}", json={"dnssec": False})
    assert_same(ref, mate)
    assert _dnskeys(pdns_servers, zone) == [[], [], []]
    ref, mate = await pair.both("GET", f"{BASE}/zones/{zone}/cryptokeys")
    assert_same(ref, mate)
    ref, mate = await pair.both("PATCH", f"{BASE}/zones/{zone}", json={"rrsets": []})
    assert_same(ref, mate)
    assert mate.status_code == 204
