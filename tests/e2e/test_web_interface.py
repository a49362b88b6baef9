"""The web interface in Debian's Chromium against a live DNSMate and real PowerDNS servers.

What the browser shows is checked against the DNS answers of the servers themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate, add_rrsets_directly
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query, dns_rcode
from tests.integration.fleetutil import empty_server

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _expect():  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    return expect


def go_to(page: Page, section: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=section).click()


def add_record_in_dialog(page: Page, name: str, rtype: str, content: str) -> None:
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Type", exact=True).select_option(rtype)
    dialog.get_by_label("Content", exact=True).fill(content)
    dialog.get_by_role("button", name="Add record").click()


@pytest.fixture
def two_empty(tmp_path: Path) -> Iterator[tuple[LocalPowerDNS, LocalPowerDNS]]:
    """Two PowerDNS servers of the test's own, holding no zone (the session's servers hold
    different zones: switching the second on would be refused as lacking the first's)."""
    with (
        empty_server(tmp_path, "Primary PowerDNS") as primary,
        empty_server(tmp_path, "Secondary PowerDNS") as secondary,
    ):
        yield primary, secondary


def test_log_in_add_servers_and_switch_multi_server_mode(
    page: Page, dnsmate: LiveDNSMate, two_empty: tuple[LocalPowerDNS, LocalPowerDNS]
) -> None:
    expect = _expect()
    primary, secondary = two_empty
    log_in(page, dnsmate)
    go_to(page, "Settings")
    page.get_by_role("heading", name="PowerDNS servers").wait_for()

    for server in (primary, secondary):
        page.get_by_role("button", name="+ Add server").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Name", exact=True).fill(server.name)
        dialog.get_by_label("API URL").fill(server.api_url)
        dialog.get_by_label("API key").fill(server.api_key)
        dialog.get_by_role("button", name="Add server").click()
        expect(dialog).to_be_hidden()
        expect(page.locator(".outcome-success").filter(has_text=f"Add server {server.name}"))

    first = page.locator(f'[data-server="{primary.name}"]')
    second = page.locator(f'[data-server="{secondary.name}"]')
    expect(first).to_contain_text("Default")
    expect(first).to_contain_text("📍 Disabled")
    expect(first).to_contain_text("Healthy")
    expect(second).to_contain_text("Healthy")
    targets = page.get_by_test_id("write-targets")
    expect(targets).to_contain_text(f"default server {primary.name} alone")
    assert primary.api_key not in page.content()

    first.get_by_role("button", name="Test connection").click()
    expect(first.get_by_test_id("test-result")).to_contain_text("Connected: PowerDNS")

    first.get_by_label("Multi-server mode").click()
    expect(first).to_contain_text("🌐 Enabled")
    expect(targets).to_contain_text(f"1 server in multi-server mode: {primary.name}")
    second.get_by_label("Multi-server mode").click()
    expect(second).to_contain_text("🌐 Enabled")
    expect(targets).to_contain_text(
        f"2 servers in multi-server mode: {primary.name}, {secondary.name}"
    )
    expect(first.locator(".badge-multi")).to_have_css("color", "rgb(109, 40, 217)")

    stored = dnsmate.api.get("/api/settings/powerdns").json()
    assert [(s["name"], s["multi_server_mode"]) for s in stored] == [
        (primary.name, True),
        (secondary.name, True),
    ]


