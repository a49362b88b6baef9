"""Partial-failure policies (retry, report, rollback) and the retry queue, on real servers."""

from __future__ import annotations

import logging

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.sync.queue import drain_queue
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.syncutil import add, create_zone, pdns_api, recover, sync_api

LEGACY = "Legacy PowerDNS"


async def test_retry_queues_for_the_down_server_and_replays_in_order(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("retry")
    assert (await create_zone(api, zone)).status_code == 201
    pdns[2].stop()

    first = await add(api, zone, "www", "A", "192.0.2.1")
    update = await api.client.put(
        f"/api/records/{zone}/www/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    second = await add(api, zone, "www", "A", "192.0.2.3")
    gone = await add(api, zone, "tmp", "TXT", "to be deleted")
    delete = await api.client.delete(f"/api/records/{zone}/tmp/TXT")

    for response in (first, update, second, gone, delete):
        assert response.status_code == 207, response.text
        assert response.json()["queued_servers"] == [LEGACY]
    queue = (await api.client.get("/api/sync/queue")).json()
    assert queue["pending"] == 5 and queue["parked"] == 0
    assert [e["change"]["kind"] for e in queue["items"]] == [
        "AddRecord", "UpdateRecord", "AddRecord", "AddRecord", "DeleteRecords",
    ]  # fmt: skip
    assert {e["server"] for e in queue["items"]} == {LEGACY}

    pdns[2].start()
    report = await recover(api)

    assert report.replayed == 5
    assert (await api.client.get("/api/sync/queue")).json()["pending"] == 0
    for server in pdns:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.2", "192.0.2.3"]
        assert dns_query(server, f"tmp.{zone}.", "TXT") == []


async def test_a_write_after_recovery_replays_the_backlog_first(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("catchup")
    await create_zone(api, zone)
    pdns[2].stop()
    assert (await add(api, zone, "a", "A", "192.0.2.10")).status_code == 207
    pdns[2].start()

    # No drain yet: the next write to Legacy replays the queued add before its own change.
    # The update needs the queued record on Legacy: without the replay, or with it after
    # the update, Legacy would answer "changed by someone else" and the answer would be 207.
    response = await api.client.put(
        f"/api/records/{zone}/a/A", json={"old_content": "192.0.2.10", "content": "192.0.2.20"}
    )

    assert response.status_code == 200, response.text
    assert (await api.client.get("/api/sync/queue")).json()["pending"] == 0
    for server in pdns:
        assert dns_query(server, f"a.{zone}.", "A") == ["192.0.2.20"]


async def test_report_policy_queues_nothing(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("report")
    await create_zone(api, zone)
    pdns[2].stop()

    response = await add(api, zone, "www", "A", "192.0.2.5", on_partial_failure="report")

    assert response.status_code == 207
    body = response.json()
    assert body["queued_servers"] == []
    assert body["failed_servers"] == [f"{LEGACY}: Server unreachable"]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
    pdns[2].start()
    await recover(api)
    assert dns_query(pdns[2], f"www.{zone}.", "A") == []


async def test_rollback_restores_the_servers_that_succeeded(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("rollback")
    await create_zone(api, zone)
    await add(api, zone, "www", "A", "192.0.2.1")
    await add(api, zone, "mail", "MX", "10 mx1.example.net")
    pdns[2].stop()
    rollback = {"on_partial_failure": "rollback"}

    added = await add(api, zone, "www", "A", "192.0.2.2", **rollback)
    updated = await api.client.put(
        f"/api/records/{zone}/mail/MX",
        params=rollback,
        json={"old_content": "10 mx1.example.net.", "content": "20 mx2.example.net", "ttl": 60},
    )
    deleted = await api.client.delete(f"/api/records/{zone}/www/A", params=rollback)

    for response in (added, updated, deleted):
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["rolled_back_servers"] == ["Primary PowerDNS", "Secondary PowerDNS"]
        assert body["errors"] == [f"{LEGACY}: Server unreachable"]
        assert "detail" not in body
    for server in pdns[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
        assert dns_query(server, f"mail.{zone}.", "MX") == ["10 mx1.example.net."]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []


async def test_rollback_of_zone_create_and_delete(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    kept = unique_zone("keep")
    await create_zone(api, kept)
    await add(api, kept, "www", "A", "192.0.2.8")
    pdns[2].stop()

    new_zone = unique_zone("new")
    rollback = {"on_partial_failure": "rollback"}
    created = await create_zone(api, new_zone, **rollback)
    deleted = await api.client.delete(
        f"/api/zones/{kept}", params={"on_partial_failure": "rollback"}
    )

    assert created.status_code == 400, created.text
    assert created.json()["rolled_back_servers"] == ["Primary PowerDNS", "Secondary PowerDNS"]
    assert deleted.status_code == 400, deleted.text
    assert deleted.json()["rolled_back_servers"] == ["Primary PowerDNS", "Secondary PowerDNS"]
    for server in pdns[:2]:
        assert dns_rcode(server, f"{new_zone}.") == "REFUSED"
        assert dns_query(server, f"www.{kept}.", "A") == ["192.0.2.8"]
        assert dns_query(server, f"{kept}.", "NS") == ["ns1.example.net.", "ns2.example.net."]


async def test_consistency_setting_is_admin_only_and_applies(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    assert (await api.client.get("/api/settings/consistency")).json() == {
        "on_partial_failure": "retry"
    }
    bad = await api.client.put("/api/settings/consistency", json={"on_partial_failure": "x"})
    assert bad.status_code == 422
    put = await api.client.put("/api/settings/consistency", json={"on_partial_failure": "rollback"})
    assert put.json() == {"on_partial_failure": "rollback"}
    anonymous = await api.client.get("/api/settings/consistency", headers={"Authorization": ""})
    assert anonymous.status_code == 401

    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("setting")
    await create_zone(api, zone)
    pdns[2].stop()
    response = await add(api, zone, "www", "A", "192.0.2.9")

    assert response.status_code == 400
    assert dns_query(pdns[0], f"www.{zone}.", "A") == []


@pytest.mark.parametrize("written", [False, True])
async def test_a_rejected_replay_is_parked_then_retried_or_dropped(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS], written: bool
) -> None:
    """``written``: the zone was written to before it went, so the next write reads the name
    through search-data alone (an empty name there does not prove the zone exists: the
    create's PATCH answers 404), else through the GET, which answers 404 itself."""
    api = await sync_api(api_factory, sqlite_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("parked")
    await create_zone(api, zone)
    if written:
        assert (await add(api, zone, "first", "A", "192.0.2.3")).status_code == 201
    async with pdns_api(pdns[2]) as direct:  # the zone disappears behind DNSMate's back
        assert (await direct.delete(f"/zones/{zone}.")).status_code == 204

    response = await add(api, zone, "www", "A", "192.0.2.4")

    assert response.status_code == 207
    assert response.json()["queued_servers"] == []
    queue = (await api.client.get("/api/sync/queue", params={"status": "parked"})).json()
    assert queue["parked"] == 1
    entry = queue["items"][0]
    assert (entry["server"], entry["last_error"]) == (LEGACY, "Zone not found")

    retried = await api.client.post(f"/api/sync/queue/{entry['id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    report = await recover(api)
    assert (report.replayed, report.parked) == (0, 1)

    assert (await api.client.delete(f"/api/sync/queue/{entry['id']}")).status_code == 204
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
    assert (await api.client.delete(f"/api/sync/queue/{entry['id']}")).status_code == 404
    assert dns_rcode(pdns[2], f"{zone}.") == "REFUSED"


async def test_open_breaker_skips_the_server_without_waiting(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns: list[LocalPowerDNS],
    caplog: pytest.LogCaptureFixture,
) -> None:
    threshold = 2
    api = await sync_api(
        api_factory, sqlite_url, breaker_failure_threshold=threshold, breaker_cooldown_seconds=600
    )
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("breaker")
    await create_zone(api, zone)
    pdns[2].stop()

    failures = [await add(api, zone, f"f{i}", "A", "192.0.2.1") for i in range(threshold)]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="dnsmate.changes"):
        skipped = await add(api, zone, "s", "A", "192.0.2.2")

    for response in failures:
        assert response.json()["failed_servers"] == [f"{LEGACY}: Server unreachable"]
    body = skipped.json()
    assert skipped.status_code == 207
    assert body["failed_servers"] == [f"{LEGACY}: skipped: unhealthy"]
    assert body["skipped_servers"] == [LEGACY]
    assert body["queued_servers"] == [LEGACY]
    assert body["servers"][2]["skipped"] is True
    # The operator's log line says why once ("skipped: skipped: unhealthy" before).
    logged = [r for r in caplog.records if r.name == "dnsmate.changes"]
    assert len(logged) == 1
    assert logged[0].__dict__["servers"][LEGACY] == "skipped: unhealthy, queued"
    assert logged[0].getMessage().endswith(f"{LEGACY}=skipped: unhealthy, queued")
    breakers = (await api.client.get("/api/sync/servers")).json()
    assert [b["state"] for b in breakers] == ["closed", "closed", "open"]
    assert breakers[2]["pending"] == threshold + 1

    pdns[2].start()
    # Cool-down not over: the probe leaves it open; an admin drain of open servers waits too.
    report = await recover(api)
    assert report.unavailable == {LEGACY: "breaker open"}
    forced = await drain_queue(runtime=api.context.sync, include_open=True)
    assert forced.replayed == threshold + 1
    after = (await api.client.get("/api/sync/servers")).json()
    assert after[2]["state"] == "closed"
    back = await add(api, zone, "back", "A", "192.0.2.3")
    assert back.status_code == 201
    for name in ("f0", "f1", "s", "back"):
        assert dns_query(pdns[2], f"{name}.{zone}.", "A") != []
