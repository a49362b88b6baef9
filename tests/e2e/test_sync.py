"""Settings > Sync in the browser: a record changed behind DNSMate's back on one server shows
up as drift, the diff names exactly that record (content and TTL side by side), and reconcile
(plan first, then apply) makes every server answer the same over DNS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate, replace_directly
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_drift_is_shown_diffed_and_reconciled(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, third = pdns_servers
    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    zone = unique_zone("e2e-sync")
    dnsmate.create_zone(zone)
    dnsmate.add_record(zone, "www", "A", "192.0.2.10")
    dnsmate.add_record(zone, "mail", "A", "192.0.2.20")
    replace_directly(secondary, zone, "www", "A", "203.0.113.99")
    assert dns_query(secondary, f"www.{zone}.", "A") == ["203.0.113.99"]

    log_in(page, dnsmate)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("navigation", name="Settings sections").get_by_role(
        "link", name="Sync"
    ).click()
    page.get_by_label("Search zones").fill(zone)
    row = page.locator(f'tr[data-zone="{zone}"]')
    expect(row.locator("[data-state]").first).to_have_text("● drifted")
    expect(row.locator('[data-state="drifted"]')).to_have_count(2)  # the zone, Secondary
    expect(row.locator('[data-state="in_sync"]')).to_have_count(1)  # the third server
    page.get_by_label("Only problems").check()
    expect(row).to_be_visible()

    # The zone page links to the differences the last check found.
    row.get_by_role("link").click()
    page.get_by_role("link", name="Records").click()
    expect(page.locator(".zone-sync-link")).to_contain_text("drifted at the last check")
    page.get_by_role("link", name="Show the differences").click()

    differences = page.get_by_role("region", name=f"Differences on {secondary.name}")
    rows = differences.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(0)).to_contain_text(f"www.{zone}")
    expect(rows.first.locator("td").nth(0)).to_contain_text("different")
    expect(rows.first.locator("td").nth(1)).to_have_text("192.0.2.10 (TTL 3600)")
    expect(rows.first.locator("td").nth(2)).to_have_text("203.0.113.99 (TTL 300)")
    third_copy = page.get_by_role("region", name=f"Differences on {third.name}")
    expect(third_copy).to_contain_text(f"Same RRsets as {primary.name}")

    source = page.get_by_label("Source (the right copy)")
    expect(source.locator("option:checked")).to_have_text(f"{primary.name} (default)")
    source.focus()  # the reconcile part by keyboard only
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show plan")).to_be_focused()
    page.keyboard.press("Enter")
    plan = page.get_by_test_id("reconcile-plan")
    expect(plan).to_contain_text(f"~ www.{zone} A → 192.0.2.10 (TTL 3600)")
    expect(plan.locator(".reconcile-server").filter(has_text=third.name)).to_contain_text(
        "nothing to change"
    )
    assert dns_query(secondary, f"www.{zone}.", "A") == ["203.0.113.99"]  # a plan changes nothing

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Apply", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    done = page.locator(".outcome-success").filter(has_text=f"Reconcile {zone} from")
    expect(done).to_contain_text("done on 1 server")
    expect(done).to_contain_text(f"Applied on: {secondary.name}")
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.10"], server.name
        assert dns_query(server, f"mail.{zone}.", "A") == ["192.0.2.20"], server.name
    expect(
        page.get_by_text(f"Every server holds the same RRsets as {primary.name}.")
    ).to_be_visible()

    page.get_by_role("link", name="Sync", exact=True).first.click()
    page.get_by_label("Search zones").fill(zone)
    expect(row.locator("[data-state]").first).to_have_text("✓ in sync")
    expect(row.locator('[data-state="drifted"]')).to_have_count(0)
    page.get_by_label("Only problems").check()
    expect(row).to_have_count(0)
