"""Change notices that cover nothing, zone buttons only where the user may change the zone,
and adding a manager with grants as one step (issue 14, defects 4, 5 and 7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Buttons on screen that a change notice overlaps (the notices' own buttons aside).
COVERED_BUTTONS = """() => {
  const notices = [...document.querySelectorAll(".outcome")].map((n) => n.getBoundingClientRect());
  const hits = [];
  for (const button of document.querySelectorAll("button")) {
    if (button.closest(".notifications")) continue;
    const b = button.getBoundingClientRect();
    if (b.width === 0 || b.bottom < 0 || b.top > window.innerHeight) continue;
    for (const n of notices) {
      if (b.left < n.right && n.left < b.right && b.top < n.bottom && n.top < b.bottom) {
        hits.push(button.getAttribute("aria-label") || button.textContent);
      }
    }
  }
  return hits;
}"""


def test_amber_and_red_notices_cover_no_button_and_stack(
    browser: Browser, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    zone = dnsmate.zone_on(primary, secondary)
    for i in range(25):
        dnsmate.add_record(zone, f"host{i:02d}", "A", f"192.0.2.{i + 1}")
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    expect(page.locator(".records-table tbody tr")).to_have_count(28)

    secondary.stop()
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("api")
    dialog.get_by_label("Content", exact=True).fill("192.0.2.30")
    dialog.get_by_role("button", name="Add record").click()
    amber = page.locator(".outcome-partial")
    expect(amber).to_contain_text("Add A record api: partial success, 1 of 2 servers")
    assert dns_query(primary, f"api.{zone}", "A") == ["192.0.2.30"]

    for scroll in (0, 400, 100_000):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        assert page.evaluate(COVERED_BUTTONS) == [], f"scrolled to {scroll}"
    # The last row's Edit button is clickable as it is (Playwright checks what gets the click).
    page.get_by_role("button", name=f"Edit A record host24.{zone} 192.0.2.25").click()
    expect(page.get_by_role("dialog")).to_contain_text("Edit A record")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Bulk changes").click()
    page.get_by_role("textbox").first.fill(f"add bulk.{zone} A 192.0.2.40")
    for name in ("Validate", "Apply"):
        button = page.get_by_role("button", name=name, exact=True)
        button.scroll_into_view_if_needed()
        assert page.evaluate(COVERED_BUTTONS) == []
    expect(amber).to_be_visible()

    # A red notice joins the amber one; "Dismiss all" clears the stack.
    primary.stop()
    page.get_by_role("button", name="Records").click()
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("down")
    dialog.get_by_label("Content", exact=True).fill("192.0.2.50")
    dialog.get_by_role("button", name="Add record").click()
    red = page.locator(".outcome-failure")
    expect(red).to_contain_text("Add A record down: failed")
    expect(dialog.locator(".outcome-failure")).to_be_visible()  # shown where it was asked
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".outcome")).to_have_count(2)
    assert page.evaluate(COVERED_BUTTONS) == []
    page.get_by_role("button", name="Dismiss all").click()
    expect(page.locator(".outcome")).to_have_count(0)
    context.close()


def test_a_manager_sees_change_buttons_only_in_granted_zones(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=False)
    granted, other = unique_zone("e2e"), unique_zone("e2e")
    dnsmate.create_zone(granted)
    dnsmate.create_zone(other)
    password = "a long enough pass phrase"
    created = dnsmate.api.post(
        "/api/users",
        json={
            "email": "mgr@example.com",
            "password": password,
            "role": "manager",
            "zones": [granted],
        },
    )
    assert created.status_code == 201, created.text
    manager = LiveDNSMate(dnsmate.url, "mgr@example.com", password, dnsmate.api)

    log_in(page, manager)
    page.goto(f"/zones/{other}")
    expect(page.get_by_text(f"No access to zone {other}").first).to_be_visible()
    for label in ("+ Add record", "Import", "Save as template", "Delete zone"):
        expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Bulk changes")).to_have_count(0)

    page.goto(f"/zones/{granted}")
    expect(page.get_by_role("button", name="+ Add record")).to_be_visible()
    expect(page.get_by_role("button", name="Import", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Delete zone")).to_have_count(0)
    expect(page.get_by_role("button", name="Save as template")).to_have_count(0)


def test_adding_a_manager_with_an_unknown_zone_saves_nothing(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=False)
    zone, missing = unique_zone("e2e"), unique_zone("missing")
    dnsmate.create_zone(zone)
    log_in(page, dnsmate)
    page.goto("/settings/users")
    page.get_by_role("button", name="+ Add user").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("E-mail").fill("new.manager@example.com")
    dialog.get_by_label("Password").fill("a long enough pass phrase")
    dialog.get_by_label("Role").select_option("manager")
    dialog.get_by_label("Granted zones").fill(f"{zone} {missing}")
    dialog.get_by_role("button", name="Add user").click()
    expect(dialog.locator(".field-invalid")).to_contain_text(f"no such zone: {missing}")
    users = dnsmate.api.get("/api/users").json()
    assert "new.manager@example.com" not in [u["email"] for u in users]

    dialog.get_by_label("Granted zones").fill(zone)
    dialog.get_by_role("button", name="Add user").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text="new.manager@example.com")).to_contain_text(zone)
    [user] = [u for u in dnsmate.api.get("/api/users").json() if u["role"] == "manager"]
    assert (user["email"], user["zones"]) == ("new.manager@example.com", [zone])
