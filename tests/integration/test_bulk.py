"""Bulk record changes against three real PowerDNS servers, checked over DNS."""

from __future__ import annotations

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import pdns_api

NS = ["ns1.example.net.", "ns2.example.net."]


async def new_zone(api: Api, servers: list[LocalPowerDNS], modes: tuple[bool, ...]) -> str:
    await register_servers(api.client, servers, modes)
    zone = unique_zone("bulk")
    created = await api.client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert created.status_code == 201, created.text
    return zone


async def add(client: httpx.AsyncClient, zone: str, name: str, rtype: str, content: str) -> None:
    response = await client.post(f"/api/records/{zone}", json={
        "name": name, "type": rtype, "content": content, "ttl": 300})  # fmt: skip
    assert response.status_code == 201, response.text


async def test_bulk_applies_adds_updates_and_deletes_on_every_server(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await new_zone(api, pdns_servers, (True, True, True))
    await add(api.client, zone, "www", "A", "192.0.2.1")
    await add(api.client, zone, "old", "TXT", "remove me")
    operations = [
        {"op": "add", "name": "www", "type": "A", "content": "192.0.2.2", "ttl": 300},
        {"op": "update", "name": "www", "type": "A", "old_content": "192.0.2.1",
         "content": "192.0.2.3"},
        {"op": "add", "name": "mail", "type": "MX", "content": "10 mx.example.net"},
        {"op": "delete", "name": "old", "type": "TXT"},
        {"op": "add", "name": "txt", "type": "TXT", "content": "hello bulk", "ttl": 60},
    ]  # fmt: skip

    response = await api.client.post(f"/api/records/{zone}/bulk", json=operations)
    replay = await api.client.post(f"/api/records/{zone}/bulk", json={"operations": operations})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["counts"] == {"add": 3, "update": 1, "delete": 1}
    assert body["patches"] == {s.name: 1 for s in pdns_servers} and body["atomic"] is True
    # Sent again: the update's old record is gone, the new one is there; nothing to write.
    assert replay.status_code == 200, replay.text
    assert replay.json()["patches"] == {s.name: 0 for s in pdns_servers}
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.2", "192.0.2.3"]
        assert dns_query(server, f"mail.{zone}.", "MX") == ["10 mx.example.net."]
        assert dns_query(server, f"old.{zone}.", "TXT") == []
        assert dns_query(server, f"txt.{zone}.", "TXT") == ['"hello bulk"']
    versions = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"]
    assert versions[0]["action"] == "records.bulk"
    assert (versions[0]["added"], versions[0]["changed"], versions[0]["deleted"]) == (2, 1, 1)


async def test_every_invalid_row_is_reported_and_nothing_is_applied(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await new_zone(api, pdns_servers[:2], (True, True))
    operations = [
        {"op": "add", "name": "ok", "type": "A", "content": "192.0.2.1"},
        {"op": "add", "name": "bad", "type": "A", "content": "192.0.2.300"},
        {"op": "rename", "name": "x", "type": "A"},
        {"op": "update", "name": "y", "type": "A", "content": "192.0.2.4"},
        {"op": "add", "name": "z", "type": "SOA", "content": "a b 1 2 3 4 5"},
        {"op": "add", "name": "w", "type": "A", "content": "192.0.2.5", "ttl": -1},
    ]

    response = await api.client.post(f"/api/records/{zone}/bulk", json=operations)

    assert response.status_code == 422, response.text
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [
        (2, "content"), (3, "op"), (4, "old_content"), (5, "type"), (6, "ttl"),
    ]  # fmt: skip
    assert response.json()["message"] == "operations: 5 invalid operation(s); nothing was applied"
    for server in pdns_servers[:2]:
        assert dns_query(server, f"ok.{zone}.", "A") == []


async def test_csv_upload_with_line_numbers(api: Api, pdns_servers: list[LocalPowerDNS]) -> None:
    zone = await new_zone(api, pdns_servers[:1], (False,))
    good = f"op,name,type,content,ttl\nadd,a,A,192.0.2.1,300\nadd,b,CNAME,a.{zone}.,300\n"
    bad = "op,name,type,content,ttl\nadd,a,A,192.0.2.1,300\n\nadd,b,A,nope,300\n"

    applied = await api.client.post(
        f"/api/records/{zone}/bulk", files={"file": ("ops.csv", good.encode(), "text/csv")}
    )
    refused = await api.client.post(
        f"/api/records/{zone}/bulk", content=bad.encode(), headers={"Content-Type": "text/csv"}
    )

    assert applied.status_code == 200, applied.text
    assert dns_query(pdns_servers[0], f"b.{zone}.", "CNAME") == [f"a.{zone}."]
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(4, "content")]


async def test_conflicts_reject_the_whole_batch(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await new_zone(api, pdns_servers[:2], (True, True))
    await add(api.client, zone, "www", "A", "192.0.2.1")

    cname = await api.client.post(f"/api/records/{zone}/bulk", json=[
        {"op": "add", "name": "new", "type": "A", "content": "192.0.2.9"},
        {"op": "add", "name": "www", "type": "CNAME", "content": "elsewhere.example.net."},
    ])  # fmt: skip
    stale = await api.client.post(f"/api/records/{zone}/bulk", json=[
        {"op": "add", "name": "new", "type": "A", "content": "192.0.2.9"},
        {"op": "update", "name": "www", "type": "A", "old_content": "192.0.2.7",
         "content": "192.0.2.8"},
    ])  # fmt: skip
    swap = await api.client.post(f"/api/records/{zone}/bulk", json=[
        {"op": "delete", "name": "www", "type": "A"},
        {"op": "add", "name": "www", "type": "CNAME", "content": "elsewhere.example.net."},
    ])  # fmt: skip

    assert cname.status_code == 422 and "CNAME" in cname.json()["errors"][0]
    assert stale.status_code == 409 and "row 2" in stale.json()["errors"][0]
    assert swap.status_code == 200, swap.text
    for server in pdns_servers[:2]:
        assert dns_query(server, f"new.{zone}.", "A") == []
        assert dns_query(server, f"www.{zone}.", "CNAME") == ["elsewhere.example.net."]


async def test_delete_by_filter_previews_then_deletes(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await new_zone(api, pdns_servers, (True, True, True))
    for name in ("a.dev", "b.dev", "keep"):
        await add(api.client, zone, name, "A", "192.0.2.1")
    await add(api.client, zone, "a.dev", "TXT", "dev box")

    url = f"/api/records/{zone}/bulk/delete"
    preview = await api.client.post(url, json={"name": "*.dev", "type": "A"})
    deleted = await api.client.post(url, json={"name": "*.dev", "type": "A", "dry_run": False})
    apex = await api.client.post(f"/api/records/{zone}/bulk/delete", json={"name": "*"})

    assert preview.status_code == 200, preview.text
    assert [(r["name"], r["type"]) for r in preview.json()["rrsets"]] == [
        (f"a.dev.{zone}", "A"), (f"b.dev.{zone}", "A"),
    ]  # fmt: skip
    assert deleted.status_code == 200, deleted.text
    assert {r["type"] for r in apex.json()["rrsets"]} == {"A", "TXT"}  # never SOA or apex NS
    for server in pdns_servers:
        assert dns_query(server, f"a.dev.{zone}.", "A") == []
        assert dns_query(server, f"b.dev.{zone}.", "A") == []
        assert dns_query(server, f"a.dev.{zone}.", "TXT") == ['"dev box"']
        assert dns_query(server, f"keep.{zone}.", "A") == ["192.0.2.1"]


async def test_dry_run_answers_the_plan_and_changes_nothing(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    zone = await new_zone(api, pdns_servers[:2], (True, True))
    await add(api.client, zone, "www", "A", "192.0.2.1")
    await add(api.client, zone, "old", "TXT", "remove me")
    url = f"/api/records/{zone}/bulk"
    csv_text = (
        "op,name,type,content,ttl,old_content\n"
        "add,new,A,192.0.2.7,60,\n"
        "update,www,A,192.0.2.2,,192.0.2.1\n"
        "delete,old,TXT,,,\n"
    )

    planned = await api.client.post(
        url, params={"dry_run": "true"}, content=csv_text, headers={"Content-Type": "text/csv"}
    )
    stale = await api.client.post(url, params={"dry_run": "true"}, json=[
        {"op": "update", "name": "www", "type": "A", "old_content": "192.0.2.9",
         "content": "192.0.2.8"},
    ])  # fmt: skip
    missing = await api.client.post(
        f"/api/records/nope-{zone}/bulk", params={"dry_run": "true"},
        json=[{"op": "add", "name": "a", "type": "A", "content": "192.0.2.1"}],
    )  # fmt: skip

    assert planned.status_code == 200, planned.text
    body = planned.json()
    assert body["dry_run"] is True and body["counts"] == {"add": 1, "update": 1, "delete": 1}
    plan = body["plan"]
    assert (plan["adds"], plan["changes"], plan["deletes"]) == (1, 1, 1)
    added = {"name": f"new.{zone}", "type": "A", "ttl": 60,
             "records": [{"content": "192.0.2.7", "disabled": False}]}  # fmt: skip
    assert plan["added"] == [added]
    assert [r["content"] for r in plan["changed"][0]["after"]["records"]] == ["192.0.2.2"]
    assert [(r["name"], r["type"]) for r in plan["deleted"]] == [(f"old.{zone}", "TXT")]
    assert stale.status_code == 409 and "row 1" in stale.json()["message"]
    assert missing.status_code == 404
    for server in pdns_servers[:2]:
        assert dns_query(server, f"new.{zone}.", "A") == []
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
        assert dns_query(server, f"old.{zone}.", "TXT") == ['"remove me"']


async def test_a_batch_over_many_names_keeps_siblings_and_replays_as_a_no_op(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    # More names than NAME_READS_MAX: each server's whole zone is read instead of each name.
    zone = await new_zone(api, pdns_servers[:2], (True, True))
    await add(api.client, zone, "h0", "A", "192.0.2.100")
    await add(api.client, zone, "h1", "CNAME", "elsewhere.example.net")
    operations = [
        {"op": "add", "name": f"h{i}", "type": "A", "content": f"192.0.2.{i}"} for i in range(20)
    ]

    refused = await api.client.post(f"/api/records/{zone}/bulk", json=operations)
    operations[1] = {"op": "delete", "name": "h1", "type": "CNAME"}
    applied = await api.client.post(f"/api/records/{zone}/bulk", json=operations)
    replay = await api.client.post(f"/api/records/{zone}/bulk", json=operations)

    assert refused.status_code == 422 and "CNAME" in refused.json()["errors"][0]
    assert applied.status_code == 200, applied.text
    assert replay.status_code == 200 and replay.json()["patches"] == {
        s.name: 0 for s in pdns_servers[:2]
    }
    for server in pdns_servers[:2]:
        assert dns_query(server, f"h0.{zone}.", "A") == ["192.0.2.0", "192.0.2.100"]
        assert dns_query(server, f"h1.{zone}.", "CNAME") == []
        assert dns_query(server, f"h19.{zone}.", "A") == ["192.0.2.19"]


async def test_servers_out_of_step_each_get_a_plan_from_their_own_data(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    # Servers holding the same data share one plan (bulk.BulkRecords._plan_for); one that
    # differs must still get its own, or it would lose what only it holds.
    zone = await new_zone(api, pdns_servers, (True, True, True))
    await add(api.client, zone, "www", "A", "192.0.2.1")
    first, drifted, ahead = pdns_servers
    for server, content in ((drifted, "192.0.2.9"), (ahead, "192.0.2.2")):
        async with pdns_api(server) as direct:  # behind DNSMate's back
            patched = await direct.patch(f"/zones/{zone}.", json={"rrsets": [{
                "name": f"www.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                "records": [{"content": "192.0.2.1", "disabled": False},
                            {"content": content, "disabled": False}]}]})  # fmt: skip
            assert patched.status_code == 204, patched.text
    operations = [{"op": "add", "name": "www", "type": "A", "content": "192.0.2.2", "ttl": 300}]

    response = await api.client.post(f"/api/records/{zone}/bulk", json=operations)

    assert response.status_code == 200, response.text
    assert response.json()["patches"] == {first.name: 1, drifted.name: 1, ahead.name: 0}
    assert dns_query(first, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]
    assert dns_query(drifted, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2", "192.0.2.9"]
    assert dns_query(ahead, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]
