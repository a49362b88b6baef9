"""The dashboard's per-server operations: a stopped server's failed write lowers its success
rate below 100 % while the healthy server stays at 100 %."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dnsmate.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_dashboard_shows_success_rate_and_p95_per_server(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    log_in(page, dnsmate)
    expect(page.get_by_text("No operations recorded in the last 24 hours.")).to_be_visible()

    zone = unique_zone("e2e-stats")
    dnsmate.create_zone(zone)
    for i in range(3):
        dnsmate.add_record(zone, f"host{i}", "A", f"192.0.2.{i + 10}")
    secondary.stop()
    failed = dnsmate.api.post(
        f"/api/records/{zone}", json={"name": "late", "type": "A", "content": "192.0.2.99"}
    )
    assert failed.status_code == 207, failed.text

    page.reload()
    table = page.get_by_role("table", name="Operations per PowerDNS server")
    stopped = table.get_by_role("row", name=re.compile(re.escape(secondary.name)))
    healthy = table.get_by_role("row", name=re.compile(re.escape(primary.name)))
    # Cells: last hour success, p95, operations; then the same for the last 24 hours.
    expect(stopped.get_by_role("cell").nth(0)).to_have_text(re.compile(r"^\d{1,2}\.\d %$"))
    expect(stopped.get_by_role("cell").nth(2)).to_contain_text("failed")
    expect(stopped.get_by_role("cell").nth(3)).to_have_text(re.compile(r"^\d{1,2}\.\d %$"))
    expect(healthy.get_by_role("cell").nth(0)).to_have_text("100 %")
    expect(healthy.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^[\d.]+ m?s$"))
