"""The audit log on SQLite and PostgreSQL, with real PowerDNS servers.

Every kind of change writes an event: who, how, from where, what, the RRsets before and
after, and each server's outcome. Non-admins see only events of zones they may read.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ADMIN_EMAIL, USER_PASSWORD, Api, ApiFactory, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode

NS = ["ns1.example.net."]


async def events(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/audit", params={"per_page": 500, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def with_broken_versions(
    api_factory: ApiFactory,
    database_url: str,
    pdns: list[LocalPowerDNS],
    monkeypatch: pytest.MonkeyPatch,
    prefix: str,
) -> tuple[Api, list[dict[str, Any]], str]:
    """An app writing to the three servers, a new zone, and a version store that fails
    from now on (the record step's slow path)."""
    api = await api_factory(database_url)
    servers = await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone(prefix)
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201

    async def broken_versions(**_: Any) -> bool:
        raise RuntimeError("version store unavailable")

    monkeypatch.setattr(api.app.state.versions, "add_version", broken_versions)
    return api, servers, zone


async def test_dns_changes_are_audited_with_before_after_and_server_outcomes(
    api_factory: ApiFactory, database_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("audit")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
    )
    assert created.status_code == 201
    record = {"name": "www", "type": "A", "content": "192.0.2.1", "ttl": 300}
    assert (await api.client.post(f"/api/records/{zone}", json=record)).status_code == 201
    update = {"old_content": "192.0.2.1", "content": "192.0.2.2", "ttl": 600}
    assert (await api.client.put(f"/api/records/{zone}/www/A", json=update)).status_code == 200

    token = await api.client.post("/api/tokens", json={"name": "deploy bot"})
    as_bot = {"Authorization": f"Bearer {token.json()['token']}"}
    pdns[2].stop()
    second = {"name": "www", "type": "A", "content": "192.0.2.3", "ttl": 600}
    partial = await api.client.post(f"/api/records/{zone}", json=second, headers=as_bot)
    assert partial.status_code == 207, partial.text
    for server in pdns[:2]:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.2", "192.0.2.3"]

    log = await events(api.client, zone=zone)
    assert [e["action"] for e in log] == [
        "record.create",
        "record.update",
        "record.create",
        "zone.create",
    ]
    newest, updated, first, zone_created = log
    assert first["user_email"] == ADMIN_EMAIL and first["via"] == "web"
    assert first["client_ip"] == "127.0.0.1" and first["zone"] == zone
    assert first["target"] == f"www.{zone} A" and first["outcome"] == "success"
    assert first["before"] == [{"name": f"www.{zone}.", "type": "A", "ttl": 0, "records": []}]
    assert first["after"][0]["records"] == [{"content": "192.0.2.1", "disabled": False}]
    assert [s["server"] for s in first["servers"]] == [s.name for s in pdns]
    assert all(s["outcome"] == "success" for s in first["servers"])

    assert updated["before"][0]["records"] == [{"content": "192.0.2.1", "disabled": False}]
    assert updated["after"][0]["ttl"] == 600
    assert updated["after"][0]["records"] == [{"content": "192.0.2.2", "disabled": False}]

    assert newest["via"] == "token:deploy bot" and newest["outcome"] == "partial"
    outcomes = {s["server"]: s for s in newest["servers"]}
    assert outcomes[pdns[0].name]["outcome"] == "success"
    assert outcomes[pdns[2].name]["outcome"] == "queued"  # the default policy is retry
    assert outcomes[pdns[2].name]["error"]
    assert sorted(r["content"] for r in newest["after"][0]["records"]) == [
        "192.0.2.2",
        "192.0.2.3",
    ]
    assert zone_created["outcome"] == "success" and zone_created["target"] == zone

    pdns[2].start()
    deleted = await api.client.delete(f"/api/zones/{zone}")
    # Legacy's breaker may still be open (then the deletion is queued for it: 207).
    assert deleted.status_code in (200, 207)
    for server in pdns[:2]:
        assert dns_rcode(server, f"{zone}.") == "REFUSED"
    removed = (await events(api.client, zone=zone, action="zone.delete"))[0]
    assert {"SOA", "NS", "A"} <= {r["type"] for r in removed["before"]}
    assert removed["after"] == []


async def test_settings_users_tokens_and_logins_are_audited(
    api_factory: ApiFactory, database_url: str
) -> None:
    api = await api_factory(database_url)
    server = {"name": "Primary", "api_url": "http://127.0.0.1:1", "api_key": "very-secret-key"}
    created = await api.client.post("/api/settings/powerdns", json=server)
    server_id = created.json()["id"]
    await api.client.put(f"/api/settings/powerdns/{server_id}", json={"multi_server_mode": True})
    await api.client.delete(f"/api/settings/powerdns/{server_id}")
    user_id = await make_user(api, "ed@example.com", "editor")
    await api.client.put(f"/api/users/{user_id}", json={"role": "reader"})
    token = await api.client.post("/api/tokens", json={"name": "ci"})
    await api.client.delete(f"/api/tokens/{token.json()['id']}")
    wrong = await api.client.post(
        "/api/auth/login", json={"email": "ed@example.com", "password": "not the password"}
    )
    assert wrong.status_code == 401
    await login_headers(api, "ed@example.com")
    await api.client.delete(f"/api/users/{user_id}")

    log = await events(api.client)
    actions = [e["action"] for e in reversed(log)]
    assert actions == [
        "auth.login",  # the fixture's admin login
        "settings.server.create",
        "settings.server.update",
        "settings.server.delete",
        "user.create",
        "user.update",
        "token.create",
        "token.revoke",
        "auth.login_failed",
        "auth.login",
        "user.delete",
    ]
    by_action = {e["action"]: e for e in log}
    assert "very-secret-key" not in str(log) and token.json()["token"] not in str(log)
    update = by_action["settings.server.update"]
    assert update["before"]["multi_server_mode"] is False
    assert update["after"]["multi_server_mode"] is True
    assert by_action["user.update"]["before"]["role"] == "editor"
    assert by_action["user.update"]["after"]["role"] == "reader"
    failed = by_action["auth.login_failed"]
    assert failed["user_email"] == "ed@example.com" and failed["outcome"] == "failed"
    assert failed["user_id"] is None
    # Deleting the user keeps their events, under their e-mail.
    assert (await events(api.client, user="ed@example.com"))[0]["action"] == "auth.login"
    assert [e["action"] for e in await events(api.client, action="token")] == [
        "token.revoke",
        "token.create",
    ]
    # Append-only: no route changes or deletes events.
    event_id = log[0]["id"]
    assert (await api.client.delete("/api/audit")).status_code == 405
    assert (await api.client.delete(f"/api/audit/{event_id}")).status_code in (404, 405)
    assert (await api.client.put(f"/api/audit/{event_id}", json={})).status_code in (404, 405)


async def test_non_admins_see_events_of_their_zones_only(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    await register_servers(api.client, pdns_servers[:1], (False,))
    mine, other = unique_zone("seen"), unique_zone("unseen")
    for zone in (mine, other):
        response = await api.client.post(
            "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
        )
        assert response.status_code == 201
    manager_id = await make_user(api, "mgr@example.com", "manager", USER_PASSWORD)
    await api.client.put(f"/api/users/{manager_id}/zones", json={"zones": [mine]})
    await make_user(api, "reader@example.com", "reader")
    as_manager = await login_headers(api, "mgr@example.com")
    as_reader = await login_headers(api, "reader@example.com")

    manager_view = await api.client.get("/api/audit", headers=as_manager)
    assert {e["zone"] for e in manager_view.json()["items"]} == {mine}
    reader_view = (await api.client.get("/api/audit", headers=as_reader)).json()["items"]
    assert {e["zone"] for e in reader_view} >= {mine, other}
    assert all(e["zone"] for e in reader_view)  # no user, token or login events
    hidden = await api.client.get("/api/audit", params={"zone": other}, headers=as_manager)
    assert hidden.json()["items"] == []


async def test_a_failing_record_part_neither_hides_the_outcome_nor_skips_the_audit(
    api_factory: ApiFactory,
    database_url: str,
    pdns: list[LocalPowerDNS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api, _servers, zone = await with_broken_versions(
        api_factory, database_url, pdns, monkeypatch, "hookfail"
    )
    record = {"name": "www", "type": "A", "content": "192.0.2.7", "ttl": 300}
    added = await api.client.post(f"/api/records/{zone}", json=record)

    assert added.status_code == 201, added.text
    assert [s["success"] for s in added.json()["servers"]] == [True, True, True]
    [warning] = added.json()["warnings"]
    assert "the version record failed" in warning and "version store" not in warning
    for server in pdns:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.7"]
    # The audit event is still recorded, in spite of the failed version record.
    assert [e["action"] for e in await events(api.client, zone=zone)] == [
        "record.create",
        "zone.create",
    ]


async def test_a_change_queued_on_the_slow_path_is_queued_and_logged_once(
    api_factory: ApiFactory,
    database_url: str,
    pdns: list[LocalPowerDNS],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A record part fails after the queue entry was added: the transaction is rolled back
    and every part is written again on its own. The entry owed to the server that is down
    exists once, is linked to the audit event, and its 'queued' line is logged once (the
    fault test counts those lines against the replays)."""
    api, servers, zone = await with_broken_versions(
        api_factory, database_url, pdns, monkeypatch, "slowqueue"
    )
    pdns[2].stop()
    try:
        with caplog.at_level("INFO", logger="dnsmate.services.sync.queue"):
            added = await api.client.post(
                f"/api/records/{zone}",
                json={"name": "www", "type": "A", "content": "192.0.2.8", "ttl": 300},
            )
        assert added.status_code == 207, added.text
        assert added.json()["queued_servers"] == [pdns[2].name]
        queued_lines = [
            r.getMessage() for r in caplog.records if r.getMessage().startswith("queued ")
        ]
        assert queued_lines == [
            f"queued record.create for server {servers[2]['id']} (pending): Server unreachable"
        ]
        queue = await api.client.get("/api/sync/queue", params={"zone": zone})
        [entry] = queue.json()["items"]
        [event] = await events(api.client, zone=zone, action="record.create")
        assert entry["audit_event_id"] == event["id"]
    finally:
        pdns[2].start()
