"""Layout at phone and desktop widths, and keyboard use, in Debian's Chromium."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate, replace_directly
from tests.integration.conftest import unique_zone

if TYPE_CHECKING:
    from playwright.sync_api import Browser


# The element reaching furthest right, also inside scrollable boxes (a table that scrolls
# inside its wrapper counts as sideways scrolling too).
WIDEST_ELEMENT = """() => {
  let best = {right: 0, tag: ""};
  for (const el of document.querySelectorAll("body *")) {
    const right = Math.ceil(el.getBoundingClientRect().right);
    if (right > best.right) best = {right, tag: el.tagName + "." + el.className};
  }
  return best;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(
    browser: Browser, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS], width: int
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=server is not pdns_servers[-1])
    zone = unique_zone("a-rather-long-zone-name-for-layout")
    dnsmate.create_zone(zone)
    dnsmate.add_record(zone, "_acme-challenge.www", "TXT", "x" * 200)
    replace_directly(pdns_servers[1], zone, "_acme-challenge.www", "TXT", f'"{"y" * 200}"')
    saved = dnsmate.api.post(f"/api/templates/from-zone/{zone}", json={"name": "w" * 100})
    assert saved.status_code == 201, saved.text
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)
    for path, ready in [
        ("/", ".badge-ok"),
        ("/zones", "tbody tr"),
        (f"/zones/{zone}", ".records-table tbody tr"),
        (f"/zones/{zone}?view=history", "tbody tr"),
        ("/settings/powerdns", ".server-card"),
        ("/settings/tokens", "table"),
        ("/settings/users", "tbody tr"),
        ("/settings/consistency", "tbody tr"),
        ("/settings/sync", "tbody tr"),
        (f"/settings/sync/{zone}", ".diff-table tbody tr"),
        ("/audit", "tbody tr"),
        ("/templates", "tbody tr"),
        (f"/zones/{zone}?view=dnssec", "tbody tr"),
        (f"/zones/{zone}?view=bulk", "textarea"),
        ("/search?q=acme", ".records-table tbody tr"),
    ]:
        page.goto(path)
        expect(page.locator(ready).first).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
        widest = page.evaluate(WIDEST_ELEMENT)
        assert widest["right"] <= width, f"{path} at {width}px: {widest}"
    context.close()


def test_keyboard_only_login_and_record_dialog(
    browser: Browser, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=False)
    zone = unique_zone("e2e")
    dnsmate.create_zone(zone)
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mail").focus()
    page.keyboard.type(dnsmate.email)
    page.keyboard.press("Tab")
    page.keyboard.type(dnsmate.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.goto(f"/zones/{zone}")
    add = page.get_by_role("button", name="+ Add record")
    add.focus()
    outline = add.evaluate("el => getComputedStyle(el).outlineStyle")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Name", exact=True)).to_be_focused()
    page.keyboard.type("kb")
    page.keyboard.press("Tab")  # type
    page.keyboard.press("Tab")  # content
    page.keyboard.type("192.0.2.99")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text="192.0.2.99")).to_be_visible()
    expect(page.locator(".outcome-success")).to_contain_text(f"Applied on: {pdns_servers[0].name}")

    add.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(add).to_be_focused()
    assert outline != "none"
    context.close()
