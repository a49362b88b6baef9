"""Cancelling a fleet job on real servers: an onboarding stops between two zones, the server
is pending again (no write target, its queued writes dropped), and onboarding it again
copies everything, the dropped writes included."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.models import PowerDNSSettings
from tests.conftest import ApiFactory, login_as_role
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.fleetutil import Gate, empty_server, poll_job, zones_of
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api

FOURTH = "Cancelled PowerDNS"


@pytest.fixture
def fourth(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    with empty_server(tmp_path, FOURTH) as server:
        yield server


async def test_a_cancelled_onboarding_stops_between_zones_and_leaves_the_server_pending(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns_servers: list[LocalPowerDNS],
    fourth: LocalPowerDNS,
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, [*pdns_servers[:2], fourth], (True, True, False))
    primary, new = servers[0]["id"], servers[2]["id"]
    # "0000" sorts before the session's other zones: the job copies this one first.
    zones = [unique_zone("0000cancel"), unique_zone("cancel")]
    for zone in zones:
        assert (await create_zone(api, zone)).status_code == 201
        assert (await add(api, zone, "www", "A", "192.0.2.50")).status_code == 201

    async with api.context.sessions() as session:
        row = await session.get(PowerDNSSettings, new)
        assert row is not None
        gate = Gate()  # holds the first zone's copy until the cancel is asked for
        api.context.pool.client(row).write_lock = gate
    started = await api.client.post(f"/api/settings/powerdns/{new}/onboard",
                                    json={"source": primary})  # fmt: skip
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    await asyncio.wait_for(gate.entered.wait(), timeout=60)
    during = await add(api, zones[1], "during", "A", "198.51.100.9")
    assert during.status_code == 201, during.text
    queue = (await api.client.get("/api/sync/queue")).json()["items"]
    assert [(q["server"], q["reason"]) for q in queue] == [(FOURTH, "seeding")]

    # Only admins, as for starting it.
    async with login_as_role(api, "editor") as editor:
        denied = await editor.post(f"/api/jobs/{job_id}/cancel")
        assert denied.status_code == 403, denied.text
    asked = await api.client.post(f"/api/jobs/{job_id}/cancel")
    assert asked.status_code == 202, asked.text
    assert (asked.json()["status"], asked.json()["cancel_requested"]) == ("running", True)
    assert (await api.client.post(f"/api/jobs/{job_id}/cancel")).status_code == 202
    gate.open()

    job = await poll_job(api, job_id)
    assert job["status"] == "cancelled", job
    assert job["cancelled_by"] == "admin@example.com"
    assert job["error"].startswith("cancelled by admin@example.com after 1 of ")
    assert f"{FOURTH} is pending" in job["error"]
    assert (job["done"], job["result"]["created"], job["result"]["dropped_queue"]) == (1, 1, 1)
    # Stopped between zones: the first zone is there, the next one is not.
    held = await zones_of(fourth)
    assert f"{zones[0]}." in held and f"{zones[1]}." not in held
    listed = {s["name"]: s for s in (await api.client.get("/api/settings/powerdns")).json()}
    assert (listed[FOURTH]["lifecycle"], listed[FOURTH]["multi_server_mode"]) == ("pending", False)
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
    after = await add(api, zones[0], "after", "A", "198.51.100.10")
    assert after.status_code == 201, after.text
    assert FOURTH not in [s["server"] for s in after.json()["servers"]]
    audit = (await api.client.get("/api/audit", params={"action": "job.cancel"})).json()
    assert [e["target"] for e in audit["items"]] == [f"job {job_id}"]
    ended = await api.client.post(f"/api/jobs/{job_id}/cancel")
    assert ended.status_code == 409 and "is cancelled" in ended.json()["message"]

    again = await api.client.post(f"/api/settings/powerdns/{new}/onboard",
                                  json={"source": primary})  # fmt: skip
    assert (await poll_job(api, again.json()["id"]))["status"] == "succeeded"
    assert dns_query(fourth, f"during.{zones[1]}", "A") == ["198.51.100.9"]
    assert dns_query(fourth, f"after.{zones[0]}", "A") == ["198.51.100.10"]


async def test_a_cancelled_reconcile_everything_keeps_what_it_repaired(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns_servers[:2], (True, True))
    # "00000" sorts before every other zone of the session: these are repaired first.
    zones = sorted([unique_zone("00000rc"), unique_zone("00000rc")])
    for zone in zones:
        assert (await create_zone(api, zone)).status_code == 201
        async with pdns_api(pdns_servers[1]) as direct:  # lost behind DNSMate's back
            assert (await direct.delete(f"/zones/{zone}.")).status_code == 204

    async with api.context.sessions() as session:
        row = await session.get(PowerDNSSettings, servers[1]["id"])
        assert row is not None
        gate = Gate()  # holds the first repair until the cancel is asked for
        api.context.pool.client(row).write_lock = gate
    started = await api.client.post(
        "/api/sync/reconcile", json={"source": servers[0]["id"], "dry_run": False}
    )
    assert started.status_code == 202, started.text
    await asyncio.wait_for(gate.entered.wait(), timeout=60)
    asked = await api.client.post(f"/api/jobs/{started.json()['id']}/cancel")
    assert asked.status_code == 202, asked.text
    gate.open()

    job = await poll_job(api, started.json()["id"])
    assert job["status"] == "cancelled", job
    assert job["done"] == 1 and job["result"]["repaired"] == [zones[0]]
    assert "the others left as they were" in job["error"]
    assert dns_rcode(pdns_servers[1], f"{zones[0]}.") == "NOERROR"
    assert dns_rcode(pdns_servers[1], f"{zones[1]}.") == "REFUSED"
