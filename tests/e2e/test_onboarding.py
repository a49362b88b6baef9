"""Onboarding in the browser: a fourth, empty PowerDNS server is planned, seeded with a
progress bar and only then shown as a write target; its DNS answers hold the zone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.fleetutil import empty_server

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def fourth(tmp_path: Path) -> Iterator[LocalPowerDNS]:
    with empty_server(tmp_path, "Fourth") as server:
        yield server


def zone_on_two_targets(
    dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS], prefix: str, address: str
) -> str:
    """Primary and Secondary as write targets, and a new zone with www A ``address``."""
    for server in pdns_servers[:2]:
        dnsmate.add_server(server, multi=True)
    zone = unique_zone(prefix)
    dnsmate.create_zone(zone)
    dnsmate.add_record(zone, "www", "A", address)
    return zone


def test_onboarding_shows_the_plan_then_seeds_with_progress(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS], fourth: LocalPowerDNS
) -> None:
    from playwright.sync_api import expect

    primary = pdns_servers[0]
    zone = zone_on_two_targets(dnsmate, pdns_servers, "e2e-onboard", "192.0.2.44")
    dnsmate.add_server(fourth, multi=False)

    log_in(page, dnsmate)
    page.get_by_role("link", name="Settings").click()
    card = page.locator('[data-server="Fourth"]')
    # Switched on directly, it would be a write target lacking the zone: refused, it says why.
    card.get_by_label("Multi-server mode").click()
    refused = page.locator(".outcome-failure").filter(has_text="Fourth lacks")
    expect(refused).to_contain_text("zones the write targets hold")
    expect(refused).to_contain_text("Onboard it")
    expect(card.get_by_label("Multi-server mode")).not_to_be_checked()
    card.get_by_role("button", name="Onboard…").click()
    dialog = page.get_by_role("dialog", name="Onboard Fourth")
    expect(dialog.get_by_label("Reference server (copy its zones)").locator(
        "option:checked")).to_have_text(f"{primary.name} (default)")  # fmt: skip
    dialog.get_by_role("button", name="Show plan").click()
    plan = dialog.get_by_test_id("onboard-plan")
    expect(plan).to_contain_text("zone(s) to create")
    expect(plan.locator("tr").filter(has_text=zone)).to_contain_text("create")
    assert dns_query(primary, f"www.{zone}.", "A") == ["192.0.2.44"]
    assert dns_rcode(fourth, f"{zone}.") == "REFUSED"  # the plan wrote nothing

    dialog.get_by_role("button", name="Start seeding").click()
    job = dialog.get_by_test_id("job")
    expect(job.get_by_role("progressbar")).to_be_visible()
    expect(job).to_have_attribute("data-status", "succeeded", timeout=120_000)
    expect(job).to_contain_text("Fourth is now a write target")
    assert dns_query(fourth, f"www.{zone}.", "A") == ["192.0.2.44"]
    dialog.get_by_role("button", name="Close").click()
    expect(card.locator(".badge-multi")).to_be_visible()
    expect(card.get_by_role("button", name="Retire…")).to_be_visible()


def test_a_server_added_in_multi_server_mode_waits_until_onboarded(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS], fourth: LocalPowerDNS
) -> None:
    from playwright.sync_api import expect

    zone = zone_on_two_targets(dnsmate, pdns_servers, "e2e-join", "192.0.2.45")

    log_in(page, dnsmate)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="+ Add server").click()
    form = page.get_by_role("dialog", name="Add PowerDNS server")
    form.get_by_label("Name").fill("Fourth")
    form.get_by_label("API URL").fill(fourth.api_url)
    form.get_by_label("API key").fill(fourth.api_key)
    form.get_by_label("Multi-server mode (receive every write)").check()
    expect(form.get_by_test_id("join-note")).to_contain_text("not onboarded")
    form.get_by_role("button", name="Add server").click()

    added = page.get_by_role("dialog", name="Fourth added")
    expect(added.get_by_test_id("onboarding-needed")).to_contain_text(
        "Fourth is not a write target yet"
    )
    card = page.locator('[data-server="Fourth"]')
    expect(card).to_contain_text("Not onboarded")
    expect(card.get_by_role("checkbox", name="Multi-server mode")).to_be_disabled()
    # Not a target: a write now succeeds (201) on the two targets alone, nothing for it.
    dnsmate.add_record(zone, "mid", "A", "192.0.2.46")
    assert dns_rcode(fourth, f"{zone}.") == "REFUSED"

    added.get_by_role("button", name="Onboard now…").click()
    dialog = page.get_by_role("dialog", name="Onboard Fourth")
    dialog.get_by_role("button", name="Show plan").click()
    expect(
        dialog.get_by_test_id("onboard-plan").locator("tr").filter(has_text=zone)
    ).to_contain_text("create")
    dialog.get_by_role("button", name="Start seeding").click()
    job = dialog.get_by_test_id("job")
    expect(job).to_have_attribute("data-status", "succeeded", timeout=120_000)
    assert dns_query(fourth, f"mid.{zone}.", "A") == ["192.0.2.46"]
    dialog.get_by_role("button", name="Close").click()
    expect(card.locator(".badge-multi")).to_be_visible()
    expect(card).not_to_contain_text("Not onboarded")


def test_cancel_job_stops_an_onboarding_between_zones(
    page: Page, dnsmate: LiveDNSMate, tmp_path: Path, fourth: LocalPowerDNS
) -> None:
    """A source of its own with many zones, so that the seeding is still running when the
    button is pressed; the job must end cancelled with only part of them copied."""
    import httpx
    from playwright.sync_api import expect

    with empty_server(tmp_path, "Many") as many:
        with httpx.Client(base_url=f"{many.api_url}/api/v1/servers/localhost",
                          headers={"X-API-Key": many.api_key}) as direct:  # fmt: skip
            for i in range(400):
                body = {"name": f"z{i:04d}.cancel.example.", "kind": "Native",
                        "nameservers": ["ns1.example.net."]}  # fmt: skip
                direct.post("/zones", json=body).raise_for_status()
        dnsmate.add_server(many, multi=True)
        server_id = dnsmate.add_server(fourth, multi=False)

        log_in(page, dnsmate)
        page.get_by_role("link", name="Settings").click()
        page.locator('[data-server="Fourth"]').get_by_role("button", name="Onboard…").click()
        dialog = page.get_by_role("dialog", name="Onboard Fourth")
        dialog.get_by_role("button", name="Show plan").click()
        expect(dialog.get_by_test_id("onboard-plan")).to_contain_text("400")
        dialog.get_by_role("button", name="Start seeding").click()
        dialog.get_by_role("button", name="Cancel job").click()
        job = dialog.get_by_test_id("job")
        expect(job).to_have_attribute("data-status", "cancelled", timeout=120_000)
        expect(job).to_contain_text("Fourth is pending, not a write target")
        copied = dnsmate.api.get(f"/api/jobs?server_id={server_id}").json()[0]
        assert copied["status"] == "cancelled" and copied["done"] < 400
        card = page.locator('[data-server="Fourth"]')
        dialog.get_by_role("button", name="Close").click()
        expect(card).to_contain_text("Not onboarded")
