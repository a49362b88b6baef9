"""Drift detection and reconcile: changes made behind DNSMate's back, on real servers."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.syncutil import add, create_zone, pdns_api, pdns_zone, sync_api


def replace(name: str, rtype: str, *contents: str, ttl: int = 300) -> dict[str, Any]:
    records = [{"content": c, "disabled": False} for c in contents]
    return {"name": name, "type": rtype, "ttl": ttl, "changetype": "REPLACE", "records": records}


async def patch_directly(server: LocalPowerDNS, zone: str, *rrsets: dict[str, Any]) -> None:
    async with pdns_api(server) as direct:
        response = await direct.patch(f"/zones/{zone}.", json={"rrsets": list(rrsets)})
        assert response.status_code == 204, response.text


async def setup(api: Api, pdns: list[LocalPowerDNS], records: int = 3) -> str:
    await register_servers(api.client, pdns, (True, True, True))
    zone = unique_zone("drift")
    assert (await create_zone(api, zone)).status_code == 201
    for i in range(records):
        assert (await add(api, zone, f"h{i}", "A", f"192.0.2.{i + 1}")).status_code == 201
    return zone


async def diff(api: Api, zone: str) -> dict[str, Any]:
    response = await api.client.get(f"/api/sync/zones/{zone}/diff")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_diff_reports_exactly_the_direct_change_and_reconcile_fixes_it(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    zone = await setup(api, pdns_servers)
    assert (await diff(api, zone))["in_sync"] is True
    await patch_directly(
        pdns_servers[1],
        zone,
        replace(f"h0.{zone}.", "A", "203.0.113.9"),
        replace(f"extra.{zone}.", "TXT", '"not from dnsmate"'),
        {"name": f"h2.{zone}.", "type": "A", "changetype": "DELETE"},
    )

    body = await diff(api, zone)

    assert body["reference"] == "Primary PowerDNS"
    secondary, legacy = body["servers"]
    assert legacy["status"] == "in_sync"
    assert secondary["status"] == "drifted"
    assert [(r["name"], r["type"]) for r in secondary["missing"]] == [(f"h2.{zone}", "A")]
    assert [(r["name"], r["records"]) for r in secondary["extra"]] == [
        (f"extra.{zone}", ['"not from dnsmate"'])
    ]
    assert [(d["name"], d["server"]["records"]) for d in secondary["different"]] == [
        (f"h0.{zone}", ["203.0.113.9"])
    ]
    status = (await api.client.get("/api/sync/status")).json()
    entry = next(z for z in status["zones"] if z["zone"] == zone)
    assert (entry["status"], entry["drifted_on"]) == ("drifted", ["Secondary PowerDNS"])

    source = (await api.client.get("/api/settings/powerdns")).json()[0]["id"]
    url = f"/api/sync/zones/{zone}/reconcile"
    plan = await api.client.post(url, json={"source": source})
    assert plan.status_code == 200, plan.text
    assert plan.json()["applied"] is False
    secondary_plan = plan.json()["servers"][0]
    assert [r["name"] for r in secondary_plan["creates"]] == [f"h2.{zone}"]
    assert [r["name"] for r in secondary_plan["updates"]] == [f"h0.{zone}"]
    assert [r["name"] for r in secondary_plan["deletes"]] == [f"extra.{zone}"]
    assert dns_query(pdns_servers[1], f"h0.{zone}.", "A") == ["203.0.113.9"]

    applied = await api.client.post(url, json={"source": source, "dry_run": False})

    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True
    assert (await diff(api, zone))["in_sync"] is True
    assert dns_query(pdns_servers[1], f"h0.{zone}.", "A") == ["192.0.2.1"]
    assert dns_query(pdns_servers[1], f"h2.{zone}.", "A") == ["192.0.2.3"]
    assert dns_query(pdns_servers[1], f"extra.{zone}.", "TXT") == []


async def test_reconcile_refuses_a_large_plan_without_force(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    zone = await setup(api, pdns_servers, records=12)
    # 5 of 13 RRsets (12 A + NS) changed on Legacy: 38 % > 30 %.
    await patch_directly(
        pdns_servers[2], zone, *(replace(f"h{i}.{zone}.", "A", "198.51.100.1") for i in range(5))
    )
    source = (await api.client.get("/api/settings/powerdns")).json()[0]["id"]
    url = f"/api/sync/zones/{zone}/reconcile"

    refused = await api.client.post(url, json={"source": source, "dry_run": False})

    assert refused.status_code == 409, refused.text
    assert refused.json()["refused"] is True and refused.json()["safe"] is False
    assert dns_query(pdns_servers[2], f"h0.{zone}.", "A") == ["198.51.100.1"]

    forced = await api.client.post(url, json={"source": source, "dry_run": False, "force": True})

    assert forced.status_code == 200, forced.text
    assert (await diff(api, zone))["in_sync"] is True
    for i in range(5):
        assert dns_query(pdns_servers[2], f"h{i}.{zone}.", "A") == [f"192.0.2.{i + 1}"]


async def test_a_zone_missing_on_one_server_is_reported_and_recreated(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    zone = await setup(api, pdns_servers)
    async with pdns_api(pdns_servers[2]) as direct:
        assert (await direct.delete(f"/zones/{zone}.")).status_code == 204

    status = (await api.client.get("/api/sync/status")).json()
    entry = next(z for z in status["zones"] if z["zone"] == zone)
    assert (entry["status"], entry["missing_on"]) == ("missing", ["Legacy PowerDNS"])
    assert (await diff(api, zone))["servers"][1]["status"] == "missing"

    source = (await api.client.get("/api/settings/powerdns")).json()[1]["id"]
    applied = await api.client.post(
        f"/api/sync/zones/{zone}/reconcile", json={"source": source, "dry_run": False}
    )

    assert applied.status_code == 200, applied.text
    assert applied.json()["servers"][1]["create_zone"] is True
    assert (applied.json()["queued_servers"], applied.json()["warnings"]) == ([], [])
    assert dns_rcode(pdns_servers[2], f"{zone}.") == "NOERROR"
    assert dns_query(pdns_servers[2], f"h1.{zone}.", "A") == ["192.0.2.2"]
    assert (await diff(api, zone))["in_sync"] is True
    deep = (await api.client.get("/api/sync/status", params={"deep": "true"})).json()
    assert next(z for z in deep["zones"] if z["zone"] == zone)["status"] == "in_sync"


async def test_case_of_a_target_is_no_drift_and_comments_are_reconciled(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    zone = await setup(api, pdns_servers)
    assert (await add(api, zone, "alias", "CNAME", f"h0.{zone}.")).status_code == 201
    note = {"content": "added by hand", "account": "ops", "modified_at": 1_700_000_000}
    await patch_directly(
        pdns_servers[1],
        zone,
        replace(f"alias.{zone}.", "CNAME", f"H0.{zone.upper()}."),
        replace(f"h1.{zone}.", "A", "192.0.2.2") | {"comments": [note]},
    )

    body = await diff(api, zone)

    # Only the comment differs: DNS names compare without case.
    secondary = body["servers"][0]
    assert secondary["status"] == "drifted"
    assert [d["name"] for d in secondary["different"]] == [f"h1.{zone}"]
    assert secondary["different"][0]["server"]["comments"] == [
        {"content": "added by hand", "account": "ops"}
    ]
    source = (await api.client.get("/api/settings/powerdns")).json()[0]["id"]
    url = f"/api/sync/zones/{zone}/reconcile"
    plan = (await api.client.post(url, json={"source": source})).json()["servers"][0]
    assert [r["name"] for r in plan["updates"]] == [f"h1.{zone}"]

    applied = await api.client.post(url, json={"source": source, "dry_run": False})

    assert applied.status_code == 200, applied.text
    assert (await diff(api, zone))["in_sync"] is True
    after = await pdns_zone(pdns_servers[1], zone)
    h1 = next(r for r in after["rrsets"] if r["name"] == f"h1.{zone}." and r["type"] == "A")
    assert h1["comments"] == []
    again = (await api.client.post(url, json={"source": source})).json()["servers"][0]
    assert (again["creates"], again["updates"], again["deletes"]) == ([], [], [])


async def test_the_zone_page_shows_the_last_check_whoever_ran_it(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    zone = await setup(api, pdns_servers, records=1)
    before = await api.client.get(f"/api/zones/{zone}")
    assert before.status_code == 200, before.text
    assert before.json()["drift"] is None  # no check has seen it yet
    await patch_directly(pdns_servers[2], zone, replace(f"h0.{zone}.", "A", "203.0.113.9"))

    assert (await api.client.get("/api/sync/status")).status_code == 200

    # Another DNSMate process on the same database (or any browser tab) reads the result.
    other = await sync_api(api_factory, sqlite_url)
    for reader in (api, other):
        detail = (await reader.client.get(f"/api/zones/{zone}")).json()
        assert detail["drift"]["status"] == "drifted", detail
        assert detail["drift"]["drifted_on"] == [pdns_servers[2].name]
        assert detail["drift"]["checked_at"]
    # Repaired behind DNSMate's back again: the next check clears the flag.
    await patch_directly(pdns_servers[2], zone, replace(f"h0.{zone}.", "A", "192.0.2.1"))
    assert (await api.client.get("/api/sync/status", params={"deep": "true"})).status_code == 200
    assert (await other.client.get(f"/api/zones/{zone}")).json()["drift"]["status"] == "in_sync"
