"""DNSSEC on three real PowerDNS servers: the same keys everywhere, checked over DNS."""

from __future__ import annotations

import dns.dnssec
import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, login_as_role
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_response

NS = ["ns1.example.net.", "ns2.example.net."]


async def make_zone(client: httpx.AsyncClient) -> str:
    zone = unique_zone("sec")
    created = await client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201, created.text
    added = await client.post(
        f"/api/records/{zone}", json={"name": "www", "type": "A", "content": "192.0.2.10"}
    )
    assert added.status_code == 201, added.text
    return zone


def signed_answer(
    server: LocalPowerDNS, name: str, rdtype: str
) -> tuple[dns.rrset.RRset, dns.rrset.RRset]:
    """The RRset and its RRSIG set, asked with the DO bit."""
    response = dns_response(server, name, rdtype, dnssec=True)
    qname = dns.name.from_text(name)
    rdt = dns.rdatatype.from_text(rdtype)
    rrset = response.find_rrset(response.answer, qname, dns.rdataclass.IN, rdt)
    rrsig = response.find_rrset(response.answer, qname, dns.rdataclass.IN, dns.rdatatype.RRSIG, rdt)
    return rrset, rrsig


def validate(server: LocalPowerDNS, name: str, rdtype: str, zone: str,
             dnskey: dns.rrset.RRset) -> None:  # fmt: skip
    """Raise dns.dnssec.ValidationFailure unless ``server``'s answer verifies with ``dnskey``."""
    rrset, rrsig = signed_answer(server, name, rdtype)
    dns.dnssec.validate(rrset, rrsig, {dns.name.from_text(zone): dnskey})


def pdns_api(server: LocalPowerDNS) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key, "Accept": "application/json"},
    )


