"""The PowerDNS-compatible API (/api/v1) against three real PowerDNS servers.

Shapes, status codes and ``{"error": ...}`` bodies are those PowerDNS 4.7 answers; every
write is checked over DNS on each server.
"""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import TypeAdapter

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.schemas.outcomes import CompatServerOutcome
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.syncutil import recover, sync_api

BASE = "/api/v1/servers/localhost"


async def api_key(api: Api, **body: object) -> dict[str, str]:
    """Headers with a new DNSMate API token as the PowerDNS API key."""
    created = await api.client.post("/api/tokens", json={"name": "pdns-tool", **body})
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["token"], "Authorization": ""}


def rrset(name: str, rtype: str, *contents: str, ttl: int = 300) -> dict[str, object]:
    return {
        "name": name,
        "type": rtype,
        "ttl": ttl,
        "changetype": "REPLACE",
        "records": [{"content": c, "disabled": False} for c in contents],
    }


def servers_header(response: httpx.Response) -> list[dict[str, object]]:
    """The per-server outcome header, checked against its model (CompatServerOutcome)."""
    value: list[dict[str, object]] = json.loads(response.headers["X-DNSMate-Servers"])
    TypeAdapter(list[CompatServerOutcome]).validate_python(value)
    return value


@pytest.fixture
async def key(api: Api, pdns_servers: list[LocalPowerDNS]) -> dict[str, str]:
    await register_servers(api.client, pdns_servers, (True, True, True))
    return await api_key(api)


