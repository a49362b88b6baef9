"""Browsing a server that is not a write target in the browser: the server picker on the zone
list and the zone page, read-only there, and the diff against the write targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_legacy_zones_are_browsed_read_only_and_compared(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, legacy = pdns_servers
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    legacy_id = dnsmate.add_server(legacy, multi=False)
    zone = unique_zone("e2e-browse")
    dnsmate.create_zone(zone)
    dnsmate.add_record(zone, "www", "A", "192.0.2.61")
    with httpx.Client(base_url=f"{legacy.api_url}/api/v1/servers/localhost",
                      headers={"X-API-Key": legacy.api_key}) as direct:  # fmt: skip
        made = direct.post("/zones", json={
            "name": f"{zone}.", "kind": "Native", "nameservers": ["ns1.example.net."],
            "rrsets": [{"name": f"www.{zone}.", "type": "A", "ttl": 300, "changetype": "REPLACE",
                        "records": [{"content": "198.51.100.61", "disabled": False}]}],
        })  # fmt: skip
        assert made.status_code == 201, made.text

    log_in(page, dnsmate)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Zones").click()
    page.get_by_label("Search zones").fill(zone)
    page.get_by_label("Server").select_option(label=f"{legacy.name} (read-only)")
    expect(page.get_by_test_id("browsing")).to_contain_text(f"Browsing {legacy.name}")
    expect(page.get_by_role("button", name="+ Create zone")).to_have_count(0)
    page.get_by_role("link", name=zone).click()

    expect(page.get_by_test_id("browsing")).to_contain_text("not a write target: read-only")
    expect(page.get_by_test_id("zone-servers")).to_have_text(legacy.name)
    expect(page.locator("table.records-table")).to_contain_text("198.51.100.61")
    expect(page.locator("table.records-table")).not_to_contain_text("192.0.2.61")
    expect(page.get_by_role("button", name="+ Add record")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete zone")).to_have_count(0)

    page.get_by_role("link", name="Compare with the write targets").click()
    expect(page).to_have_url(f"{dnsmate.url}/settings/sync/{zone}?reference={legacy_id}")
    expect(page.get_by_role("region", name=f"Differences on {primary.name}")).to_contain_text(
        f"www.{zone}"
    )