def test_zone_and_record_changes_show_the_result_per_server(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    expect = _expect()
    primary, secondary, legacy = pdns_servers
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    dnsmate.add_server(legacy, multi=False)
    zone = unique_zone("e2e")
    both = f"{primary.name}, {secondary.name}"
    log_in(page, dnsmate)

    go_to(page, "Zones")
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill(zone)
    dialog.get_by_label("Name servers").fill("ns1.example.net ns2.example.net")
    dialog.get_by_role("button", name="Create zone").click()
    created = page.locator(".outcome-success").filter(has_text=f"Create zone {zone}")
    expect(created).to_contain_text(f"Applied on: {both}")
    expect(page.get_by_role("heading", name=zone)).to_be_visible()
    expect(page.get_by_test_id("zone-servers")).to_have_text(both)
    assert dns_query(primary, zone, "NS") == ["ns1.example.net.", "ns2.example.net."]
    assert dns_rcode(legacy, zone) == "REFUSED"

    # The server's 422 is shown next to the field it names.
    add_record_in_dialog(page, "www", "A", "not-an-ip")
    dialog = page.get_by_role("dialog")
    content = dialog.get_by_label("Content", exact=True)
    expect(content).to_have_attribute("aria-invalid", "true")
    expect(dialog.locator(".field-invalid")).to_contain_text("invalid A content")

    content.fill("192.0.2.10")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog).to_be_hidden()
    added = page.locator(".outcome-success").filter(has_text="Add A record www")
    expect(added).to_contain_text(f"Applied on: {both}")
    expect(page.get_by_role("row").filter(has_text="192.0.2.10")).to_be_visible()
    for server in (primary, secondary):
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.10"]

    page.get_by_role("button", name=f"Edit A record www.{zone} 192.0.2.10").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Content", exact=True).fill("192.0.2.20")
    dialog.get_by_role("button", name="Save record").click()
    updated = page.locator(".outcome-success").filter(has_text=f"Update A record www.{zone}")
    expect(updated).to_contain_text(f"Applied on: {both}")
    expect(page.get_by_role("row").filter(has_text="192.0.2.20")).to_be_visible()
    for server in (primary, secondary):
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.20"]

    page.get_by_role("button", name=f"Delete A record www.{zone} 192.0.2.20").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"It will be removed from: {both}.")
    dialog.get_by_role("button", name="Delete record").click()
    deleted = page.locator(".outcome-success").filter(has_text=f"Delete A record www.{zone}")
    expect(deleted).to_contain_text(f"Applied on: {both}")
    expect(page.get_by_role("row").filter(has_text="192.0.2.20")).to_have_count(0)
    for server in (primary, secondary):
        assert dns_query(server, f"www.{zone}", "A") == []

    # Deleting the zone names the servers it touches before anything happens.
    page.get_by_role("button", name="Delete zone").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("listitem")).to_have_text([primary.name, secondary.name])
    dialog.get_by_role("button", name="Delete zone").click()
    expect(page.get_by_role("heading", name="Zones")).to_be_visible()
    gone = page.locator(".outcome-success").filter(has_text=f"Delete zone {zone}")
    expect(gone).to_contain_text(f"Applied on: {both}")
    assert dns_rcode(primary, zone) == "REFUSED"


def test_stopped_server_shows_amber_partial_success_then_red(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    expect = _expect()
    primary, secondary, _ = pdns
    zone = dnsmate.zone_on(primary, secondary)
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    expect(page.get_by_role("heading", name=zone)).to_be_visible()

    secondary.stop()
    add_record_in_dialog(page, "api", "A", "192.0.2.30")
    partial = page.locator(".outcome-partial")
    expect(partial).to_contain_text("Add A record api: partial success, 1 of 2 servers")
    expect(partial).to_contain_text(f"Succeeded on: {primary.name}")
    expect(partial.get_by_role("listitem")).to_contain_text([f"{secondary.name}:"])
    expect(partial).to_have_attribute("role", "alert")
    expect(page.locator(".outcome-success")).to_have_count(0)
    assert dns_query(primary, f"api.{zone}", "A") == ["192.0.2.30"]

    go_to(page, "Dashboard")
    card = page.locator(".server-card").filter(has_text=secondary.name)
    expect(card).to_contain_text("Unreachable")
    expect(page.locator(".server-card").filter(has_text=primary.name)).to_contain_text("Healthy")

    primary.stop()
    page.goto(f"/zones/{zone}")
    page.get_by_role("heading", name=zone).wait_for()
    add_record_in_dialog(page, "down", "A", "192.0.2.40")
    failed = page.locator(".outcome-failure")
    expect(failed).to_contain_text("Add A record down: failed")
    expect(failed.get_by_role("listitem")).to_have_count(2)


def test_page_through_a_large_zone(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    expect = _expect()
    primary = pdns_servers[0]
    dnsmate.add_server(primary, multi=False)
    zone = unique_zone("big")
    dnsmate.create_zone(zone)
    add_rrsets_directly(primary, zone, 2000)  # + SOA and 2 NS = 2,003 records
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")

    info = page.locator(".pagination-info")
    rows = page.locator(".records-table tbody tr")
    expect(info).to_have_text("1–100 of 2,003 · page 1 of 21")
    expect(rows).to_have_count(100)

    page.get_by_role("button", name="Next").click()
    expect(info).to_have_text("101–200 of 2,003 · page 2 of 21")
    expect(rows).to_have_count(100)
    page.get_by_role("button", name="Last page").click()
    expect(info).to_have_text("2,001–2,003 of 2,003 · page 21 of 21")
    expect(rows).to_have_count(3)

    page.get_by_label("Name (exact)").fill("host01999")
    expect(info).to_have_text("1–1 of 1 · page 1 of 1")
    expect(rows).to_have_text(["host01999A10.0.7.207300CommentDisableEditDelete"])

    page.get_by_label("Name (exact)").fill("")
    page.get_by_label("Type", exact=True).select_option("NS")
    expect(info).to_have_text("1–2 of 2 · page 1 of 1")
    page.get_by_label("Type", exact=True).select_option("")
    page.get_by_label("Search").fill("10.0.3.")
    expect(info).to_contain_text("of 256 ·")
