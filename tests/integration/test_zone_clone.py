"""Zone clone on real PowerDNS servers: the copy answers over DNS on every target."""

from __future__ import annotations

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, login_as_role
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode

NS = ["ns1.example.net.", "ns2.example.net."]


async def test_clone_copies_the_records_under_the_new_name_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    primary, secondary, legacy = pdns_servers
    await register_servers(api.client, pdns_servers, (True, True, False))
    source, copy = unique_zone("src"), unique_zone("copy")
    created = await api.client.post("/api/zones", json={"name": source, "nameservers": NS})
    assert created.status_code == 201, created.text
    for name, rtype, content in [
        ("www", "A", "192.0.2.10"),
        ("mail", "A", "192.0.2.20"),
        ("@", "MX", f"10 mail.{source}."),
        ("alias", "CNAME", f"www.{source}."),
        ("ext", "CNAME", "other.example.net."),
        ("@", "TXT", f"v=spf1 include:{source} -all"),
    ]:
        added = await api.client.post(
            f"/api/records/{source}", json={"name": name, "type": rtype, "content": content}
        )
        assert added.status_code == 201, added.text

    cloned = await api.client.post(f"/api/zones/{source}/clone", json={"name": copy})
    again = await api.client.post(f"/api/zones/{source}/clone", json={"name": copy})

    assert cloned.status_code == 201, cloned.text
    assert cloned.json()["name"] == copy
    assert cloned.json()["nameservers"] == NS
    assert again.status_code == 409, again.text
    for server in (primary, secondary):
        assert dns_query(server, f"www.{copy}", "A") == ["192.0.2.10"]
        assert dns_query(server, copy, "MX") == [f"10 mail.{copy}."]
        assert dns_query(server, f"alias.{copy}", "CNAME") == [f"www.{copy}."]
        assert dns_query(server, f"ext.{copy}", "CNAME") == ["other.example.net."]
        assert dns_query(server, copy, "TXT") == [f'"v=spf1 include:{source} -all"']
        assert dns_query(server, copy, "NS") == NS
        soa = dns_query(server, copy, "SOA")[0]
        assert source not in soa
        assert dns_query(server, f"www.{source}", "A") == ["192.0.2.10"]  # source untouched
    assert dns_rcode(legacy, copy) == "REFUSED"  # not a write target
    versions = (await api.client.get(f"/api/zones/{copy}/versions")).json()["items"]
    assert [v["action"] for v in versions] == ["zone.clone"]
    assert versions[0]["summary"].startswith("Zone cloned: ")
    audit = (await api.client.get("/api/audit", params={"zone": copy})).json()["items"]
    assert [(e["action"], e["zone"], e["target"], e["outcome"]) for e in audit] == [
        ("zone.clone", copy, f"{copy} (clone of {source})", outcome)
        for outcome in ("failed", "success")  # newest first: the second clone met a 409
    ]
    by_action = await api.client.get("/api/audit", params={"action": "zone.clone"})
    assert copy in [e["zone"] for e in by_action.json()["items"]]


async def test_only_zone_creators_clone_and_the_name_is_checked(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    source = unique_zone("src")
    created = await api.client.post("/api/zones", json={"name": source, "nameservers": NS})
    assert created.status_code == 201, created.text

    same = await api.client.post(f"/api/zones/{source}/clone", json={"name": source})
    spaced = await api.client.post(f"/api/zones/{source}/clone", json={"name": "bad name.example"})
    missing = await api.client.post(
        f"/api/zones/{unique_zone('none')}/clone", json={"name": unique_zone("copy")}
    )
    async with login_as_role(api, "manager", zones=(source,)) as manager:
        denied = await manager.post(
            f"/api/zones/{source}/clone", json={"name": unique_zone("copy")}
        )

    assert same.status_code == 422 and same.json()["field"] == "name"
    assert spaced.status_code == 422 and "contains a space" in spaced.json()["message"]
    assert missing.status_code == 404
    assert denied.status_code == 403
