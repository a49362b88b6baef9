"""The zone list's DNSSEC column and the import dialog's parse errors (issue 14, defects 1
and 2), against real PowerDNS servers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_signed_zone_shows_as_signed_in_the_zone_list(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    signed = dnsmate.zone_on(primary, secondary)
    unsigned = unique_zone("e2e")
    dnsmate.create_zone(unsigned)
    response = dnsmate.api.post(f"/api/zones/{signed}/dnssec", json={})
    assert response.status_code == 200, response.text
    assert dns_query(primary, signed, "DNSKEY") and dns_query(secondary, signed, "DNSKEY")

    log_in(page, dnsmate)
    page.goto(f"/zones?search={signed}")
    expect(page.get_by_role("row").filter(has_text=signed)).to_contain_text("Signed")
    page.goto(f"/zones?search={unsigned}")
    row = page.get_by_role("row").filter(has_text=unsigned)
    expect(row).to_be_visible()
    expect(row.get_by_text("Signed")).to_have_count(0)
    listed = dnsmate.api.get("/api/zones", params={"search": signed}).json()["items"]
    assert [z["dnssec"] for z in listed] == [True]


def test_import_preview_shows_the_parse_error_with_its_line(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    lines = ["$TTL 300"] + [f"host{i:03d} IN A 192.0.2.{i % 250 + 1}" for i in range(400)]
    lines[251] = "mail IN MX mail.example.net."  # line 252 of the file: no preference
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    page.get_by_role("button", name="Import").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone file").fill("\n".join(lines))
    dialog.get_by_role("button", name="Preview").click()

    error = dialog.locator(".field-invalid")
    expect(error).to_contain_text("line 252: ")
    expect(error).to_contain_text("MX records: write a preference number")
    expect(error).to_contain_text("the line reads: mail IN MX mail.example.net.")
    expect(dialog.get_by_label("Zone file")).to_have_attribute("aria-invalid", "true")
    expect(dialog.get_by_role("button", name="Import", exact=True)).to_be_disabled()

    lines[251] = "mail IN MX 10 mail.example.net."
    dialog.get_by_label("Zone file").fill("\n".join(lines))
    expect(error).to_have_count(0)
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.get_by_test_id("import-plan")).to_contain_text("400 RRsets added")
    dialog.get_by_role("button", name="Import", exact=True).click()
    expect(dialog).to_be_hidden()
    for server in (primary, secondary):
        assert dns_query(server, f"mail.{zone}", "MX") == ["10 mail.example.net."]
        assert dns_query(server, f"host399.{zone}", "A") == ["192.0.2.150"]
