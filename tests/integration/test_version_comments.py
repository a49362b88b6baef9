"""Versions keep RRset comments: a comment change is a version with its diff, other changes
carry the comments along, and a rollback puts them back on every server."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.test_record_attributes import server_rrset
from tests.integration.test_versions import add, create_zone


def texts(rrset: dict[str, Any] | None) -> list[str] | None:
    """The comment texts of a public or PowerDNS RRset (None: not known)."""
    if rrset is None or rrset.get("comments") is None:
        return None
    return [c["content"] for c in rrset["comments"]]


async def test_versions_store_comments_and_rollback_restores_them(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True,) * len(pdns_servers))
    zone = unique_zone("vcom")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")
    comments = f"/api/records/{zone}/www/A/comments"

    async def comment(text: str) -> int:
        response = await api.client.put(comments, json={"comments": [{"content": text}]})
        assert response.status_code == 200, response.text
        newest = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"][0]
        assert newest["action"] == "record.comment"
        return int(newest["id"])

    first = await comment("web server, ticket 1")
    await add(api.client, zone, "www", "A", "192.0.2.2")  # a record write keeps the comment
    second = await comment("web server, ticket 2")

    changes = await api.client.get(f"/api/zones/{zone}/versions/{second}/changes")
    assert changes.status_code == 200, changes.text
    plan = changes.json()["plan"]
    assert (plan["adds"], plan["changes"], plan["deletes"]) == (0, 1, 0)
    [changed] = plan["changed"]
    assert texts(changed["before"]) == ["web server, ticket 1"]
    assert texts(changed["after"]) == ["web server, ticket 2"]
    assert changed["before"]["records"] == changed["after"]["records"]
    [created] = (await api.client.get(f"/api/zones/{zone}/versions/{first}/changes")).json()[
        "plan"
    ]["changed"]
    assert (texts(created["before"]), texts(created["after"])) == ([], ["web server, ticket 1"])
    content = (await api.client.get(f"/api/zones/{zone}/versions/{second - 1}")).json()
    www = next(r for r in content["rrsets"] if r["name"] == f"www.{zone}")
    assert texts(www) == ["web server, ticket 1"] and len(www["records"]) == 2

    # Back to the version before the second comment: the records stay, the comment returns.
    preview = await api.client.post(
        f"/api/zones/{zone}/versions/{second - 1}/rollback", params={"dry_run": "true"}
    )
    assert [texts(c["after"]) for c in preview.json()["plan"]["changed"]] == [
        ["web server, ticket 1"]
    ]
    rolled = await api.client.post(f"/api/zones/{zone}/versions/{second - 1}/rollback")
    assert rolled.status_code == 200, rolled.text
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert texts(rrset) == ["web server, ticket 1"], server.name
        assert sorted(r["content"] for r in rrset["records"]) == ["192.0.2.1", "192.0.2.2"]
    # And back to before any comment: the comment goes everywhere.
    before_comments = first - 1
    undone = await api.client.post(f"/api/zones/{zone}/versions/{before_comments}/rollback")
    assert undone.status_code == 200, undone.text
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert texts(rrset) == [] and [r["content"] for r in rrset["records"]] == ["192.0.2.1"]


async def test_a_bulk_change_versions_its_rrsets_with_their_comments(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    # A bulk change works its version out while its PATCHes are in flight
    # (version_recorder.prepare); the version must be what the record step would record.
    await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone("vbulk")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")
    await add(api.client, zone, "old", "TXT", "bye")
    put = await api.client.put(f"/api/records/{zone}/www/A/comments",
                               json={"comments": [{"content": "keep me"}]})  # fmt: skip
    assert put.status_code == 200, put.text

    bulk = await api.client.post(f"/api/records/{zone}/bulk", json=[
        {"op": "add", "name": "www", "type": "A", "content": "192.0.2.2"},
        {"op": "add", "name": "new", "type": "A", "content": "192.0.2.3", "ttl": 60},
        {"op": "delete", "name": "old", "type": "TXT"},
    ])  # fmt: skip

    assert bulk.status_code == 200, bulk.text
    newest = (await api.client.get(f"/api/zones/{zone}/versions")).json()["items"][0]
    assert newest["action"] == "records.bulk"
    assert (newest["added"], newest["changed"], newest["deleted"]) == (1, 1, 1)
    plan = (await api.client.get(f"/api/zones/{zone}/versions/{newest['id']}/changes")).json()[
        "plan"
    ]
    [changed] = plan["changed"]
    assert texts(changed["before"]) == texts(changed["after"]) == ["keep me"]
    assert [r["content"] for r in changed["after"]["records"]] == ["192.0.2.1", "192.0.2.2"]
    [added] = plan["added"]
    assert (added["name"], added["ttl"], texts(added)) == (f"new.{zone}", 60, [])
    assert [(d["name"], d["type"]) for d in plan["deleted"]] == [(f"old.{zone}", "TXT")]
