"""Server lifecycle on real servers: a fourth, empty PowerDNS is onboarded from the
Primary (plan, seeding job, a write during seeding), then retired."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.models import PowerDNSSettings
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.fleetutil import Gate, empty_server, poll_job, zones_of
from tests.integration.syncutil import (
    add,
    create_zone,
    pdns_api,
    pdns_zone,
    rrsets_without_serial,
    sync_api,
)

FOURTH = "Fourth PowerDNS"


@pytest.fixture
def fourth(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    """A fourth PowerDNS server, empty, for this test only."""
    with empty_server(tmp_path, FOURTH) as server:
        yield server


@pytest.fixture
async def fleet(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns_servers: list[LocalPowerDNS],
    fourth: LocalPowerDNS,
) -> AsyncIterator[tuple[Api, list[dict[str, Any]], list[str]]]:
    """Primary and Secondary as write targets, Legacy not, zones with records; the fourth
    server added with multi-server mode off."""
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(
        api.client, [*pdns_servers, fourth], (True, True, False, False)
    )
    # "0" sorts before the session's other zones: seeding copies this one first.
    zones = [unique_zone("0life"), unique_zone("life"), unique_zone("life")]
    for i, zone in enumerate(zones):
        assert (await create_zone(api, zone)).status_code == 201
        for n in range(12):
            created = await add(api, zone, f"h{n}", "A", f"192.0.2.{n + 1}")
            assert created.status_code == 201, created.text
        assert (await add(api, zone, "txt", "TXT", f'"zone {i}"')).status_code == 201
    yield api, servers, zones


async def test_onboarding_copies_every_zone_and_replays_a_write_made_during_seeding(
    fleet: tuple[Api, list[dict[str, Any]], list[str]],
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns_servers: list[LocalPowerDNS],
    fourth: LocalPowerDNS,
) -> None:
    api, servers, zones = fleet
    primary, new = servers[0]["id"], servers[3]["id"]

    plan = await api.client.get(f"/api/settings/powerdns/{new}/onboard/plan?source={primary}")
    assert plan.status_code == 200, plan.text
    by_zone = {z["zone"]: z for z in plan.json()["zones"]}
    for zone in zones:
        # The SOA, NS, twelve A records and a TXT: 15 RRsets to create.
        assert (by_zone[zone]["action"], by_zone[zone]["rrsets"]) == ("create", 15)
    assert plan.json()["safe"] is True
    assert await zones_of(fourth) == set()  # the plan wrote nothing

    # Hold the first zone's copy until a write has been made during seeding.
    async with api.context.sessions() as session:
        row = await session.get(PowerDNSSettings, new)
        assert row is not None
        gate = Gate()
        api.context.pool.client(row).write_lock = gate
    started = await api.client.post(
        f"/api/settings/powerdns/{new}/onboard", json={"source": primary}
    )
    assert started.status_code == 202, started.text
    job = started.json()
    assert started.headers["location"] == f"/api/jobs/{job['id']}"
    assert (job["kind"], job["status"], job["server"]) == ("onboard", "running", FOURTH)
    await asyncio.wait_for(gate.entered.wait(), timeout=60)
    listed = {s["name"]: s for s in (await api.client.get("/api/settings/powerdns")).json()}
    assert (listed[FOURTH]["lifecycle"], listed[FOURTH]["multi_server_mode"]) == ("seeding", False)

    during = await add(api, zones[0], "during", "A", "198.51.100.7")
    assert during.status_code == 201, during.text
    assert [s["server"] for s in during.json()["servers"]] == [s.name for s in pdns_servers[:2]]
    queue = (await api.client.get("/api/sync/queue")).json()["items"]
    assert [(q["server"], q["zone"], q["reason"]) for q in queue] == [
        (FOURTH, f"{zones[0]}.", "seeding")
    ]
    # Another process (a second app on the same database) polls the same job.
    other = await api_factory(sqlite_url)
    seen = await other.client.get(f"/api/jobs/{job['id']}")
    assert (seen.status_code, seen.json()["status"]) == (200, "running")
    gate.open()

    done = await poll_job(other, job["id"])
    assert done["status"] == "succeeded", done
    assert done["total"] == done["done"] >= 3
    assert done["result"]["replayed"] == 1
    assert done["result"]["failed"] == [] and done["result"]["refused"] == []
    for zone in zones:
        want = rrsets_without_serial(await pdns_zone(pdns_servers[0], zone))
        assert rrsets_without_serial(await pdns_zone(fourth, zone)) == want
        assert dns_query(fourth, f"h11.{zone}", "A") == ["192.0.2.12"]
        assert dns_query(fourth, f"txt.{zone}", "TXT") == [f'"zone {zones.index(zone)}"']
    assert dns_query(fourth, f"during.{zones[0]}", "A") == ["198.51.100.7"]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []

    # Now a write target: the next write goes to it too.
    listed = {s["name"]: s for s in (await api.client.get("/api/settings/powerdns")).json()}
    assert (listed[FOURTH]["lifecycle"], listed[FOURTH]["multi_server_mode"]) == ("active", True)
    after = await add(api, zones[1], "after", "A", "198.51.100.8")
    assert after.status_code == 201, after.text
    assert FOURTH in [s["server"] for s in after.json()["servers"]]
    for server in (*pdns_servers[:2], fourth):
        assert dns_query(server, f"after.{zones[1]}", "A") == ["198.51.100.8"]
    audit = await api.client.get("/api/audit", params={"action": "settings.server.onboard"})
    assert audit.status_code == 200, audit.text
    onboarded, begun = audit.json()["items"]  # the filter is a prefix: newest first
    assert (onboarded["action"], onboarded["target"]) == ("settings.server.onboard", FOURTH)
    assert (begun["action"], begun["target"]) == ("settings.server.onboard.start", FOURTH)
    assert "seeded from Primary PowerDNS" in onboarded["detail"]
    assert "1 queued write(s) replayed" in onboarded["detail"]


async def test_retiring_stops_writes_and_deletes_the_zones_the_targets_hold(
    fleet: tuple[Api, list[dict[str, Any]], list[str]],
    pdns_servers: list[LocalPowerDNS],
    fourth: LocalPowerDNS,
) -> None:
    api, servers, zones = fleet
    primary, new = servers[0]["id"], servers[3]["id"]
    started = await api.client.post(
        f"/api/settings/powerdns/{new}/onboard", json={"source": primary}
    )
    assert (await poll_job(api, started.json()["id"]))["status"] == "succeeded"
    async with pdns_api(fourth) as direct:  # a zone only the fourth server holds
        own = await direct.post("/zones", json={"name": "own-fourth.example.", "kind": "Native",
                                                "nameservers": ["ns1.example.net."]})  # fmt: skip
        assert own.status_code == 201, own.text

    retired = await api.client.post(
        f"/api/settings/powerdns/{new}/retire", json={"delete_zones": True}
    )
    assert retired.status_code == 202, retired.text
    job = await poll_job(api, retired.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["kept"] == ["own-fourth.example"]
    assert await zones_of(fourth) == {"own-fourth.example."}
    for zone in zones:
        assert dns_rcode(fourth, zone) == "REFUSED"
        assert dns_rcode(pdns_servers[0], zone) == "NOERROR"
    write = await add(api, zones[0], "later", "A", "198.51.100.9")
    assert write.status_code == 201, write.text
    assert FOURTH not in [s["server"] for s in write.json()["servers"]]
    for server in pdns_servers[:2]:
        assert dns_query(server, f"later.{zones[0]}", "A") == ["198.51.100.9"]

    # The last write targets cannot all be retired.
    assert (await api.client.post(f"/api/settings/powerdns/{servers[1]['id']}/retire",
                                  json={})).status_code == 202  # fmt: skip
    last = await api.client.post(f"/api/settings/powerdns/{primary}/retire", json={})
    assert last.status_code == 409, last.text
