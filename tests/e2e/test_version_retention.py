"""Version retention in the browser: Settings, Versions stores the values in DNSMate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_retention_is_set_and_returned_to_the_default(page: Page, dnsmate: LiveDNSMate) -> None:
    from playwright.sync_api import expect

    log_in(page, dnsmate)
    page.goto("/settings/consistency")
    page.get_by_role("link", name="Versions").click()
    per_zone = page.get_by_label("Versions kept per zone")
    age = page.get_by_label("Maximum age in days")
    expect(page.get_by_text("Empty: the default, 1000")).to_be_visible()
    expect(per_zone).to_have_value("")

    per_zone.fill("25")
    age.fill("90")
    page.get_by_role("button", name="Save retention").click()

    expect(page.locator(".outcome-success").filter(has_text="retention saved")).to_be_visible()
    expect(page.get_by_text("the newest 25 versions of each zone")).to_be_visible()
    stored = dnsmate.api.get("/api/settings/versions").json()
    assert stored["stored"] == {"max_per_zone": 25, "max_age_days": 90.0}

    per_zone.fill("")
    page.get_by_role("button", name="Save retention").click()

    expect(page.get_by_text("the newest 1000 versions of each zone")).to_be_visible()
    assert dnsmate.api.get("/api/settings/versions").json()["stored"]["max_per_zone"] is None
