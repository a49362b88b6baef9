"""Disabled records and RRset comments on every server: set through DNSMate's API and the
PowerDNS-compatible one, kept by every other change, checked in DNS and in each server's API."""

from __future__ import annotations

from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net."]
BASE = "/api/v1/servers/localhost"


def server_rrset(server: LocalPowerDNS, zone: str, name: str, rtype: str) -> dict[str, Any]:
    """The RRset as the server's own API shows it in an unfiltered zone read."""
    response = httpx.get(
        f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.",
        headers={"X-API-Key": server.api_key},
    )
    return next(r for r in response.json()["rrsets"] if r["name"] == name and r["type"] == rtype)


def records(rrset: dict[str, Any]) -> set[tuple[str, bool]]:
    return {(r["content"], r["disabled"]) for r in rrset["records"]}


async def add(api: Api, zone: str, content: str, name: str = "www") -> None:
    body = {"name": name, "type": "A", "content": content, "ttl": 300}
    response = await api.client.post(f"/api/records/{zone}", json=body)
    assert response.status_code == 201, response.text


async def test_disable_and_enable_a_record_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("dis")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    await add(api, zone, "192.0.2.1")
    await add(api, zone, "192.0.2.2")

    off = await api.client.put(
        f"/api/records/{zone}/www/A/disabled", json={"content": "192.0.2.2", "disabled": True}
    )

    assert off.status_code == 200, off.text
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
    # Every later change of the RRset keeps the disabled record (PowerDNS's filtered read
    # leaves it out: a read-modify-write built on it would erase it).
    await add(api, zone, "192.0.2.3")
    update = await api.client.put(
        f"/api/records/{zone}/www/A", json={"old_content": "192.0.2.1", "content": "192.0.2.4"}
    )
    assert update.status_code == 200, update.text
    gone = await api.client.delete(f"/api/records/{zone}/www/A", params={"content": "192.0.2.3"})
    assert gone.status_code == 200, gone.text
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert records(rrset) == {("192.0.2.4", False), ("192.0.2.2", True)}
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.4"]
    listed = (await api.client.get(f"/api/records/{zone}", params={"name": "www"})).json()
    assert {(r["content"], r["disabled"]) for r in listed["items"]} == {
        ("192.0.2.4", False), ("192.0.2.2", True)
    }  # fmt: skip

    on = await api.client.put(
        f"/api/records/{zone}/www/A/disabled", json={"content": "192.0.2.2", "disabled": False}
    )
    assert on.status_code == 200, on.text
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.2", "192.0.2.4"]
    missing = await api.client.put(
        f"/api/records/{zone}/www/A/disabled", json={"content": "192.0.2.9", "disabled": True}
    )
    assert missing.status_code == 409, missing.text
    events = (await api.client.get("/api/audit", params={"zone": zone})).json()["items"]
    assert sum(e["action"] == "record.disable" for e in events) >= 2


async def test_comments_beside_records_kept_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("cmt")
    assert (await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})).is_success
    await add(api, zone, "192.0.2.1")

    response = await api.client.put(
        f"/api/records/{zone}/www/A/comments",
        json={"comments": [{"content": "web server, ticket 42"}]},
    )

    assert response.status_code == 200, response.text
    await add(api, zone, "192.0.2.2")  # a record change keeps the comments
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert [(c["content"], c["account"]) for c in rrset["comments"]] == [
            ("web server, ticket 42", "admin@example.com")
        ]
        assert records(rrset) == {("192.0.2.1", False), ("192.0.2.2", False)}
    listed = (await api.client.get(f"/api/records/{zone}", params={"name": "www"})).json()
    assert all(r["comments"][0]["content"] == "web server, ticket 42" for r in listed["items"])
    cleared = await api.client.put(f"/api/records/{zone}/www/A/comments", json={"comments": []})
    assert cleared.status_code == 200
    for server in pdns_servers:
        assert server_rrset(server, zone, f"www.{zone}.", "A")["comments"] == []
    blank = await api.client.put(
        f"/api/records/{zone}/www/A/comments", json={"comments": [{"content": "  "}]}
    )
    assert blank.status_code == 422 and blank.json()["field"] == "comments[0].content"


async def test_compat_api_passes_comments_through_and_reads_them_back(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    token = (await api.client.post("/api/tokens", json={"name": "migrator"})).json()["token"]
    headers = {"X-API-Key": token, "Authorization": ""}
    zone = f"{unique_zone('cmt')}."
    commented = {
        "name": f"www.{zone}", "type": "A", "ttl": 300, "changetype": "REPLACE",
        "records": [{"content": "192.0.2.1", "disabled": False},
                    {"content": "192.0.2.2", "disabled": True}],
        "comments": [{"content": "managed by migrator", "account": "ops"}],
    }  # fmt: skip
    created = await api.client.post(
        f"{BASE}/zones",
        json={"name": zone, "kind": "Native", "nameservers": NS,
              "rrsets": [{k: v for k, v in commented.items() if k != "changetype"}]},
        headers=headers,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    for server in pdns_servers:
        rrset = server_rrset(server, zone.rstrip("."), f"www.{zone}", "A")
        assert [(c["content"], c["account"]) for c in rrset["comments"]] == [
            ("managed by migrator", "ops")
        ]
        assert records(rrset) == {("192.0.2.1", False), ("192.0.2.2", True)}
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.1"]

    read = (await api.client.get(f"{BASE}/zones/{zone}", headers=headers)).json()
    www = next(r for r in read["rrsets"] if r["name"] == f"www.{zone}" and r["type"] == "A")
    assert [(c["content"], c["account"]) for c in www["comments"]] == [
        ("managed by migrator", "ops")
    ]
    # The same RRset again is in sync: nothing to write on any server.
    serials = {
        s.name: server_rrset(s, zone.rstrip("."), zone, "SOA")["records"] for s in pdns_servers
    }
    same = await api.client.patch(
        f"{BASE}/zones/{zone}", json={"rrsets": [commented]}, headers=headers
    )
    assert same.status_code == 204, same.text
    assert {s.name: server_rrset(s, zone.rstrip("."), zone, "SOA")["records"]
            for s in pdns_servers} == serials  # fmt: skip
    # Comments only: the records stay.
    only = {"name": f"www.{zone}", "type": "A", "changetype": "REPLACE",
            "comments": [{"content": "second", "account": "ops"}]}  # fmt: skip
    response = await api.client.patch(
        f"{BASE}/zones/{zone}", json={"rrsets": [only]}, headers=headers
    )
    assert response.status_code == 204, response.text
    for server in pdns_servers:
        rrset = server_rrset(server, zone.rstrip("."), f"www.{zone}", "A")
        assert [c["content"] for c in rrset["comments"]] == ["second"]
        assert records(rrset) == {("192.0.2.1", False), ("192.0.2.2", True)}
