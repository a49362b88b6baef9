"""Cloning a zone from the browser: the copy answers over DNS on every target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_clone_a_zone_and_open_the_copy(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "www", "A", "192.0.2.10")
    dnsmate.add_record(zone, "alias", "CNAME", f"www.{zone}.")
    copy = unique_zone("copy")
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")

    page.get_by_role("button", name="Clone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New zone name").fill("bad name")
    dialog.get_by_role("button", name="Clone zone").click()
    expect(dialog.locator(".field-invalid")).to_contain_text("contains a space")
    dialog.get_by_label("New zone name").fill(copy)
    dialog.get_by_role("button", name="Clone zone").click()

    expect(page.get_by_role("heading", name=copy)).to_be_visible()
    done = page.locator(".outcome-success").filter(has_text=f"Clone {zone} as {copy}")
    expect(done).to_contain_text(f"Applied on: {primary.name}, {secondary.name}")
    expect(page.get_by_role("row").filter(has_text="alias")).to_contain_text(f"www.{copy}.")
    for server in (primary, secondary):
        assert dns_query(server, f"www.{copy}", "A") == ["192.0.2.10"]
        assert dns_query(server, f"alias.{copy}", "CNAME") == [f"www.{copy}."]
