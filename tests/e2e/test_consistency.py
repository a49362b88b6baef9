"""The retry queue in the browser: a change a stopped server missed is queued, shown, and
replayed once the server is back, which the server's own DNS answer confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_missed_change_is_queued_then_replayed(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    zone = dnsmate.zone_on(primary, secondary)
    log_in(page, dnsmate)

    secondary.stop()
    page.goto(f"/zones/{zone}")
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("late")
    dialog.get_by_label("Content", exact=True).fill("192.0.2.60")
    dialog.get_by_role("button", name="Add record").click()
    partial = page.locator(".outcome-partial")
    expect(partial).to_contain_text(f"Queued for automatic retry on: {secondary.name}")

    page.goto("/settings/consistency")
    expect(page.get_by_role("radio", name="Retry later (default)")).to_be_checked()
    queued = page.get_by_role("row").filter(has_text=secondary.name).filter(has_text=zone)
    expect(queued).to_be_visible()

    secondary.start()
    page.get_by_role("button", name="Replay now").click()
    expect(page.locator(".outcome-success").filter(has_text="1 replayed")).to_be_visible()
    expect(queued).to_have_count(0)
    assert dns_query(secondary, f"late.{zone}", "A") == ["192.0.2.60"]

    page.get_by_role("radio", name="All or nothing").click()
    expect(page.get_by_role("radio", name="All or nothing")).to_be_checked()
    expect(page.locator(".outcome-success").filter(has_text="policy: rollback")).to_be_visible()
    assert dnsmate.api.get("/api/settings/consistency").json() == {"on_partial_failure": "rollback"}