async def test_every_server_signs_with_the_same_keys(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = await make_zone(api.client)
    apex = f"{zone}."

    response = await api.client.post(f"/api/zones/{zone}/dnssec", json={})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dnssec"] is True
    assert body["dnskeys_match"] is True
    assert body["mismatched_servers"] == []
    assert [s["success"] for s in body["servers"]] == [True, True, True]
    assert body["ds"] and all(d.split()[2] in ("2", "4") for d in body["ds"])
    assert all("privatekey" not in str(s) for s in body["server_keys"])
    # Over DNS: one DNSKEY set, served identically by all three.
    dnskeys = [dns_query(server, apex, "DNSKEY") for server in pdns_servers]
    assert dnskeys[0] and dnskeys[0] == dnskeys[1] == dnskeys[2]
    # The zone list says so too (PowerDNS leaves the field out when asked with dnssec=false).
    listed = await api.client.get("/api/zones", params={"search": zone})
    assert [(z["name"], z["dnssec"]) for z in listed.json()["items"]] == [(zone, True)]
    # The DS handed to the registrar is the digest of that DNSKEY.
    key_rrset, key_sig = signed_answer(pdns_servers[0], apex, "DNSKEY")
    ds = {dns.dnssec.make_ds(apex, k, "SHA256").to_text() for k in key_rrset}
    assert {d for d in body["ds"] if d.split()[2] == "2"} == ds
    dns.dnssec.validate(key_rrset, key_sig, {dns.name.from_text(apex): key_rrset})
    # Each server's signed answer verifies with the DNSKEY fetched from ANOTHER server.
    for i, server in enumerate(pdns_servers):
        other_keys, _ = signed_answer(pdns_servers[(i + 1) % 3], apex, "DNSKEY")
        validate(server, f"www.{zone}.", "A", apex, other_keys)
        validate(server, apex, "SOA", apex, other_keys)

    # A record added after signing is signed too (api_rectify is on).
    added = await api.client.post(
        f"/api/records/{zone}", json={"name": "new", "type": "TXT", "content": "signed later"}
    )
    assert added.status_code == 201
    for server in pdns_servers:
        validate(server, f"new.{zone}.", "TXT", apex, key_rrset)

    # Enabling again changes nothing: still the same single key set.
    again = await api.client.post(f"/api/zones/{zone}/dnssec")
    assert again.status_code == 200
    assert [dns_query(s, apex, "DNSKEY") for s in pdns_servers] == dnskeys
    status = (await api.client.get(f"/api/zones/{zone}/dnssec")).json()
    assert status["dnskeys_match"] is True
    assert [len(s["keys"]) for s in status["server_keys"]] == [1, 1, 1]


async def test_mismatched_keys_are_reported_and_repaired(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = await make_zone(api.client)
    apex = f"{zone}."
    # Someone signed the zone on the Secondary by hand, with its own key.
    with pdns_api(pdns_servers[1]) as secondary:
        made = secondary.post(f"/zones/{apex}/cryptokeys", json={"keytype": "csk", "active": True})
        assert made.status_code == 201, made.text

    before = await api.client.get(f"/api/zones/{zone}/dnssec")

    assert before.status_code == 200
    assert before.json()["dnskeys_match"] is False
    assert before.json()["mismatched_servers"] == ["Secondary PowerDNS"]
    assert before.json()["dnssec"] is False  # the reference (Primary) does not sign

    enabled = await api.client.post(f"/api/zones/{zone}/dnssec")

    assert enabled.status_code == 200, enabled.text
    assert enabled.json()["dnskeys_match"] is True
    dnskeys = [dns_query(server, apex, "DNSKEY") for server in pdns_servers]
    assert len(dnskeys[0]) == 1 and dnskeys[0] == dnskeys[1] == dnskeys[2]


async def test_partial_enable_is_207_and_a_retry_completes_it(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns, (True, True, True))
    zone = await make_zone(api.client)
    apex = f"{zone}."
    pdns[2].stop()

    response = await api.client.post(f"/api/zones/{zone}/dnssec")

    assert response.status_code == 207, response.text
    body = response.json()
    assert body["message"] == "Signing enabled on 2/3 servers"
    assert body["failed_servers"] == ["Legacy PowerDNS: Server unreachable"]
    assert body["dnskeys_match"] is False  # not every server could be checked
    assert dns_query(pdns[0], apex, "DNSKEY") == dns_query(pdns[1], apex, "DNSKEY") != []

    assert body["queued_servers"] == ["Legacy PowerDNS"]
    queued = (await api.client.get("/api/sync/queue")).json()["items"]
    assert "privatekey" not in str(queued) and "PrivateKey" not in str(queued)

    pdns[2].start()
    assert dns_query(pdns[2], apex, "DNSKEY") == []
    # The queued change cannot be replayed: private keys are never stored.
    await api.client.post("/api/sync/queue/drain")
    parked = (await api.client.get("/api/sync/queue", params={"status": "parked"})).json()
    assert [e["zone"] for e in parked["items"]] == [apex]
    error = parked["items"][0]["last_error"]
    assert f"Legacy PowerDNS lacks the DNSSEC signing key of {zone}" in error
    assert f"POST /api/zones/{zone}/dnssec" in error and "retry this parked change" in error
    assert dns_query(pdns[2], apex, "DNSKEY") == []
    # What the message says: enable again, then retry (or drop) the parked change.
    retried = await api.client.post(f"/api/zones/{zone}/dnssec")
    again = await api.client.post(f"/api/sync/queue/{parked['items'][0]['id']}/retry")
    await api.client.post("/api/sync/queue/drain")
    queue = (await api.client.get("/api/sync/queue")).json()

    assert retried.status_code == 200, retried.text
    assert retried.json()["dnskeys_match"] is True
    assert dns_query(pdns[2], apex, "DNSKEY") == dns_query(pdns[0], apex, "DNSKEY")
    assert again.status_code == 200, again.text
    assert (queue["pending"], queue["parked"]) == (0, 0)


async def test_disable_removes_the_keys_everywhere(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, False))
    zone = await make_zone(api.client)
    apex = f"{zone}."
    assert (await api.client.post(f"/api/zones/{zone}/dnssec")).status_code == 200

    response = await api.client.delete(f"/api/zones/{zone}/dnssec")

    assert response.status_code == 200, response.text
    assert response.json()["dnssec"] is False
    for server in pdns_servers[:2]:
        assert dns_query(server, apex, "DNSKEY") == []
        answer = dns_response(server, f"www.{zone}.", "A", dnssec=True)
        assert not any(r.rdtype == dns.rdatatype.RRSIG for r in answer.answer)
    assert (await api.client.delete(f"/api/zones/{zone}/dnssec")).status_code == 200


async def test_unknown_zone_and_bad_algorithm(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    missing = await api.client.post("/api/zones/nope-missing.example/dnssec")
    assert missing.status_code == 404
    assert (await api.client.get("/api/zones/nope-missing.example/dnssec")).status_code == 404
    zone = await make_zone(api.client)
    bad = await api.client.post(f"/api/zones/{zone}/dnssec", json={"algorithm": "MD5"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "algorithm"


@pytest.mark.parametrize("role", ["reader", "manager"])
async def test_only_admins_and_editors_change_signing(
    api: Api, pdns_servers: list[LocalPowerDNS], role: str
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = await make_zone(api.client)
    async with login_as_role(api, role) as other:
        assert (await other.post(f"/api/zones/{zone}/dnssec")).status_code == 403
        assert (await other.delete(f"/api/zones/{zone}/dnssec")).status_code == 403
    assert dns_query(pdns_servers[0], f"{zone}.", "DNSKEY") == []


def denial_types(server: LocalPowerDNS, name: str) -> set[str]:
    """Record types in the authority section of a DO answer for a name that does not exist."""
    response = dns_response(server, name, "A", dnssec=True)
    return {dns.rdatatype.to_text(rrset.rdtype) for rrset in response.authority}


async def test_nsec3_is_set_alike_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = await make_zone(api.client)
    apex = f"{zone}."

    response = await api.client.post(f"/api/zones/{zone}/dnssec", json={"nsec3": True})

    assert response.status_code == 200, response.text
    assert response.json()["nsec3param"] == "1 0 0 -"
    assert response.json()["nsec3_match"] is True
    key_rrset, _ = signed_answer(pdns_servers[0], apex, "DNSKEY")
    for server in pdns_servers:
        assert dns_query(server, apex, "NSEC3PARAM") == ["1 0 0 -"]
        assert "NSEC3" in denial_types(server, f"missing.{zone}.")
        validate(server, apex, "NSEC3PARAM", apex, key_rrset)

    # Enabling again without saying keeps NSEC3; saying false goes back to NSEC.
    kept = await api.client.post(f"/api/zones/{zone}/dnssec")
    assert kept.json()["nsec3param"] == "1 0 0 -"
    back = await api.client.post(f"/api/zones/{zone}/dnssec", json={"nsec3": False})
    assert back.status_code == 200 and back.json()["nsec3param"] == ""
    for server in pdns_servers:
        assert dns_query(server, apex, "NSEC3PARAM") == []
        assert "NSEC" in denial_types(server, f"missing.{zone}.")

    # NSEC3 switched on by hand on one server shows as a mismatch.
    with pdns_api(pdns_servers[2]) as legacy:
        legacy.put(f"/zones/{apex}", json={"nsec3param": "1 0 0 -"}).raise_for_status()
    status = (await api.client.get(f"/api/zones/{zone}/dnssec")).json()
    assert status["nsec3_match"] is False and status["dnskeys_match"] is True
    assert status["mismatched_servers"] == ["Legacy PowerDNS"]
