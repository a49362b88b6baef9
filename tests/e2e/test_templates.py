"""Zone templates in the browser: made in the editor, used to create zones (checked over DNS on
every server), saved from a zone, and a bad record's 422 shown next to its field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.e2e.test_layout_and_keyboard import WIDEST_ELEMENT
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROWS = [
    ("A", "@", "192.0.2.10", ""),
    ("CNAME", "www", "@", ""),
    ("MX", "@", "10 mail", "3600"),
    ("A", "mail", "999.1.1.1", ""),  # fixed after the 422
    ("TXT", "_dmarc", "v=DMARC1; p=none", ""),
]


def fill_row(dialog: Locator, number: int, rtype: str, name: str, content: str, ttl: str) -> None:
    dialog.get_by_role("button", name="+ Add record row").click()
    dialog.get_by_label(f"Record {number} type").select_option(rtype)
    dialog.get_by_label(f"Record {number} name").fill(name)
    dialog.get_by_label(f"Record {number} content").fill(content)
    dialog.get_by_label(f"Record {number} ttl").fill(ttl)


def test_template_made_in_the_browser_creates_zones_on_every_server(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    name = unique_zone("tpl")  # unique template name as well
    log_in(page, dnsmate)
    page.get_by_role("link", name="Templates").click()
    expect(page.get_by_role("heading", name="Templates")).to_be_visible()

    page.get_by_role("button", name="+ Create template").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Template name").fill(name)
    dialog.get_by_label("Description").fill("Website with mail")
    dialog.get_by_label("Default TTL (seconds)").fill("600")
    dialog.get_by_label("SOA-EDIT-API").select_option("INCREASE")
    dialog.get_by_label("Name servers").fill("ns1.example.net ns2.example.net")
    for number, row in enumerate(ROWS, start=1):
        fill_row(dialog, number, *row)
    dialog.get_by_role("button", name="Create template").click()

    bad = dialog.get_by_label("Record 4 content")
    expect(bad).to_have_attribute("aria-invalid", "true")
    message = dialog.locator("td.field-invalid .field-error")
    expect(message).to_have_count(1)
    expect(message).to_contain_text("999.1.1.1")
    assert bad.evaluate("(el, m) => el.closest('td').contains(m)", message.element_handle())
    expect(dialog.get_by_label("Record 1 content")).not_to_have_attribute("aria-invalid", "true")
    bad.fill("192.0.2.25")
    dialog.get_by_role("button", name="Create template").click()
    expect(dialog).to_be_hidden()
    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Website with mail")
    expect(row.get_by_role("cell").nth(1)).to_have_text("5")

    zone = unique_zone("from-tpl")
    page.get_by_role("link", name="Zones").click()
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill(zone)
    dialog.get_by_label("Template", exact=True).select_option(label=name)
    preview = dialog.get_by_test_id("template-preview")
    expect(preview).to_contain_text("Name servers: ns1.example.net., ns2.example.net.")
    expect(preview).to_contain_text(f"+ {zone} 3600 MX 10 mail.{zone}.")
    expect(preview).to_contain_text(f"+ www.{zone} 600 CNAME {zone}.")
    dialog.get_by_role("button", name="Create zone").click()

    done = page.locator(".outcome-success").filter(has_text=f"Create zone {zone}")
    expect(done).to_contain_text(f"Applied on: {', '.join(s.name for s in pdns_servers)}")
    expect(page.get_by_role("heading", name=zone)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="192.0.2.25")).to_be_visible()
    for server in pdns_servers:
        assert dns_query(server, f"{zone}.", "A") == ["192.0.2.10"]
        assert dns_query(server, f"www.{zone}.", "CNAME") == [f"{zone}."]
        assert dns_query(server, f"{zone}.", "MX") == [f"10 mail.{zone}."]
        assert dns_query(server, f"mail.{zone}.", "A") == ["192.0.2.25"]
        assert dns_query(server, f"_dmarc.{zone}.", "TXT") == ['"v=DMARC1; p=none"']
        assert dns_query(server, f"{zone}.", "NS") == ["ns1.example.net.", "ns2.example.net."]


def test_save_zone_as_template_then_create_with_a_server_down(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    source = unique_zone("src")
    dnsmate.create_zone(source)
    dnsmate.add_record(source, "shop", "A", "192.0.2.77")
    dnsmate.add_record(source, "@", "MX", f"10 shop.{source}.")
    log_in(page, dnsmate)
    page.goto(f"/zones/{source}")

    page.get_by_role("button", name="Save as template").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Template name").fill(f"copy of {source}")
    dialog.get_by_role("button", name="Save as template").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".outcome-success")).to_contain_text(f"as template copy of {source}")

    page.get_by_role("link", name="Templates").click()
    row = page.get_by_role("row").filter(has_text=f"copy of {source}")
    expect(row).to_be_visible()
    row.get_by_text("Show records").click()
    expect(row.get_by_test_id("template-preview")).to_contain_text("+ shop 3600 A 192.0.2.77")
    expect(row.get_by_test_id("template-preview")).to_contain_text("+ @ 3600 MX 10 shop")

    zone = unique_zone("copy")
    secondary.stop()
    page.get_by_role("link", name="Zones").click()
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill(zone)
    dialog.get_by_label("Template", exact=True).select_option(label=f"copy of {source}")
    dialog.get_by_role("button", name="Create zone").click()
    partial = page.locator(".outcome-partial").filter(has_text=f"Create zone {zone}")
    expect(partial).to_contain_text(f"Succeeded on: {primary.name}")
    expect(partial.get_by_role("listitem")).to_contain_text([f"{secondary.name}:"])
    assert dns_query(primary, f"shop.{zone}.", "A") == ["192.0.2.77"]
    assert dns_query(primary, f"{zone}.", "MX") == [f"10 shop.{zone}."]


def assert_fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    widest = page.evaluate(WIDEST_ELEMENT)
    assert widest["right"] <= width, widest


def test_templates_fit_a_phone_and_the_editor_works_by_keyboard(
    page: Page, dnsmate: LiveDNSMate
) -> None:
    from playwright.sync_api import expect

    long_name = "a-rather-long-template-name-" * 3
    created = dnsmate.api.post(
        "/api/templates",
        json={
            "name": long_name,
            "nameservers": ["ns1.a-long-name-server-host-name.example.net."],
            "records": [
                {"name": "_acme-challenge.www", "type": "TXT", "content": "x" * 200},
                {"name": "@", "type": "MX", "content": "10 mail"},
            ],
        },
    )
    assert created.status_code == 201, created.text
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(page, dnsmate)
    page.goto("/templates")
    page.get_by_text("Show records").click()
    expect(page.get_by_test_id("template-preview")).to_contain_text("x" * 50)
    assert_fits(page, 390)

    page.goto("/zones")
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill("a-rather-long-zone-name-for-layout-checks.example")
    dialog.get_by_label("Template", exact=True).select_option(label=long_name)
    expect(dialog.get_by_test_id("template-preview")).to_contain_text("x" * 50)
    assert_fits(page, 390)
    page.keyboard.press("Escape")

    page.goto("/templates")
    page.get_by_role("button", name="+ Create template").click()
    dialog = page.get_by_role("dialog")
    add = dialog.get_by_role("button", name="+ Add record row")
    for _ in range(2):
        add.focus()
        page.keyboard.press("Enter")
    expect(dialog.get_by_label("Record 2 type")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("www")
    page.keyboard.press("Tab")
    page.keyboard.type("x" * 120)
    expect(dialog.get_by_label("Record 2 content")).to_be_focused()
    assert_fits(page, 390)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_template_dialog_sets_the_soa_of_zones_made_from_it(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers[:2]:
        dnsmate.add_server(server, multi=True)
    name = unique_zone("tpl-soa")
    log_in(page, dnsmate)
    page.goto("/templates")
    page.get_by_role("button", name="+ Create template").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Template name").fill(name)
    dialog.get_by_label("Name servers").fill("ns1.example.net")
    dialog.get_by_text("SOA of zones made from it").click()
    dialog.get_by_label("Primary name server").fill("ns0.example.net")
    dialog.get_by_label("Hostmaster").fill("dns.ops@example.org")
    dialog.get_by_label("Refresh (seconds)").fill("soon")
    dialog.get_by_label("Negative TTL (seconds)").fill("300")
    dialog.get_by_role("button", name="Create template").click()
    refresh = dialog.get_by_label("Refresh (seconds)")
    expect(refresh).to_have_attribute("aria-invalid", "true")
    refresh.fill("7200")
    dialog.get_by_role("button", name="Create template").click()
    expect(dialog).to_be_hidden()

    [made] = [t for t in dnsmate.api.get("/api/templates").json()["items"] if t["name"] == name]
    assert made["soa"] == {"primary": "ns0.example.net.", "hostmaster": "dns\\.ops.example.org.",
                           "refresh": 7200, "retry": None, "expire": None, "minimum": 300,
                           "ttl": None}  # fmt: skip
    zone = unique_zone("soa-tpl")
    created = dnsmate.api.post("/api/zones", json={"name": zone, "template_id": made["id"]})
    assert created.status_code == 201, created.text
    for server in pdns_servers[:2]:
        [soa] = dns_query(server, f"{zone}.", "SOA")
        primary, mailbox, _serial, *timers = soa.split()
        assert (primary, mailbox) == ("ns0.example.net.", "dns\\.ops.example.org.")
        assert timers == ["7200", "3600", "604800", "300"]  # the others: built-in defaults

    # Editing shows the fields; emptying them all gives the SOA back to Settings.
    row = page.get_by_role("row").filter(has_text=name)
    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Refresh (seconds)")).to_have_value("7200")
    expect(dialog.get_by_label("Primary name server")).to_have_value("ns0.example.net.")
    for label in ("Primary name server", "Hostmaster", "Refresh (seconds)",
                  "Negative TTL (seconds)"):  # fmt: skip
        dialog.get_by_label(label).fill("")
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog).to_be_hidden()
    assert dnsmate.api.get(f"/api/templates/{made['id']}").json()["soa"] is None
