"""Reconcile everything on two servers of this test's own: a zone missing, a zone drifted,
a parked change the repair makes moot; plan, then the job, then the DNS answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.fleetutil import empty_server, poll_job
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[list[LocalPowerDNS]]:
    """Two empty PowerDNS servers for this test only."""
    with (
        empty_server(tmp_path, "Alpha") as alpha,
        empty_server(tmp_path, "Beta") as beta,
    ):
        yield [alpha, beta]


async def test_reconcile_everything_repairs_missing_and_drifted_zones_and_resolves_parked(
    api_factory: ApiFactory, sqlite_url: str, pair: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pair, (True, True))
    alpha, beta = pair
    missing, drifted, fine = unique_zone("gone"), unique_zone("drift"), unique_zone("fine")
    for zone in (missing, drifted, fine):
        assert (await create_zone(api, zone)).status_code == 201
        assert (await add(api, zone, "www", "A", "192.0.2.1")).status_code == 201
    async with pdns_api(beta) as direct:  # behind DNSMate's back
        assert (await direct.delete(f"/zones/{missing}.")).status_code == 204
        changed = {"name": f"www.{drifted}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                   "records": [{"content": "203.0.113.66", "disabled": False}]}  # fmt: skip
        assert (await direct.patch(f"/zones/{drifted}.", json={"rrsets": [changed]})).is_success
    # Beta refuses the next change of the missing zone: parked for it.
    partial = await add(api, missing, "mail", "A", "192.0.2.25")
    assert partial.status_code == 207, partial.text
    parked = (await api.client.get("/api/sync/queue", params={"status": "parked"})).json()
    assert [(p["server"], p["zone"]) for p in parked["items"]] == [("Beta", f"{missing}.")]

    source = servers[0]["id"]
    plan = await api.client.post("/api/sync/reconcile", json={"source": source})
    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert (body["source"], body["servers"], body["checked"]) == ("Alpha", ["Beta"], 3)
    by_zone = {z["zone"]: z["servers"][0] for z in body["zones"]}
    assert set(by_zone) == {missing, drifted}
    assert by_zone[missing]["create_zone"] is True
    assert (by_zone[drifted]["changes"], by_zone[drifted]["create_zone"]) == (1, False)
    assert dns_query(beta, f"www.{drifted}", "A") == ["203.0.113.66"]  # the plan wrote nothing

    started = await api.client.post(
        "/api/sync/reconcile", json={"source": source, "dry_run": False}
    )
    assert started.status_code == 202, started.text
    job = await poll_job(api, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert sorted(job["result"]["repaired"]) == sorted([missing, drifted])
    assert job["result"]["resolved_parked"] == 1
    assert dns_query(beta, f"www.{drifted}", "A") == ["192.0.2.1"]
    assert dns_query(beta, f"mail.{missing}", "A") == ["192.0.2.25"]
    assert dns_query(alpha, f"mail.{missing}", "A") == ["192.0.2.25"]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
    resolved = await api.client.get("/api/audit", params={"action": "sync.queue.resolve"})
    assert resolved.status_code == 200, resolved.text
    events = resolved.json()["items"]
    assert len(events) == 1 and "made moot by the reconcile" in events[0]["detail"]
    # The parked write's own audit entry is complete: Beta got it by the reconcile.
    writes = await api.client.get("/api/audit", params={"zone": missing, "action": "record.create"})
    [write] = [e for e in writes.json()["items"] if e["target"].startswith(f"mail.{missing}")]
    assert write["outcome"] == "success"
    [(server, how, note)] = [(d["server"], d["how"], d["note"]) for d in write["deliveries"]]
    assert (server, how) == ("Beta", "resolved") and "made moot by the reconcile" in note
    status = (await api.client.get("/api/sync/status", params={"deep": "true"})).json()
    assert status["summary"] == {"in_sync": 3, "drifted": 0, "missing": 0, "unknown": 0}