async def test_api_key_is_a_dnsmate_token(api: Api, key: dict[str, str]) -> None:
    client = api.client
    for headers in (
        {"Authorization": ""},
        {"X-API-Key": "wrong", "Authorization": ""},
        {"X-API-Key": "dnsmate_wrong", "Authorization": ""},
    ):
        response = await client.get("/api/v1/servers", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized"}
    # A login token is not an API key.
    login = client.headers["Authorization"].removeprefix("Bearer ")
    response = await client.get("/api/v1/servers", headers={"X-API-Key": login})
    assert response.status_code == 401

    servers = await client.get("/api/v1/servers", headers=key)
    assert servers.status_code == 200
    [server] = servers.json()
    assert server["id"] == "localhost"
    assert server["daemon_type"] == "authoritative"
    assert server["version"].startswith("4.")
    assert (await client.get(f"{BASE}", headers=key)).json() == server
    missing = await client.get(f"{BASE}/no-such-route", headers=key)
    assert (missing.status_code, missing.json()) == (404, {"error": "Not Found"})


async def test_zone_lifecycle_reaches_every_server(
    api: Api, key: dict[str, str], pdns_servers: list[LocalPowerDNS]
) -> None:
    client, zone = api.client, unique_zone("compat") + "."
    body = {
        "name": zone,
        "kind": "Native",
        "nameservers": ["ns1.example.net."],
        "rrsets": [rrset(f"www.{zone}", "A", "192.0.2.1")],
    }

    created = await client.post(f"{BASE}/zones", json=body, headers=key)

    assert created.status_code == 201, created.text
    assert created.json()["name"] == zone
    assert created.json()["id"] == zone
    assert [s["success"] for s in servers_header(created)] == [True, True, True]
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.1"]
    again = await client.post(f"{BASE}/zones", json=body, headers=key)
    assert (again.status_code, again.json()) == (409, {"error": "Conflict"})

    listed = await client.get(f"{BASE}/zones", params={"zone": zone}, headers=key)
    assert [z["name"] for z in listed.json()] == [zone]
    assert "rrsets" not in listed.json()[0]
    none = await client.get(f"{BASE}/zones", params={"zone": "nope.example."}, headers=key)
    assert none.json() == []

    patched = await client.patch(
        f"{BASE}/zones/{zone}",
        headers=key,
        json={
            "rrsets": [
                rrset(f"www.{zone}", "A", "192.0.2.2", "192.0.2.3", ttl=60),
                rrset(f"_acme-challenge.{zone}", "TXT", '"token"'),
                rrset(f"mail.{zone}", "MX", f"10 mx.{zone}"),
            ]
        },
    )
    assert patched.status_code == 204, patched.text
    assert len(servers_header(patched)) == 3
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.2", "192.0.2.3"]
        assert dns_query(server, f"_acme-challenge.{zone}", "TXT") == ['"token"']

    one = await client.get(
        f"{BASE}/zones/{zone}", headers=key, params={"rrset_name": f"www.{zone}", "rrset_type": "A"}
    )
    assert one.status_code == 200
    assert [(r["name"], r["type"], r["ttl"]) for r in one.json()["rrsets"]] == [
        (f"www.{zone}", "A", 60)
    ]

    deleted = await client.patch(
        f"{BASE}/zones/{zone}",
        headers=key,
        json={
            "rrsets": [
                {"name": f"_acme-challenge.{zone}", "type": "TXT", "changetype": "DELETE"},
                {**rrset(f"www.{zone}", "A"), "records": []},
            ]
        },
    )
    assert deleted.status_code == 204, deleted.text
    for server in pdns_servers:
        assert dns_query(server, f"_acme-challenge.{zone}", "TXT") == []
        assert dns_query(server, f"www.{zone}", "A") == []
        assert dns_query(server, f"mail.{zone}", "MX") == [f"10 mx.{zone}"]

    put = await client.put(
        f"{BASE}/zones/{zone}", headers=key, json={"kind": "Master", "soa_edit_api": "EPOCH"}
    )
    assert put.status_code == 204, put.text
    for server in pdns_servers:
        async with httpx.AsyncClient(headers={"X-API-Key": server.api_key}) as direct:
            meta = (await direct.get(f"{server.api_url}{BASE}/zones/{zone}")).json()
        assert (meta["kind"], meta["soa_edit_api"]) == ("Master", "EPOCH")

    notify = await client.put(f"{BASE}/zones/{zone}/notify", headers=key)
    assert (notify.status_code, notify.json()) == (200, {"result": "Notification queued"})
    rectify = await client.put(f"{BASE}/zones/{zone}/rectify", headers=key)
    assert (rectify.status_code, rectify.json()) == (200, {"result": "Rectified"})
    export = await client.get(f"{BASE}/zones/{zone}/export", headers=key)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/plain")
    assert f"mail.{zone}\t300\tIN\tMX\t10 mx.{zone}" in export.text

    gone = await client.delete(f"{BASE}/zones/{zone}", headers=key)
    assert gone.status_code == 204, gone.text
    for server in pdns_servers:
        assert dns_rcode(server, zone) == "REFUSED"
    for method in ("GET", "DELETE"):
        missing = await client.request(method, f"{BASE}/zones/{zone}", headers=key)
        assert (missing.status_code, missing.json()) == (404, {"error": "Not Found"})
    patch_missing = await client.patch(
        f"{BASE}/zones/{zone}", headers=key, json={"rrsets": [rrset(f"a.{zone}", "A", "192.0.2.1")]}
    )
    assert (patch_missing.status_code, patch_missing.json()) == (404, {"error": "Not Found"})


async def test_invalid_requests_get_powerdns_errors(
    api: Api, key: dict[str, str], pdns_servers: list[LocalPowerDNS]
) -> None:
    client, zone = api.client, unique_zone("compat") + "."
    created = await client.post(
        f"{BASE}/zones", headers=key, json={"name": zone, "kind": "Native", "nameservers": []}
    )
    assert created.status_code == 201, created.text

    async def patch(*rrsets: dict[str, object]) -> tuple[int, object]:
        response = await client.patch(
            f"{BASE}/zones/{zone}", json={"rrsets": list(rrsets)}, headers=key
        )
        return response.status_code, response.json()

    assert await patch(rrset("x.other.example.", "A", "192.0.2.1")) == (
        422,
        {"error": "RRset x.other.example. IN A: Name is out of zone"},
    )
    assert await patch({**rrset(f"x.{zone}", "A", "192.0.2.1"), "changetype": "EXTEND"}) == (
        422,
        {"error": "Changetype not understood"},
    )
    no_ttl = {k: v for k, v in rrset(f"x.{zone}", "A", "192.0.2.1").items() if k != "ttl"}
    assert await patch(no_ttl) == (422, {"error": "Key 'ttl' not an Integer or not present"})
    assert await patch(rrset(f"x.{zone[:-1]}", "A", "192.0.2.1")) == (
        422,
        {"error": f"DNS Name 'x.{zone[:-1]}' is not canonical"},
    )
    twice = rrset(f"x.{zone}", "A", "192.0.2.1")
    assert (await patch(twice, twice))[0] == 422
    status, body = await patch(rrset(f"x.{zone}", "A", "192.0.2.1"), rrset(f"y.{zone}", "A", "bad"))
    assert status == 422
    assert "Parsing record content" in body["error"]  # type: ignore[index]
    for server in pdns_servers:  # atomic: the valid RRset was not applied either
        assert dns_query(server, f"x.{zone}", "A") == []
    # No "rrsets" at all is refused; an empty list is a 204 that changes nothing (as PowerDNS
    # 4.7 answers both: test_compat_parity_server).
    empty = await client.patch(f"{BASE}/zones/{zone}", json={}, headers=key)
    assert (empty.status_code, empty.json()) == (
        422,
        {"error": "No rrsets given in update request"},
    )
    broken = await client.patch(
        f"{BASE}/zones/{zone}",
        content=b"not json",
        headers={**key, "Content-Type": "application/json"},
    )
    assert (broken.status_code, broken.json()) == (400, {"error": "Bad Request"})
    bad_kind = await client.put(f"{BASE}/zones/{zone}", json={"kind": "Bogus"}, headers=key)
    assert bad_kind.status_code == 422
    assert "unknown zone kind" in bad_kind.json()["error"]


async def test_zone_ids_are_escaped_like_powerdns(
    api: Api, key: dict[str, str], pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = "_tcp." + unique_zone("compat") + "."
    created = await api.client.post(
        f"{BASE}/zones", headers=key, json={"name": zone, "kind": "Native", "nameservers": []}
    )
    assert created.status_code == 201, created.text
    zone_id = created.json()["id"]
    assert zone_id == "=5F" + zone[1:]

    patched = await api.client.patch(
        f"{BASE}/zones/{zone_id}",
        headers=key,
        json={"rrsets": [rrset(f"x.{zone}", "A", "192.0.2.7")]},
    )
    assert patched.status_code == 204, patched.text
    assert dns_query(pdns_servers[2], f"x.{zone}", "A") == ["192.0.2.7"]
    assert (await api.client.delete(f"{BASE}/zones/{zone_id}", headers=key)).status_code == 204


async def test_writes_succeed_when_one_server_applied_them(
    api: Api, pdns: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns, (True, True, True))
    key = await api_key(api)
    zone = unique_zone("compat") + "."
    created = await api.client.post(
        f"{BASE}/zones", headers=key, json={"name": zone, "kind": "Native", "nameservers": []}
    )
    assert created.status_code == 201
    pdns[2].stop()

    patched = await api.client.patch(
        f"{BASE}/zones/{zone}",
        headers=key,
        json={"rrsets": [rrset(f"www.{zone}", "A", "192.0.2.5")]},
    )

    assert patched.status_code == 204
    assert [
        (s["server"], s["success"], s["error"], s["queued"]) for s in servers_header(patched)
    ] == [
        ("Primary PowerDNS", True, None, False),
        ("Secondary PowerDNS", True, None, False),
        ("Legacy PowerDNS", False, "Server unreachable", True),  # the retry policy
    ]
    assert dns_query(pdns[0], f"www.{zone}", "A") == ["192.0.2.5"]
    assert dns_query(pdns[1], f"www.{zone}", "A") == ["192.0.2.5"]

    pdns[0].stop()
    pdns[1].stop()
    failed = await api.client.patch(
        f"{BASE}/zones/{zone}",
        headers=key,
        json={"rrsets": [rrset(f"www.{zone}", "A", "192.0.2.6")]},
    )
    assert failed.status_code == 500
    assert failed.json()["error"].startswith("Failed on all PowerDNS servers")
    assert "Legacy PowerDNS: Server unreachable" in failed.json()["error"]


async def test_token_limits_apply(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    full = await api_key(api)
    mine, other = unique_zone("compat") + ".", unique_zone("compat") + "."
    for zone in (mine, other):
        response = await api.client.post(
            f"{BASE}/zones", headers=full, json={"name": zone, "kind": "Native"}
        )
        assert response.status_code == 201, response.text
    limited = await api_key(api, zones=[mine])
    read_only = await api_key(api, read_only=True)
    change = {"rrsets": [rrset(f"www.{other}", "A", "192.0.2.9")]}

    listed = await api.client.get(f"{BASE}/zones", headers=limited)
    assert [z["name"] for z in listed.json()] == [mine]
    blocked = await api.client.patch(f"{BASE}/zones/{other}", json=change, headers=limited)
    assert blocked.status_code == 403
    assert "error" in blocked.json()
    assert (await api.client.get(f"{BASE}/zones/{other}", headers=limited)).status_code == 403
    new_zone = {"name": unique_zone("compat") + ".", "kind": "Native"}
    assert (
        await api.client.post(f"{BASE}/zones", json=new_zone, headers=limited)
    ).status_code == 403
    assert (await api.client.get(f"{BASE}/zones/{other}", headers=read_only)).status_code == 200
    denied = await api.client.patch(f"{BASE}/zones/{other}", json=change, headers=read_only)
    assert denied.status_code == 403
    assert dns_query(pdns_servers[0], f"www.{other}", "A") == []


async def test_a_zone_too_big_for_one_request_is_created_in_steps(
    api: Api, key: dict[str, str], pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = unique_zone("big") + "."
    rrsets = [rrset(f"h{i}.{zone}", "A", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}")
              for i in range(16_000)]  # fmt: skip
    body = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."], "rrsets": rrsets}
    # Over PowerDNS's request body limit (2 MiB): in one request PowerDNS answers 400.
    assert len(json.dumps(body, separators=(",", ":"))) > 2 * 1024 * 1024

    created = await api.client.post(f"{BASE}/zones", json=body, headers=key)

    assert created.status_code == 201, created.text[:300]
    assert [s["success"] for s in servers_header(created)] == [True, True, True]
    assert len(created.json()["rrsets"]) == 16_000 + 2  # with the SOA and NS
    for server in pdns_servers:
        assert dns_query(server, f"h0.{zone}", "A") == ["10.0.0.0"]
        assert dns_query(server, f"h15999.{zone}", "A") == ["10.0.62.127"]

    # All or nothing, as PowerDNS's own creation: one bad record and no zone anywhere.
    bad_zone = unique_zone("big") + "."
    bad = [{**r, "name": str(r["name"]).replace(zone, bad_zone)} for r in rrsets]
    bad[-1] = rrset(f"bad.{bad_zone}", "A", "not-an-address")
    refused = await api.client.post(
        f"{BASE}/zones", headers=key, json={**body, "name": bad_zone, "rrsets": bad}
    )
    assert refused.status_code == 422, refused.text[:300]
    for server in pdns_servers:
        assert dns_rcode(server, bad_zone) == "REFUSED"


async def test_queued_changes_reach_the_server_later_and_rollback_undoes_them(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    key = await api_key(api)
    zone = unique_zone("compat") + "."
    body = {"name": zone, "kind": "Native", "nameservers": []}
    assert (await api.client.post(f"{BASE}/zones", json=body, headers=key)).status_code == 201
    pdns[2].stop()

    change = {"rrsets": [rrset(f"www.{zone}", "A", "192.0.2.5")]}
    patched = await api.client.patch(f"{BASE}/zones/{zone}", json=change, headers=key)

    assert patched.status_code == 204, patched.text
    assert [s["queued"] for s in servers_header(patched)] == [False, False, True]
    pdns[2].start()
    assert (await recover(api)).replayed == 1
    assert dns_query(pdns[2], f"www.{zone}", "A") == ["192.0.2.5"]

    policy = {"on_partial_failure": "rollback"}
    assert (await api.client.put("/api/settings/consistency", json=policy)).status_code == 200
    pdns[2].stop()
    change = {"rrsets": [rrset(f"mail.{zone}", "A", "192.0.2.6")]}
    refused = await api.client.patch(f"{BASE}/zones/{zone}", json=change, headers=key)

    assert refused.status_code == 500, refused.text
    assert "rolled back" in refused.json()["error"]
    assert [s["rolled_back"] for s in servers_header(refused)] == [True, True, False]
    for server in pdns[:2]:
        assert dns_query(server, f"mail.{zone}", "A") == []
