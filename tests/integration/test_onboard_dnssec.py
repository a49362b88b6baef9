"""Signed zones copied onto another server, on real servers: onboarding and reconcile import
the source's DNSSEC keys, so both servers serve the same DNSKEY set (same key tags) and
each one's signatures verify with the other's keys, checked over DNS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dns.dnssec
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api, ApiFactory
from tests.integration.conftest import register_servers, unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.fleetutil import empty_server, poll_job
from tests.integration.syncutil import add, create_zone, pdns_api, sync_api
from tests.integration.test_dnssec import signed_answer, validate

NEW = "Signed New PowerDNS"


@pytest.fixture
def new(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    with empty_server(tmp_path, NEW) as server:
        yield server


async def signed_zone(api: Api, prefix: str) -> str:
    """A zone with a record, signed by DNSMate on every write target."""
    zone = unique_zone(prefix)
    assert (await create_zone(api, zone)).status_code == 201
    assert (await add(api, zone, "www", "A", "192.0.2.30")).status_code == 201
    signed = await api.client.post(f"/api/zones/{zone}/dnssec", json={})
    assert signed.status_code == 200, signed.text
    return zone


def key_tags(server: LocalPowerDNS, apex: str) -> set[int]:
    keys, _sig = signed_answer(server, apex, "DNSKEY")
    return {dns.dnssec.key_id(key) for key in keys}


def assert_same_keys(source: LocalPowerDNS, copy: LocalPowerDNS, zone: str) -> None:
    apex = f"{zone}."
    assert dns_query(source, apex, "DNSKEY")
    assert dns_query(copy, apex, "DNSKEY") == dns_query(source, apex, "DNSKEY")
    assert key_tags(copy, apex) == key_tags(source, apex)
    # The copy's signatures verify with the keys the source serves, and carry their tags.
    source_keys, _sig = signed_answer(source, apex, "DNSKEY")
    validate(copy, f"www.{zone}.", "A", apex, source_keys)
    _rrset, rrsig = signed_answer(copy, f"www.{zone}.", "A")
    assert {sig.key_tag for sig in rrsig} <= key_tags(source, apex)


async def test_onboarding_imports_the_keys_of_a_signed_zone(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns_servers: list[LocalPowerDNS],
    new: LocalPowerDNS,
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, [*pdns_servers[:2], new], (True, True, False))
    primary, target = servers[0]["id"], servers[2]["id"]
    zone = await signed_zone(api, "0signed")

    plan = await api.client.get(f"/api/settings/powerdns/{target}/onboard/plan?source={primary}")
    assert plan.status_code == 200, plan.text
    assert {z["zone"]: z["dnssec"] for z in plan.json()["zones"]}[zone] is True

    started = await api.client.post(
        f"/api/settings/powerdns/{target}/onboard", json={"source": primary}
    )
    assert started.status_code == 202, started.text
    job = await poll_job(api, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert dns_query(new, f"www.{zone}.", "A") == ["192.0.2.30"]
    assert_same_keys(pdns_servers[0], new, zone)
    assert job["result"]["signed"] >= 1


async def test_reconcile_creates_a_missing_signed_zone_with_its_keys(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = await signed_zone(api, "resigned")
    async with pdns_api(pdns_servers[1]) as direct:  # lost behind DNSMate's back
        assert (await direct.delete(f"/zones/{zone}.")).status_code == 204

    repaired = await api.client.post(
        f"/api/sync/zones/{zone}/reconcile",
        json={"source": servers[0]["id"], "dry_run": False},
    )
    assert repaired.status_code == 200, repaired.text
    assert all(r["success"] for r in repaired.json()["results"]), repaired.text
    assert dns_query(pdns_servers[1], f"www.{zone}.", "A") == ["192.0.2.30"]
    assert_same_keys(pdns_servers[0], pdns_servers[1], zone)


async def test_reconcile_imports_the_keys_where_the_signed_zone_is_held_unsigned(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await sync_api(api_factory, sqlite_url)
    servers = await register_servers(api.client, pdns_servers[:2], (True, True))
    zone = await signed_zone(api, "unsigned")
    async with pdns_api(pdns_servers[1]) as direct:  # its keys lost behind DNSMate's back
        listed = await direct.get(f"/zones/{zone}./cryptokeys")
        assert listed.status_code == 200 and listed.json(), listed.text
        for key in listed.json():
            removed = await direct.delete(f"/zones/{zone}./cryptokeys/{key['id']}")
            assert removed.status_code == 204, removed.text
    assert dns_query(pdns_servers[1], f"{zone}.", "DNSKEY") == []

    url = f"/api/sync/zones/{zone}/reconcile"
    planned = await api.client.post(url, json={"source": servers[0]["id"], "dry_run": True})
    assert planned.status_code == 200, planned.text
    (other,) = planned.json()["servers"]
    assert (other["server"], other["create_zone"], other["copy_keys"]) == (
        pdns_servers[1].name, False, True,
    )  # fmt: skip
    repaired = await api.client.post(url, json={"source": servers[0]["id"], "dry_run": False})
    assert repaired.status_code == 200, repaired.text
    assert repaired.json()["results"], repaired.text
    assert all(r["success"] for r in repaired.json()["results"]), repaired.text
    assert_same_keys(pdns_servers[0], pdns_servers[1], zone)
    again = await api.client.post(url, json={"source": servers[0]["id"], "dry_run": True})
    assert again.json()["servers"][0]["copy_keys"] is False
