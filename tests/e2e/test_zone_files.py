"""Export a zone file and import one from the browser, checked over DNS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_export_then_import_with_preview(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "www", "A", "192.0.2.81")
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    expect(page.get_by_role("row").filter(has_text="192.0.2.81")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename == f"{zone}.zone"
    exported = Path(download.value.path()).read_text()
    assert "192.0.2.81" in exported

    page.get_by_role("button", name="Import", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone file").fill("imported 300 IN A 192.0.2.82\nwww 300 IN A 192.0.2.81\n")
    dialog.get_by_role("button", name="Preview").click()
    plan = dialog.get_by_test_id("import-plan")
    expect(plan).to_contain_text("1 RRsets added, 1 changed, 0 deleted.")
    expect(plan).to_contain_text(f"+ imported.{zone} A 192.0.2.82")
    expect(plan).to_contain_text("(TTL 3600 → 300)")
    dialog.get_by_role("button", name="Import", exact=True).click()
    done = page.locator(".outcome-success").filter(has_text=f"Import into {zone}")
    expect(done).to_contain_text(f"Applied on: {primary.name}, {secondary.name}")
    for server in (primary, secondary):
        assert dns_query(server, f"imported.{zone}", "A") == ["192.0.2.82"]
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.81"]
