"""Zone versions against three real PowerDNS servers: history, content, compare, rollback."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import dns.zone
import httpx
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.history import versions as versions_service
from dnsmate.services.history.versions import RebuildCache
from tests.conftest import ADMIN_EMAIL, Api, ApiFactory, login_headers, make_user
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query

NS = ["ns1.example.net.", "ns2.example.net."]


async def create_zone(client: httpx.AsyncClient, zone: str) -> None:
    response = await client.post("/api/zones", json={"name": zone, "nameservers": NS})
    assert response.status_code == 201, response.text


async def add(client: httpx.AsyncClient, zone: str, name: str, rtype: str, content: str) -> None:
    response = await client.post(
        f"/api/records/{zone}", json={"name": name, "type": rtype, "content": content, "ttl": 300}
    )
    assert response.status_code == 201, response.text


async def versions(client: httpx.AsyncClient, zone: str) -> list[dict[str, object]]:
    response = await client.get(f"/api/zones/{zone}/versions")
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def rrsets(body: dict[str, object]) -> dict[tuple[str, str], list[str]]:
    return {
        (r["name"], r["type"]): [x["content"] for x in r["records"]]
        for r in body["rrsets"]  # type: ignore[attr-defined]
    }


async def test_every_change_records_a_version_with_its_delta(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")
    await add(api.client, zone, "www", "A", "192.0.2.1")  # no change: no version
    updated = await api.client.put(
        f"/api/records/{zone}/www/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    assert updated.status_code == 200
    assert (await api.client.delete(f"/api/records/{zone}/www/A")).status_code == 200

    items = await versions(api.client, zone)

    assert [v["action"] for v in items] == [
        "record.delete", "record.update", "record.create", "zone.create",
    ]  # fmt: skip
    assert all(v["actor"] == ADMIN_EMAIL for v in items)
    assert items[2]["summary"] == f"Record created: www.{zone} A"
    assert [(v["added"], v["changed"], v["deleted"]) for v in items[:3]] == [
        (0, 0, 1), (0, 1, 0), (1, 0, 0),
    ]  # fmt: skip
    detail = (await api.client.get(f"/api/zones/{zone}/versions/{items[1]['id']}")).json()
    assert detail["delta"] == [
        {
            "name": f"www.{zone}", "type": "A",
            "before": {"name": f"www.{zone}", "type": "A", "ttl": 300,
                       "records": [{"content": "192.0.2.1", "disabled": False}],
                       "comments": []},
            "after": {"name": f"www.{zone}", "type": "A", "ttl": 300,
                      "records": [{"content": "192.0.2.2", "disabled": False}],
                      "comments": []},
        }
    ]  # fmt: skip
    content = rrsets(detail)
    assert content[(f"www.{zone}", "A")] == ["192.0.2.2"]
    assert content[(zone, "NS")] == NS
    assert (zone, "SOA") in content


async def test_compare_export_and_rollback_restore_the_dns_answers(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")
    await add(api.client, zone, "mail", "MX", "10 mx.example.net.")
    good = (await versions(api.client, zone))[0]["id"]
    await api.client.delete(f"/api/records/{zone}/www/A")
    await add(api.client, zone, "www", "CNAME", "elsewhere.example.net.")
    await add(api.client, zone, "new", "TXT", "added later")

    compare = await api.client.get(f"/api/zones/{zone}/versions/compare", params={"from": good})
    exported = await api.client.get(f"/api/zones/{zone}/versions/{good}/export")
    preview = await api.client.post(
        f"/api/zones/{zone}/versions/{good}/rollback", params={"dry_run": True}
    )

    assert compare.status_code == 200, compare.text
    diff = compare.json()
    assert (diff["adds"], diff["changes"], diff["deletes"]) == (2, 0, 1)
    assert {(r["name"], r["type"]) for r in diff["added"]} == {
        (f"www.{zone}", "CNAME"), (f"new.{zone}", "TXT"),
    }  # fmt: skip
    assert diff["deleted"][0]["name"] == f"www.{zone}"
    parsed = dns.zone.from_text(exported.text, origin=f"{zone}.", relativize=False)
    assert parsed.find_rdataset(f"www.{zone}.", "A")[0].to_text() == "192.0.2.1"
    assert preview.json()["plan"]["adds"] == 1 and preview.json()["plan"]["deletes"] == 2
    assert dns_query(pdns_servers[0], f"new.{zone}.", "TXT") == ['"added later"']

    rolled = await api.client.post(f"/api/zones/{zone}/versions/{good}/rollback")

    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["atomic"] is True
    assert rolled.json()["patches"] == {s.name: 1 for s in pdns_servers}
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
        assert dns_query(server, f"www.{zone}.", "CNAME") == []
        assert dns_query(server, f"new.{zone}.", "TXT") == []
        assert dns_query(server, f"mail.{zone}.", "MX") == ["10 mx.example.net."]
    latest = (await versions(api.client, zone))[0]
    assert latest["action"] == "zone.patch"
    again = await api.client.get(
        f"/api/zones/{zone}/versions/compare", params={"from": good, "to": latest["id"]}
    )
    assert (again.json()["adds"], again.json()["changes"], again.json()["deletes"]) == (0, 0, 0)


async def test_rollback_recreates_a_deleted_zone(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers, (True, True, True))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.5")
    good = (await versions(api.client, zone))[0]["id"]
    assert (await api.client.delete(f"/api/zones/{zone}")).status_code == 200

    rolled = await api.client.post(f"/api/zones/{zone}/versions/{good}/rollback")

    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["created"] is True
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.5"]
        assert dns_query(server, f"{zone}.", "NS") == NS


async def test_retention_keeps_the_newest_and_they_still_rebuild(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    api.context.settings.version_max_per_zone = 3
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    for i in range(1, 7):
        await add(api.client, zone, f"h{i}", "A", f"192.0.2.{i}")

    await api.app.state.versions.idle()
    items = await versions(api.client, zone)

    assert [v["summary"] for v in items] == [f"Record created: h{i}.{zone} A" for i in (6, 5, 4)]
    oldest = (await api.client.get(f"/api/zones/{zone}/versions/{items[-1]['id']}")).json()
    assert sorted(n for n, t in rrsets(oldest) if t == "A") == [
        f"h{i}.{zone}" for i in (1, 2, 3, 4)
    ]


async def test_a_zone_at_its_cap_is_pruned_in_batches_and_every_kept_version_rebuilds(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    api.context.settings.version_max_per_zone = 20  # pruned once it holds 22 (a tenth more)
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    counts = []
    for i in range(1, 45):
        await add(api.client, zone, f"h{i}", "A", f"192.0.2.{i}")
        await api.app.state.versions.idle()
        counts.append(len(await versions(api.client, zone)))

    items = await versions(api.client, zone)
    oldest = (await api.client.get(f"/api/zones/{zone}/versions/{items[-1]['id']}")).json()

    # Up to the cap plus a tenth (22), then back to 20 once every two new versions.
    assert counts == list(range(2, 23)) + [20, 21, 22] * 7 + [20, 21]
    newest = 44
    assert [v["summary"] for v in items] == [
        f"Record created: h{i}.{zone} A" for i in range(newest, newest - len(items), -1)
    ]
    first_kept = newest - len(items) + 1
    assert sorted(n for n, t in rrsets(oldest) if t == "A") == sorted(
        f"h{i}.{zone}" for i in range(1, first_kept + 1)
    )


async def test_unknown_version_is_404_and_readers_cannot_roll_back(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    other = unique_zone("ver")
    await create_zone(api.client, zone)
    await create_zone(api.client, other)
    foreign = (await versions(api.client, other))[0]["id"]

    missing = await api.client.get(f"/api/zones/{zone}/versions/{foreign}")
    assert missing.status_code == 404
    assert "not found" in missing.json()["message"]

    await make_user(api, "reader@example.com", "reader")
    reader = await login_headers(api, "reader@example.com")
    own = (await versions(api.client, zone))[0]["id"]
    listed = await api.client.get(f"/api/zones/{zone}/versions", headers=reader)
    refused = await api.client.post(f"/api/zones/{zone}/versions/{own}/rollback", headers=reader)
    assert listed.status_code == 200
    assert refused.status_code == 403


async def test_other_requests_are_served_while_a_version_is_rebuilt(
    api: Api, pdns_servers: list[LocalPowerDNS], monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    await add(api.client, zone, "www", "A", "192.0.2.1")
    version = (await versions(api.client, zone))[0]["id"]
    entered, release = threading.Event(), threading.Event()
    blocked_the_loop: list[bool] = []
    rebuild = versions_service._rebuild

    def slow_rebuild(*args: Any) -> Any:
        # Stands for the CPU-heavy decoding of a 100,000-RRset version: it only finishes
        # once the test has been served another request meanwhile.
        entered.set()
        blocked_the_loop.append(not release.wait(timeout=60))
        return rebuild(*args)

    monkeypatch.setattr(versions_service, "_rebuild", slow_rebuild)
    content = asyncio.create_task(api.client.get(f"/api/zones/{zone}/versions/{version}"))
    assert await asyncio.to_thread(entered.wait, 60)
    listed = await api.client.get(f"/api/zones/{zone}/versions")
    health = await api.client.get("/api/health")
    release.set()
    answer = await content

    assert listed.status_code == 200 and listed.json()["items"][0]["id"] == version
    assert health.status_code == 200
    assert answer.status_code == 200, answer.text
    assert rrsets(answer.json())[(f"www.{zone}", "A")] == ["192.0.2.1"]
    assert blocked_the_loop == [False]


async def test_rebuilt_versions_are_reused_with_the_same_answers(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    for i in range(1, 5):
        await add(api.client, zone, f"h{i}", "A", f"192.0.2.{i}")
    await api.client.delete(f"/api/records/{zone}/h2/A")
    ids = sorted(v["id"] for v in await versions(api.client, zone))

    async def answers(order: list[int]) -> dict[int, object]:
        found = {}
        for vid in order:
            response = await api.client.get(f"/api/zones/{zone}/versions/{vid}")
            assert response.status_code == 200, response.text
            found[vid] = rrsets(response.json())
        compare = await api.client.get(
            f"/api/zones/{zone}/versions/compare", params={"from": ids[2], "to": ids[-1]}
        )
        found[0] = compare.json()
        return found

    # Oldest first: each rebuild starts from the previous one kept in the cache.
    reused = await answers(ids)
    api.context.version_cache = RebuildCache()
    fresh = await answers(ids[::-1])

    assert reused == fresh
    assert sorted(n for n, t in reused[ids[-1]] if t == "A") == [  # type: ignore[attr-defined]
        f"h{i}.{zone}" for i in (1, 3, 4)
    ]
    assert (fresh[0]["adds"], fresh[0]["deletes"]) == (2, 1)  # type: ignore[index]


async def test_retention_settings_are_stored_audited_and_applied(
    api_factory: ApiFactory, database_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(database_url)
    api.context.settings.version_max_per_zone = 50
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("ver")
    await create_zone(api.client, zone)
    for i in range(1, 5):
        await add(api.client, zone, f"h{i}", "A", f"192.0.2.{i}")
    url = "/api/settings/versions"
    defaults = {"max_per_zone": 50, "max_age_days": 365.0}

    initial = await api.client.get(url)
    invalid = [
        await api.client.put(url, json=body)
        for body in ({"max_per_zone": 0, "max_age_days": 30}, {"max_per_zone": 2},
                     {"max_per_zone": 2, "max_age_days": -1}, {"max_per_zone": "x"})
    ]  # fmt: skip
    stored = await api.client.put(url, json={"max_per_zone": 2, "max_age_days": 30})
    await api.app.state.versions.idle()
    kept = await versions(api.client, zone)
    reset = await api.client.put(url, json={"max_per_zone": None, "max_age_days": None})
    await make_user(api, "editor@example.com", "editor")
    editor = await api.client.get(url, headers=await login_headers(api, "editor@example.com"))
    events = await api.client.get("/api/audit", params={"action": "settings.versions"})

    assert initial.status_code == 200
    assert initial.json() == {**defaults, "stored": {"max_per_zone": None, "max_age_days": None},
                              "defaults": defaults}  # fmt: skip
    assert [r.status_code for r in invalid] == [422, 422, 422, 422]
    assert stored.status_code == 200, stored.text
    assert stored.json() == {"max_per_zone": 2, "max_age_days": 30.0, "defaults": defaults,
                             "stored": {"max_per_zone": 2, "max_age_days": 30.0}}  # fmt: skip
    assert [v["summary"] for v in kept] == [f"Record created: h{i}.{zone} A" for i in (4, 3)]
    assert reset.json()["max_per_zone"] == 50 and reset.json()["stored"]["max_per_zone"] is None
    assert editor.status_code == 403
    [latest, first] = events.json()["items"]
    assert latest["before"] == {"max_per_zone": 2, "max_age_days": 30.0}
    assert first["after"] == {"max_per_zone": 2, "max_age_days": 30.0}
    assert first["before"] == defaults
