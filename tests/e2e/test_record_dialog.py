"""The record dialog as an operator meets it: TTLs of existing RRsets, and messages that say
what to type, once, next to the field (issue 14, defects 3 and 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query, dns_response

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


def open_add_dialog(page: Page, name: str, rtype: str, content: str) -> Locator:
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Type", exact=True).select_option(rtype)
    dialog.get_by_label("Content", exact=True).fill(content)
    return dialog


def test_adding_a_record_keeps_the_ttl_of_its_rrset(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    existing = dnsmate.api.post(
        f"/api/records/{zone}",
        json={"name": "app", "type": "A", "content": "192.0.2.1", "ttl": 1800},
    )
    assert existing.status_code == 201, existing.text
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")

    dialog = open_add_dialog(page, "app", "A", "192.0.2.2")
    ttl = dialog.get_by_label("TTL (seconds)")
    expect(ttl).to_have_value("1800")
    expect(dialog).to_contain_text("1 A record at this name already has TTL 1800")
    expect(dialog).to_contain_text("the TTL applies to the whole RRset")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".outcome-success").filter(has_text="Add A record app")).to_contain_text(
        f"Applied on: {primary.name}, {secondary.name}"
    )
    for server in (primary, secondary):
        [answer] = dns_response(server, f"app.{zone}.", "A").answer
        assert answer.ttl == 1800
        assert sorted(r.to_text() for r in answer) == ["192.0.2.1", "192.0.2.2"]

    # A new RRset starts at one hour; a typed TTL is sent as typed.
    dialog = open_add_dialog(page, "fresh", "A", "192.0.2.3")
    expect(dialog.get_by_label("TTL (seconds)")).to_have_value("3600")
    dialog.get_by_label("TTL (seconds)").fill("one hour")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog.locator(".field-invalid")).to_contain_text("whole number, e.g. 3600")
    dialog.get_by_label("TTL (seconds)").fill("600")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog).to_be_hidden()
    [fresh] = dns_response(primary, f"fresh.{zone}.", "A").answer
    assert fresh.ttl == 600


def test_bad_input_is_explained_once_next_to_its_field(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "www", "A", "192.0.2.10")
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")

    dialog = open_add_dialog(page, "bad name", "A", "192.0.2.1")
    dialog.get_by_role("button", name="Add record").click()
    name_field = dialog.locator(".field-invalid")
    expect(name_field).to_contain_text("'bad name' contains a space")
    expect(name_field).to_contain_text("e.g. bad-name")
    expect(dialog.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")

    dialog.get_by_label("Name", exact=True).fill("mail")
    dialog.get_by_label("Type", exact=True).select_option("MX")
    dialog.get_by_label("Content", exact=True).fill("mail.example.net.")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog.locator(".field-invalid")).to_contain_text(
        "write a preference number, then the mail server's host name, e.g. 10 mail.example.com."
    )

    # A CNAME beside the A: both servers refuse it; it is said once, at the Type field.
    dialog.get_by_label("Name", exact=True).fill("www")
    dialog.get_by_label("Type", exact=True).select_option("CNAME")
    dialog.get_by_label("Content", exact=True).fill("other.example.net.")
    dialog.get_by_role("button", name="Add record").click()
    errors = dialog.locator(".field-error")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text(
        f"www.{zone} already has A records; a CNAME cannot coexist with other data: "
        "choose another name, or delete those records first"
    )
    expect(dialog.get_by_label("Type", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".outcome")).to_have_count(0)
    text = page.content()
    assert "\\032" not in text and "malformed" not in text and "expecting" not in text
    for server in (primary, secondary):
        assert dns_query(server, f"www.{zone}", "CNAME") == []
        assert dns_query(server, f"mail.{zone}", "MX") == []
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.10"]
