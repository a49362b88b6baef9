"""Signing a zone from the browser puts the same DNSKEYs on every target server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_sign_zone_shows_ds_and_same_keys_everywhere(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}?view=dnssec")
    expect(page.get_by_test_id("dnssec-state")).to_contain_text("Not signed")

    page.get_by_role("button", name="Sign zone").click()
    signed = page.locator(".outcome-success").filter(has_text=f"Sign {zone}")
    expect(signed).to_contain_text(f"Applied on: {primary.name}, {secondary.name}")
    expect(page.get_by_test_id("dnssec-state")).to_contain_text("Every server publishes the same")
    expect(page.locator(".ds-records")).to_contain_text(f"{zone}. IN DS ")

    keys = dns_query(primary, zone, "DNSKEY")
    assert keys
    assert dns_query(secondary, zone, "DNSKEY") == keys


def test_a_server_that_missed_signing_gets_the_keys_copied(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    zone = dnsmate.zone_on(primary, secondary)
    log_in(page, dnsmate)
    secondary.stop()
    page.goto(f"/zones/{zone}?view=dnssec")
    page.get_by_role("button", name="Sign zone").click()
    expect(page.locator(".outcome-partial").filter(has_text=f"Sign {zone}")).to_be_visible()

    secondary.start()
    page.reload()
    expect(page.get_by_test_id("dnssec-state")).to_contain_text(f"Keys differ on: {secondary.name}")
    page.get_by_role("button", name="Copy the keys to every server").click()

    expect(page.get_by_test_id("dnssec-state")).to_contain_text("Every server publishes the same")
    keys = dns_query(primary, zone, "DNSKEY")
    assert keys and dns_query(secondary, zone, "DNSKEY") == keys
