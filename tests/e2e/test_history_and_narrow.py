"""The zone history with each version's changes, compare and export, and names that wrap
at their dots on a 390 px phone (issue 14, defect 7 and the history diff view)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The characters after which an element's text wraps onto a new line.
LINE_BREAKS = """(el) => {
  const breaks = [];
  let top = null, last = "";
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.textContent.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect || rect.width === 0) continue;
      if (top !== null && rect.top > top + 4) breaks.push(last);
      top = rect.top;
      last = node.textContent[i];
    }
  }
  return breaks;
}"""


def test_history_shows_what_each_version_changed_compares_and_exports(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "app", "A", "192.0.2.1")
    dnsmate.add_record(zone, "other", "TXT", "hello")
    changed = dnsmate.api.put(
        f"/api/records/{zone}/app/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    assert changed.status_code == 200, changed.text
    items = dnsmate.api.get(f"/api/zones/{zone}/versions").json()["items"]
    update, txt, create = (v["id"] for v in items[:3])

    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}?view=history")
    page.get_by_role("button", name=f"Changes in version {update}").click()
    changes = page.get_by_test_id(f"changes-{update}")
    expect(changes).to_contain_text("0 added, 1 changed, 0 removed.")
    expect(changes).to_contain_text(f"app.{zone} A: 192.0.2.1 → 192.0.2.2")

    page.get_by_label("Record name").fill("app")
    rows = page.locator(".versions-table tbody tr:not(.row-details)")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Record updated")
    expect(page.get_by_role("button", name=f"Changes in version {txt}")).to_have_count(0)
    page.get_by_role("button", name=f"Changes in version {create}").click()
    expect(page.get_by_test_id(f"changes-{create}")).to_contain_text(f"+ app.{zone} A 192.0.2.1")

    page.get_by_role("button", name=f"Compare version {create} with now").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("compare-summary")).to_have_text(
        "Since then: 1 RRsets added, 1 changed, 0 deleted."
    )
    expect(dialog).to_contain_text(f"other.{zone} TXT")
    dialog.get_by_role("button", name="Close").click()

    with page.expect_download() as download:
        page.get_by_role("button", name=f"Export version {create}").click()
    text = Path(download.value.path()).read_text()
    assert f"as of version {create}" in text
    assert "192.0.2.1" in text and "192.0.2.2" not in text
    assert "hello" not in text
    assert dns_query(primary, f"app.{zone}", "A") == ["192.0.2.2"]

    page.goto("/settings/versions")
    expect(page.get_by_text("compare, export or roll back")).to_be_visible()


def test_history_shows_a_comment_change(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "app", "A", "192.0.2.1")
    for text in ("web server", "moved to rack 2"):
        commented = dnsmate.api.put(
            f"/api/records/{zone}/app/A/comments", json={"comments": [{"content": text}]}
        )
        assert commented.status_code == 200, commented.text
    second, first = (
        v["id"] for v in dnsmate.api.get(f"/api/zones/{zone}/versions").json()["items"][:2]
    )

    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}?view=history")
    page.get_by_role("button", name=f"Changes in version {first}").click()
    expect(page.get_by_test_id(f"changes-{first}")).to_contain_text(
        f"app.{zone} A: 192.0.2.1 (comments: none → “web server”)"
    )
    page.get_by_role("button", name=f"Changes in version {second}").click()
    expect(page.get_by_test_id(f"changes-{second}")).to_contain_text(
        "(comments: “web server” → “moved to rack 2”)"
    )


def test_names_wrap_at_dots_and_the_ttl_stays_on_a_phone(
    browser: Browser, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers[:2]:
        dnsmate.add_server(server, multi=True)
    zone = unique_zone("operations-eu-west.internal-services")
    dnsmate.create_zone(zone)
    dnsmate.add_record(zone, "_sip._tcp.voice-gateway.branch-office", "SRV", "10 5 5060 sip.")
    email = "operations.team.member@subdomain.example.com"
    created = dnsmate.api.post(
        "/api/users", json={"email": email, "password": "a long enough pass phrase"}
    )
    assert created.status_code == 201, created.text
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 390, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)

    page.goto(f"/zones/{zone}?name=_sip._tcp.voice-gateway.branch-office")
    expect(page.get_by_role("columnheader", name="TTL")).to_be_visible()
    row = page.locator(".records-table tbody tr").first
    expect(row).to_contain_text("3600")
    for element in (row.locator(".cell-name"), page.locator("h1.zone-title")):
        breaks = element.evaluate(LINE_BREAKS)
        assert breaks, "the name is long enough to wrap at 390 px"
        assert set(breaks) <= {".", "-"}, breaks

    page.goto(f"/zones?search={zone}")
    link = page.get_by_role("link", name=zone)
    breaks = link.evaluate(LINE_BREAKS)
    assert breaks and set(breaks) <= {".", "-"}, breaks

    page.goto("/settings/users")
    cell = page.locator("td.cell-name").filter(has_text=email)
    breaks = cell.evaluate(LINE_BREAKS)
    assert breaks and set(breaks) <= {".", "@"}, breaks

    page.goto("/settings/powerdns")
    badges = page.locator(".server-card .badge")
    expect(badges.first).to_be_visible()
    for i in range(badges.count()):
        assert badges.nth(i).evaluate(LINE_BREAKS) == []
    context.close()
