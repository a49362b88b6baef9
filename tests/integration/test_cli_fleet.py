"""``dnsmate servers add --seed-from``, ``servers retire`` and ``sync reconcile-all`` against a
live DNSMate, the session's PowerDNS servers and a fourth, empty one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import LiveServer
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.fleetutil import empty_server
from tests.integration.test_cli import Cli, cli, create_zone  # noqa: F401  (the fixture)


@pytest.fixture
def fourth(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    with empty_server(tmp_path, "Fourth") as server:
        yield server


async def test_add_with_seed_from_then_retire_with_its_zones(
    cli: Cli,  # noqa: F811
    live_server: LiveServer,
    pdns_servers: list[LocalPowerDNS],
    fourth: LocalPowerDNS,
) -> None:
    async with live_server.client() as client:
        await register_servers(client, pdns_servers[:2], (True, True))
    zone = unique_zone("clifleet")
    create_zone(cli, zone)
    assert cli("records", "add", zone, "www", "A", "192.0.2.80").exit_code == 0

    added = cli("servers", "add", "Fourth", "--url", fourth.api_url, "--api-key", fourth.api_key,
                "--seed-from", "Primary PowerDNS", "--yes")  # fmt: skip

    assert added.exit_code == 0, added.output
    assert "Onboard Fourth from Primary PowerDNS" in added.stdout
    assert "Fourth is a write target" in added.stdout
    assert dns_query(fourth, f"www.{zone}", "A") == ["192.0.2.80"]
    listed = {s["name"]: s for s in cli.json("servers", "list")}  # type: ignore[union-attr]
    assert listed["Fourth"]["multi_server_mode"] is True  # type: ignore[index]
    jobs = cli.json("jobs", "list")
    assert isinstance(jobs, list)
    onboarded = next(j for j in jobs if j["kind"] == "onboard" and j["server"] == "Fourth")
    assert onboarded["status"] == "succeeded"
    ended = cli("jobs", "cancel", str(onboarded["id"]))
    assert ended.exit_code == 1
    assert "only a running job can be cancelled" in ended.output

    plan = cli("sync", "reconcile-all", "--source", "Primary PowerDNS")
    assert plan.exit_code in (0, 3), plan.output  # 3: other tests' zones differ
    assert "zones checked" in plan.stdout

    retired = cli("servers", "retire", "Fourth", "--delete-zones", "--yes")
    assert retired.exit_code == 0, retired.output
    assert "Fourth retired" in retired.stdout
    assert dns_rcode(fourth, zone) == "REFUSED"
    assert dns_query(pdns_servers[1], f"www.{zone}", "A") == ["192.0.2.80"]
