"""The local PowerDNS harness itself: API up, DNS reflects API writes at once, restarts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.integration.dnsutil import DNSQueryError, dns_query, dns_rcode


def api(server: LocalPowerDNS) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.api_url}/api/v1/servers/localhost",
        headers={"X-API-Key": server.api_key, "Accept": "application/json"},
        timeout=10.0,
    )


def new_zone_name() -> str:
    return f"t{uuid.uuid4().hex[:12]}.example."


def create_zone(server: LocalPowerDNS, zone: str) -> dict[str, Any]:
    body = {
        "name": zone,
        "kind": "Native",
        "nameservers": [f"ns1.{zone}", f"ns2.{zone}"],
        "api_rectify": False,
    }
    with api(server) as client:
        response = client.post("/zones", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def replace_rrset(
    server: LocalPowerDNS, zone_id: str, name: str, rdtype: str, contents: list[str]
) -> None:
    rrset = {
        "name": name,
        "type": rdtype,
        "ttl": 300,
        "changetype": "REPLACE",
        "records": [{"content": content, "disabled": False} for content in contents],
    }
    with api(server) as client:
        response = client.patch(f"/zones/{zone_id}", json={"rrsets": [rrset]})
    assert response.status_code == 204, response.text


def test_servers_answer_api_and_dns(pdns_servers: list[LocalPowerDNS]) -> None:
    assert [server.name for server in pdns_servers] == [
        "Primary PowerDNS",
        "Secondary PowerDNS",
        "Legacy PowerDNS",
    ]
    ports = {port for server in pdns_servers for port in (server.dns_port, server.api_port)}
    assert len(ports) == 2 * len(pdns_servers)
    for server in pdns_servers:
        assert server.running
        with api(server) as client:
            response = client.get(f"{server.api_url}/api/v1/servers/localhost")
        assert response.status_code == 200
        assert response.json()["daemon_type"] == "authoritative"
        # A name in no zone of this server is refused.
        assert dns_rcode(server, "nothing-here.example.") == "REFUSED"


def test_wrong_api_key_is_rejected(pdns_servers: list[LocalPowerDNS]) -> None:
    server = pdns_servers[0]
    response = httpx.get(
        f"{server.api_url}/api/v1/servers", headers={"X-API-Key": "wrong"}, timeout=10.0
    )
    assert response.status_code == 401


def test_api_writes_are_visible_over_dns_at_once(pdns_servers: list[LocalPowerDNS]) -> None:
    primary, secondary, _ = pdns_servers
    zone = new_zone_name()
    www = f"www.{zone}"
    # Ask before the zone exists: a cached REFUSED must not outlive the zone creation.
    assert dns_rcode(primary, zone) == "REFUSED"

    zone_id = create_zone(primary, zone)["id"]
    assert dns_query(primary, www, "A") == []
    assert dns_query(primary, zone, "NS") == [f"ns1.{zone}", f"ns2.{zone}"]

    replace_rrset(primary, zone_id, www, "A", ["192.0.2.2", "192.0.2.1"])
    assert dns_query(primary, www, "A") == ["192.0.2.1", "192.0.2.2"]

    replace_rrset(primary, zone_id, www, "A", ["192.0.2.3"])
    assert dns_query(primary, www, "A") == ["192.0.2.3"]

    replace_rrset(primary, zone_id, www, "TXT", ['"hello world"'])
    assert dns_query(primary, www, "TXT") == ['"hello world"']

    with api(primary) as client:
        soa_serial = client.get(f"/zones/{zone_id}", params={"rrsets": "false"}).json()["serial"]
    assert dns_query(primary, zone, "SOA")[0].split()[2] == str(soa_serial)

    # The other servers were not written to.
    with pytest.raises(DNSQueryError) as refused:
        dns_query(secondary, www, "A")
    assert refused.value.rcode == "REFUSED"

    with api(primary) as client:
        response = client.delete(f"/zones/{zone_id}")
    assert response.status_code == 204, response.text
    assert dns_rcode(primary, www, "A") == "REFUSED"


def test_stop_start_keeps_data_and_ports(pdns: list[LocalPowerDNS]) -> None:
    server = pdns[1]
    zone = new_zone_name()
    zone_id = create_zone(server, zone)["id"]
    replace_rrset(server, zone_id, f"www.{zone}", "A", ["198.51.100.7"])
    ports = (server.dns_port, server.api_port)

    server.stop()
    server.stop()  # idempotent
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.api_url}/api/v1/servers", timeout=2.0)

    server.start()
    assert server.running
    assert (server.dns_port, server.api_port) == ports
    assert dns_query(server, f"www.{zone}", "A") == ["198.51.100.7"]
    with api(server) as client:
        assert client.get(f"/zones/{zone_id}").status_code == 200


def test_outage_left_for_the_fixture(pdns: list[LocalPowerDNS]) -> None:
    pdns[2].stop()
    assert not pdns[2].running


def test_pdns_fixture_restarted_stopped_servers(pdns: list[LocalPowerDNS]) -> None:
    # Runs after test_outage_left_for_the_fixture, which left Legacy stopped.
    assert all(server.running for server in pdns)
    assert dns_rcode(pdns[2], "nothing-here.example.") == "REFUSED"
