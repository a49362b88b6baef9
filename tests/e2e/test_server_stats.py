"""The dashboard's per-server operations: a stopped server's failed write lowers its success
rate below 100 % while the healthy server stays at 100 %."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone

if TYPE_CHECKING:
    from playwright.sync_api import Page


# No background health probes: every operation counted is one this test made.
@pytest.mark.live_settings(sync_worker=False)
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
    # One cell per window (last hour, last 24 hours): success rate, p95, operations.
    rate_below_100 = re.compile(r"^\d{1,2}\.\d %p95 [\d.]+ m?s\d+ operations, 1 failed$")
    expect(stopped.get_by_role("cell").nth(0)).to_have_text(rate_below_100)
    expect(stopped.get_by_role("cell").nth(1)).to_have_text(rate_below_100)
    expect(healthy.get_by_role("cell").nth(0)).to_have_text(
        re.compile(r"^100 %p95 [\d.]+ m?s\d+ operations$")
    )
