"""A change PowerDNS could never accept (one RRset beyond its 2 MB request limit) is refused
before any server is contacted, and writes to other zones go on answering 201."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

COMPAT = "/api/v1/servers/localhost/zones"


async def test_an_rrset_too_big_for_one_request_is_refused_up_front(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone, other = unique_zone("huge"), unique_zone("after")
    for name in (zone, other):
        body = {"name": name, "kind": "Native", "nameservers": ["ns1.example.net."]}
        assert (await api.client.post("/api/zones", json=body)).status_code == 201
    token = (await api.client.post("/api/tokens", json={"name": "tool"})).json()["token"]
    headers = {"X-API-Key": token, "Authorization": ""}

    # 1.7 MB of TXT in one RRset (one line of 255-byte strings): within DNSMate's own body
    # limit, beyond what one PowerDNS request may carry.
    content = " ".join(['"' + "a" * 250 + '"'] * 6500)
    rrset = {"name": f"big.{zone}.", "type": "TXT", "ttl": 300, "changetype": "REPLACE",
             "records": [{"content": content, "disabled": False}]}  # fmt: skip
    patched = await api.client.patch(f"{COMPAT}/{zone}.", json={"rrsets": [rrset]}, headers=headers)
    assert patched.status_code == 422, patched.text[:300]
    assert "webserver-max-bodysize" in patched.json()["error"]

    # Bulk: many large records of one RRset add up the same way.
    ops = [{"op": "add", "name": "bulk", "type": "TXT", "content": "b" * 60_000 + str(n)}
           for n in range(30)]  # fmt: skip
    bulk = await api.client.post(f"/api/records/{zone}/bulk", json={"operations": ops})
    assert bulk.status_code == 422, bulk.text[:300]
    assert "webserver-max-bodysize" in bulk.text

    for server in pdns_servers[:2]:
        assert dns_query(server, f"big.{zone}.", "TXT") == []
        assert dns_query(server, f"bulk.{zone}.", "TXT") == []
    # Nothing was queued: a normal write to another zone right after lands everywhere.
    record = {"name": "www", "type": "A", "content": "192.0.2.7", "ttl": 300}
    created = await api.client.post(f"/api/records/{other}", json=record)
    assert created.status_code == 201, created.text
    assert [s["success"] for s in created.json()["servers"]] == [True, True]
    for server in pdns_servers[:2]:
        assert dns_query(server, f"www.{other}.", "A") == ["192.0.2.7"]
