"""Automatic PTR records from the browser: the reverse zone follows the A record."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_record_with_its_ptr_and_the_settings_default(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    a, b = secrets.randbelow(200) + 20, secrets.randbelow(250)
    reverse = f"{b}.{a}.10.in-addr.arpa"
    dnsmate.create_zone(reverse)
    log_in(page, dnsmate)

    page.goto("/settings/records")
    page.get_by_label("Keep PTR records in step by default").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".outcome-success")).to_contain_text("Record defaults saved")

    page.goto(f"/zones/{zone}")
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("www")
    dialog.get_by_label("Content", exact=True).fill(f"10.{a}.{b}.7")
    expect(dialog.get_by_label("Keep the PTR record in the reverse zone in step")).to_be_checked()
    dialog.get_by_role("button", name="Add record").click()
    done = page.locator(".outcome-success").filter(has_text="Add A record www")
    expect(done).to_contain_text(f"PTR in {reverse}: applied on {primary.name}, {secondary.name}")
    for server in (primary, secondary):
        assert dns_query(server, f"7.{reverse}", "PTR") == [f"www.{zone}."]

    # Outside every managed reverse zone: the record is added and the notice says why no PTR.
    page.get_by_role("button", name="+ Add record").click()
    dialog.get_by_label("Name", exact=True).fill("far")
    dialog.get_by_label("Content", exact=True).fill("10.1.2.3")
    dialog.get_by_role("button", name="Add record").click()
    far = page.locator(".outcome-success").filter(has_text="Add A record far")
    expect(far).to_contain_text("No PTR for 10.1.2.3: DNSMate manages no reverse zone")
    assert dns_query(primary, f"far.{zone}", "A") == ["10.1.2.3"]

    page.get_by_role("button", name=f"Delete A record www.{zone} 10.{a}.{b}.7").click()
    confirm = page.get_by_role("dialog")
    confirm.get_by_role("button", name="Delete record").click()
    expect(confirm).to_be_hidden()
    for server in (primary, secondary):
        assert dns_query(server, f"www.{zone}", "A") == []
        assert dns_query(server, f"7.{reverse}", "PTR") == []
