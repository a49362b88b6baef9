"""The retry queue as an admin reads it: what each entry changes, filters, bulk Retry and
Drop, and the audit entry of a change completed when the queue delivers it."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import add, create_zone, recover, sync_api
from tests.integration.test_audit import events

LEGACY = "Legacy PowerDNS"


async def _queue(api: Api, **params: object) -> dict[str, Any]:
    response = await api.client.get("/api/sync/queue", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_each_entry_shows_its_change_and_filters_narrow_the_queue(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns, (True, True, True))
    legacy_id = servers[2]["id"]
    zone, other = unique_zone("readable"), unique_zone("elsewhere")
    for name in (zone, other):
        assert (await create_zone(api, name)).status_code == 201
    pdns[2].stop()

    assert (await add(api, zone, "www", "A", "192.0.2.1")).status_code == 207
    update = await api.client.put(
        f"/api/records/{zone}/www/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    assert update.status_code == 207, update.text
    assert (await api.client.delete(f"/api/records/{zone}/www/A")).status_code == 207
    ops = [{"op": "add", "name": "a", "type": "TXT", "content": "one"},
           {"op": "add", "name": "b", "type": "A", "content": "192.0.2.5"}]  # fmt: skip
    bulk = await api.client.post(f"/api/records/{zone}/bulk", json={"operations": ops})
    assert bulk.status_code == 207, bulk.text
    assert (await add(api, other, "ftp", "A", "192.0.2.9")).status_code == 207
    for server in pdns[:2]:  # the servers up have every change
        assert dns_query(server, f"www.{zone}.", "A") == []
        assert dns_query(server, f"a.{zone}.", "TXT") == ['"one"']
        assert dns_query(server, f"b.{zone}.", "A") == ["192.0.2.5"]
        assert dns_query(server, f"ftp.{other}.", "A") == ["192.0.2.9"]

    queue = await _queue(api, server_id=legacy_id, zone=zone)
    assert (queue["pending"], queue["parked"]) == (4, 0)
    entries = queue["items"]
    assert {e["server"] for e in entries} == {LEGACY}
    assert {e["zone"] for e in entries} == {f"{zone}."}
    assert [e["operation"] for e in entries] == [
        "AddRecord", "UpdateRecord", "DeleteRecords", "BulkRecords",
    ]  # fmt: skip
    lines = [[(ln["operation"], ln["name"], ln["type"], ln["content"]) for ln in e["lines"]]
             for e in entries]  # fmt: skip
    assert lines == [
        [("add", f"www.{zone}", "A", "192.0.2.1")],
        [("update", f"www.{zone}", "A", "192.0.2.2")],
        [("delete", f"www.{zone}", "A", None)],
        [("add", f"a.{zone}", "TXT", '"one"'), ("add", f"b.{zone}", "A", "192.0.2.5")],
    ]
    assert entries[1]["lines"][0]["old_content"] == "192.0.2.1"
    for entry in entries:
        assert entry["attempts"] == 0 and entry["age_seconds"] >= 0
        assert entry["last_error"] and entry["audit_event_id"]
    # Without the zone filter the other zone's change shows too; another server owes nothing.
    assert len((await _queue(api, server_id=legacy_id))["items"]) == 5
    assert (await _queue(api, server_id=servers[0]["id"]))["items"] == []
    assert len((await _queue(api, zone=other))["items"]) == 1


async def test_bulk_retry_and_drop_and_the_audit_entry_completed_by_delivery(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("deliver")
    assert (await create_zone(api, zone)).status_code == 201
    pdns[2].stop()
    assert (await add(api, zone, "kept", "A", "192.0.2.1")).status_code == 207
    assert (await add(api, zone, "dropped", "A", "192.0.2.2")).status_code == 207
    assert (await add(api, zone, "dropped2", "A", "192.0.2.3")).status_code == 207
    [kept, drop1, drop2] = (await _queue(api, zone=zone))["items"]

    # Bulk operations are all or nothing: one unknown id and nothing is dropped.
    missing = await api.client.post("/api/sync/queue/drop", json={"ids": [drop1["id"], 999999]})
    assert missing.status_code == 404, missing.text
    assert len((await _queue(api, zone=zone))["items"]) == 3
    dropped = await api.client.post(
        "/api/sync/queue/drop", json={"ids": [drop1["id"], drop2["id"]]}
    )
    assert dropped.status_code == 200 and dropped.json() == {"dropped": 2}
    retried = await api.client.post("/api/sync/queue/retry", json={"ids": [kept["id"]]})
    assert retried.status_code == 200, retried.text
    assert [e["status"] for e in retried.json()["items"]] == ["pending"]

    created = await events(api.client, zone=zone, action="record.create")
    [event] = [e for e in created if e["target"].startswith("kept")]
    assert event["outcome"] == "partial" and event["delivered_at"] is None
    assert event["id"] == kept["audit_event_id"]

    pdns[2].start()
    report = await recover(api)
    assert report.replayed == 1
    assert dns_query(pdns[2], f"kept.{zone}.", "A") == ["192.0.2.1"]
    assert dns_query(pdns[2], f"dropped.{zone}.", "A") == []
    assert dns_query(pdns[2], f"dropped2.{zone}.", "A") == []
    for server in pdns[:2]:  # dropping concerned the server that was down only
        assert dns_query(server, f"dropped.{zone}.", "A") == ["192.0.2.2"]
        assert dns_query(server, f"dropped2.{zone}.", "A") == ["192.0.2.3"]

    created = await events(api.client, zone=zone, action="record.create")
    by_target = {e["target"].split()[0]: e for e in created}
    delivered = by_target[f"kept.{zone}"]
    assert delivered["outcome"] == "success" and delivered["delivered_at"] is not None
    by_server = {s["server"]: s for s in delivered["servers"]}
    assert by_server[LEGACY]["outcome"] == "delivered"
    assert [d["how"] for d in delivered["deliveries"]] == ["queue"]
    # A dropped change was never delivered: its entry stays partial.
    assert by_target[f"dropped.{zone}"]["outcome"] == "partial"
