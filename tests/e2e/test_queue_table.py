"""The retry queue table in the browser: each row shows the record it would change, filters
narrow it by zone and server, Drop works on a selection (after a confirmation that lists
what is dropped), and what is left is delivered and shown as delivered in the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.live_settings(sync_worker=False, breaker_cooldown_seconds=0)
def test_queue_table_shows_filters_drops_and_delivers(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    zone = dnsmate.zone_on(primary, secondary)
    other = unique_zone("e2e-other")
    dnsmate.create_zone(other)
    secondary.stop()
    for name, content in (("keep", "192.0.2.61"), ("drop1", "192.0.2.62"), ("drop2", "192.0.2.63")):
        body = {"name": name, "type": "A", "content": content, "ttl": 300}
        assert dnsmate.api.post(f"/api/records/{zone}", json=body).status_code == 207
    body = {"name": "txt", "type": "TXT", "content": "elsewhere", "ttl": 300}
    assert dnsmate.api.post(f"/api/records/{other}", json=body).status_code == 207

    log_in(page, dnsmate)
    page.goto("/settings/consistency")
    table = page.get_by_role("table", name="Changes owed to servers")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(4)
    keep = rows.filter(has_text=f"keep.{zone} A")
    expect(keep).to_contain_text("192.0.2.61")
    expect(keep).to_contain_text(secondary.name)
    expect(keep).to_contain_text("pending")
    expect(rows.filter(has_text=f"txt.{other} TXT")).to_contain_text('"elsewhere"')

    page.get_by_role("search").get_by_label("Zone").fill(other)
    expect(rows).to_have_count(1)
    page.get_by_role("search").get_by_label("Zone").fill(zone)
    expect(rows).to_have_count(3)
    page.get_by_role("search").get_by_label("Server").select_option(label=primary.name)
    expect(rows.filter(has_text="Nothing queued matches")).to_be_visible()
    page.get_by_role("search").get_by_label("Server").select_option(label=secondary.name)
    expect(rows).to_have_count(3)

    for name in ("drop1", "drop2"):
        rows.filter(has_text=f"{name}.{zone} A").get_by_role("checkbox").check()
    page.get_by_role("button", name="Drop selected (2)").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"drop1.{zone} A 192.0.2.62")
    expect(dialog).to_contain_text(f"drop2.{zone} A 192.0.2.63")
    dialog.get_by_role("button", name="Drop").click()
    expect(rows).to_have_count(1)
    expect(keep).to_be_visible()
    queued = dnsmate.api.get("/api/sync/queue", params={"zone": zone}).json()
    assert [e["lines"][0]["name"] for e in queued["items"]] == [f"keep.{zone}"]

    secondary.start()  # what is left: keep, and the other zone's TXT
    page.get_by_role("button", name="Replay now").click()
    expect(page.locator(".outcome-success").filter(has_text="2 replayed")).to_be_visible()
    expect(rows.filter(has_text="Nothing queued matches")).to_be_visible()
    assert dns_query(secondary, f"keep.{zone}.", "A") == ["192.0.2.61"]
    assert dns_query(secondary, f"drop1.{zone}.", "A") == []

    page.goto("/audit")
    event = page.get_by_role("row").filter(has_text=f"keep.{zone} A")
    expect(event).to_contain_text("success")
    expect(event).to_contain_text(f"delivered to {secondary.name}")
    expect(page.get_by_role("row").filter(has_text=f"drop1.{zone} A")).to_contain_text("partial")
