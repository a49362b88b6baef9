"""Adding a server with multi-server mode on, on real servers: while the write targets hold
zones it is added pending (no write target) until onboarded, or onboarded at once with
seed_from; to targets that hold no zone it joins at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.fleetutil import empty_server, poll_job, zones_of
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api

NEW = "New PowerDNS"


@pytest.fixture
def new(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    with empty_server(tmp_path, NEW) as server:
        yield server


def body(server: LocalPowerDNS, **extra: Any) -> dict[str, Any]:
    return {"name": server.name, "api_url": server.api_url, "api_key": server.api_key,
            "multi_server_mode": True, "timeout_seconds": 3, **extra}  # fmt: skip


async def listed(api: Api, name: str) -> dict[str, Any]:
    servers = {s["name"]: s for s in (await api.client.get("/api/settings/powerdns")).json()}
    return servers[name]


@pytest.fixture
async def targets(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> tuple[Api, list[dict[str, Any]], str]:
    """Primary and Secondary as write targets holding a new zone."""
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = unique_zone("join")
    assert (await create_zone(api, zone)).status_code == 201
    return api, servers, zone


async def test_a_server_added_to_targets_holding_zones_waits_for_onboarding(
    targets: tuple[Api, list[dict[str, Any]], str],
    pdns_servers: list[LocalPowerDNS],
    new: LocalPowerDNS,
) -> None:
    api, servers, zone = targets

    added = await api.client.post("/api/settings/powerdns", json=body(new))
    assert added.status_code == 201, added.text
    server = added.json()
    assert (server["lifecycle"], server["multi_server_mode"]) == ("pending", False)
    assert server["job"] is None
    assert "Onboard it" in server["onboarding"]
    assert f"/api/settings/powerdns/{server['id']}/onboard" in server["onboarding"]

    # The next write goes to the two targets only: 201, nothing queued or parked.
    write = await add(api, zone, "www", "A", "192.0.2.10")
    assert write.status_code == 201, write.text
    assert [s["server"] for s in write.json()["servers"]] == [s.name for s in pdns_servers[:2]]
    assert (await api.client.get("/api/sync/queue")).json()["items"] == []
    assert await zones_of(new) == set()

    # Not made a write target behind the onboarding's back.
    refused = await api.client.put(
        f"/api/settings/powerdns/{server['id']}", json={"multi_server_mode": True}
    )
    assert refused.status_code == 409, refused.text
    assert "not onboarded yet" in refused.json()["message"]
    assert (await listed(api, NEW))["multi_server_mode"] is False

    started = await api.client.post(
        f"/api/settings/powerdns/{server['id']}/onboard", json={"source": servers[0]["id"]}
    )
    assert started.status_code == 202, started.text
    assert (await poll_job(api, started.json()["id"]))["status"] == "succeeded"
    assert dns_query(new, f"www.{zone}", "A") == ["192.0.2.10"]
    now = await listed(api, NEW)
    assert (now["lifecycle"], now["multi_server_mode"]) == ("active", True)
    after = await add(api, zone, "after", "A", "192.0.2.11")
    assert after.status_code == 201, after.text
    assert dns_query(new, f"after.{zone}", "A") == ["192.0.2.11"]


async def test_seed_from_onboards_the_new_server_at_once(
    targets: tuple[Api, list[dict[str, Any]], str],
    pdns_servers: list[LocalPowerDNS],
    new: LocalPowerDNS,
) -> None:
    api, servers, zone = targets
    assert (await add(api, zone, "www", "A", "192.0.2.20")).status_code == 201

    missing = await api.client.post("/api/settings/powerdns", json=body(new, seed_from=999))
    assert missing.status_code == 404, missing.text
    assert "source server 999" in missing.json()["message"]
    assert NEW not in {s["name"] for s in (await api.client.get("/api/settings/powerdns")).json()}

    added = await api.client.post(
        "/api/settings/powerdns", json=body(new, seed_from=servers[0]["id"])
    )
    assert added.status_code == 201, added.text
    job = added.json()["job"]
    assert (job["kind"], job["server"], job["source"]) == ("onboard", NEW, pdns_servers[0].name)
    assert added.json()["lifecycle"] == "seeding"
    assert (await poll_job(api, job["id"]))["status"] == "succeeded"
    assert dns_query(new, f"www.{zone}", "A") == ["192.0.2.20"]
    assert (await listed(api, NEW))["multi_server_mode"] is True


async def test_a_server_added_to_targets_without_zones_joins_at_once(
    api_factory: ApiFactory, sqlite_url: str, tmp_path: Path, new: LocalPowerDNS
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    with empty_server(tmp_path, "First PowerDNS") as first:
        assert (
            await api.client.post("/api/settings/powerdns", json=body(first))
        ).status_code == 201
        added = await api.client.post("/api/settings/powerdns", json=body(new))
        assert added.status_code == 201, added.text
        assert (added.json()["lifecycle"], added.json()["multi_server_mode"]) == ("active", True)
        assert added.json()["onboarding"] is None
        zone = unique_zone("fresh")
        created = await create_zone(api, zone)
        assert created.status_code == 201, created.text
        assert [s["server"] for s in created.json()["servers"]] == [first.name, NEW]
        assert dns_query(new, zone, "SOA")


async def test_switching_on_a_server_that_lacks_the_targets_zones_is_refused(
    targets: tuple[Api, list[dict[str, Any]], str],
    pdns_servers: list[LocalPowerDNS],
    new: LocalPowerDNS,
) -> None:
    api, _servers, zone = targets
    added = await api.client.post("/api/settings/powerdns", json=body(new, multi_server_mode=False))
    assert added.status_code == 201, added.text
    server = added.json()
    assert (server["lifecycle"], server["onboarding"]) == ("active", None)

    refused = await api.client.put(
        f"/api/settings/powerdns/{server['id']}", json={"multi_server_mode": True}
    )
    assert refused.status_code == 409, refused.text
    message = refused.json()["message"]
    assert f"{NEW} lacks " in message and "zones the write targets hold" in message
    assert f"/api/settings/powerdns/{server['id']}/onboard" in message
    assert '"force_join": true' in message
    assert (await listed(api, NEW))["multi_server_mode"] is False
    write = await add(api, zone, "www", "A", "192.0.2.30")
    assert write.status_code == 201, write.text
    assert [s["server"] for s in write.json()["servers"]] == [s.name for s in pdns_servers[:2]]

    forced = await api.client.put(
        f"/api/settings/powerdns/{server['id']}",
        json={"multi_server_mode": True, "force_join": True},
    )
    assert forced.status_code == 200, forced.text
    assert forced.json()["multi_server_mode"] is True
    audit = await api.client.get("/api/audit", params={"action": "settings.server.update"})
    assert "force_join" in audit.json()["items"][0]["detail"], audit.text


async def test_the_zone_check_reads_the_server_a_change_points_at(
    targets: tuple[Api, list[dict[str, Any]], str],
    pdns_servers: list[LocalPowerDNS],
    new: LocalPowerDNS,
) -> None:
    api, _servers, zone = targets
    holding = pdns_servers[0]  # a write target: it holds the zone
    # Registered at the empty server's address, switched on at the holding one's at once:
    # the check reads the holding server, so it joins.
    added = await api.client.post("/api/settings/powerdns", json=body(new, multi_server_mode=False))
    assert added.status_code == 201, added.text
    url = f"/api/settings/powerdns/{added.json()['id']}"
    moved = {"api_url": holding.api_url, "api_key": holding.api_key, "multi_server_mode": True}
    joined = await api.client.put(url, json=moved)
    assert joined.status_code == 200, joined.text
    assert joined.json()["api_url"] == holding.api_url

    # Back off, then pointed at the empty server and switched on in one change: refused,
    # though the address it had (the holding server) holds every zone.
    assert (await api.client.put(url, json={"multi_server_mode": False})).status_code == 200
    back = {"api_url": new.api_url, "multi_server_mode": True}
    # Without the key again, nothing is sent there (the stored key never follows an address).
    keyless = await api.client.put(url, json=back)
    assert keyless.status_code == 422, keyless.text
    assert keyless.json()["field"] == "api_key"
    refused = await api.client.put(url, json={**back, "api_key": new.api_key})
    assert refused.status_code == 409, refused.text
    assert f"{NEW} lacks " in refused.json()["message"], refused.text
    assert (await listed(api, NEW))["api_url"] == holding.api_url
    write = await add(api, zone, "www", "A", "192.0.2.31")
    assert write.status_code == 201, write.text


async def test_a_server_holding_every_zone_joins_and_a_retired_one_is_checked_again(
    api_factory: ApiFactory, sqlite_url: str, tmp_path: Path, new: LocalPowerDNS
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    with empty_server(tmp_path, "First PowerDNS") as first:
        assert (
            await api.client.post("/api/settings/powerdns", json=body(first))
        ).status_code == 201
        added = await api.client.post(
            "/api/settings/powerdns", json=body(new, multi_server_mode=False)
        )
        assert added.status_code == 201, added.text
        url = f"/api/settings/powerdns/{added.json()['id']}"
        zone = unique_zone("lacking")
        assert (await create_zone(api, zone)).status_code == 201

        refused = await api.client.put(url, json={"multi_server_mode": True})
        assert refused.status_code == 409, refused.text
        assert (
            f"{NEW} lacks 1 of the 1 zones the write targets hold ({zone})"
            in (refused.json()["message"])
        )

        # Holding every zone (contents aside: drift is reconcile's business), it joins.
        async with pdns_api(new) as direct:
            made = await direct.post("/zones", json={"name": f"{zone}.", "kind": "Native"})
            assert made.status_code == 201, made.text
        joined = await api.client.put(url, json={"multi_server_mode": True})
        assert joined.status_code == 200, joined.text
        assert joined.json()["multi_server_mode"] is True

        # Retired (active, not a target), it misses the next zone: refused again.
        retired = await api.client.post(f"{url}/retire", json={"delete_zones": False})
        assert retired.status_code == 202, retired.text
        assert (await poll_job(api, retired.json()["id"]))["status"] == "succeeded"
        later = unique_zone("later")
        created = await create_zone(api, later)
        assert [s["server"] for s in created.json()["servers"]] == [first.name]
        again = await api.client.put(url, json={"multi_server_mode": True})
        assert again.status_code == 409, again.text
        assert (
            f"lacks 1 of the 2 zones the write targets hold ({later})" in (again.json()["message"])
        )
