"""Bulk changes, delete by filter and the global search from the browser, checked over DNS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page

HEADER = "op,name,type,content,ttl,old_content\n"


def test_bulk_csv_with_a_bad_row_then_a_good_bulk(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    zone = dnsmate.zone_on(*pdns_servers)
    dnsmate.add_record(zone, "www", "A", "192.0.2.1")
    dnsmate.add_record(zone, "old", "TXT", "remove me")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "add,ok,A,192.0.2.5,300,\nadd,broken,A,192.0.2.300,300,\n")
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    page.get_by_role("button", name="Bulk changes").click()

    page.get_by_label("Or load a file").set_input_files(str(bad))
    expect(page.get_by_label("Operations")).to_have_value(bad.read_text())
    page.get_by_role("button", name="Validate").click()
    errors = page.get_by_test_id("bulk-errors")
    expect(errors).to_contain_text("1 invalid row; nothing was applied.")
    expect(errors).to_contain_text("Row 3 (content)")
    expect(errors).to_contain_text("add,broken,A,192.0.2.300,300,")
    expect(page.get_by_role("button", name="Apply")).to_be_disabled()
    for server in pdns_servers:
        assert dns_query(server, f"ok.{zone}", "A") == []
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.1"]

    adds = "".join(f"add,host{i},A,198.51.100.{i},300,\n" for i in range(1, 51))
    good = HEADER + adds + "update,www,A,192.0.2.2,,192.0.2.1\ndelete,old,TXT,,,\n"
    page.get_by_label("Operations").fill(good)
    expect(errors).to_be_hidden()
    page.get_by_role("button", name="Validate").click()
    plan = page.get_by_test_id("bulk-plan")
    expect(plan).to_contain_text("52 operations valid (50 add, 1 update, 1 delete).")
    expect(plan).to_contain_text("50 RRsets added, 1 changed, 1 deleted.")
    expect(plan).to_contain_text(f"+ host7.{zone} A 198.51.100.7")
    page.get_by_role("button", name="Apply").click()
    done = page.locator(".outcome-success").filter(has_text=f"Bulk change in {zone}")
    expect(done).to_contain_text("Applied on: " + ", ".join(s.name for s in pdns_servers))
    expect(page.get_by_label("Operations")).to_have_value("")
    for server in pdns_servers:
        for i in range(1, 51):
            assert dns_query(server, f"host{i}.{zone}", "A") == [f"198.51.100.{i}"]
        assert dns_query(server, f"www.{zone}", "A") == ["192.0.2.2"]
        assert dns_query(server, f"old.{zone}", "TXT") == []


def test_delete_by_filter_previews_then_deletes_exactly_the_matches(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    zone = dnsmate.zone_on(*pdns_servers)
    for name in ("a.dev", "b.dev", "devx", "keep"):
        dnsmate.add_record(zone, name, "A", "192.0.2.9")
    dnsmate.add_record(zone, "a.dev", "TXT", "dev box")
    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}?view=bulk")

    page.get_by_label("Name pattern").fill("*.dev")
    page.get_by_label("Record type").select_option("A")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_test_id("delete-preview")
    expect(preview).to_contain_text("2 RRsets match *.dev (A).")
    expect(preview.get_by_role("listitem")).to_have_text(
        [f"− a.dev.{zone} A 192.0.2.9", f"− b.dev.{zone} A 192.0.2.9"]
    )
    page.get_by_role("button", name="Delete 2 RRsets…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(", ".join(s.name for s in pdns_servers))
    dialog.get_by_role("button", name="Delete 2 RRsets").click()
    expect(dialog).to_be_hidden()
    done = page.locator(".outcome-success").filter(has_text=f"in {zone}")
    expect(done).to_contain_text("Applied on: " + ", ".join(s.name for s in pdns_servers))
    expect(preview).to_be_hidden()
    for server in pdns_servers:
        assert dns_query(server, f"a.dev.{zone}", "A") == []
        assert dns_query(server, f"b.dev.{zone}", "A") == []
        assert dns_query(server, f"a.dev.{zone}", "TXT") == ['"dev box"']
        assert dns_query(server, f"devx.{zone}", "A") == ["192.0.2.9"]
        assert dns_query(server, f"keep.{zone}", "A") == ["192.0.2.9"]


def test_global_search_finds_a_record_by_content_and_opens_its_zone(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    zone = dnsmate.zone_on(pdns_servers[0])
    dnsmate.add_record(zone, "www", "A", "192.0.2.1")
    dnsmate.add_record(zone, "findme", "TXT", "needle-in-the-haystack-e2e")
    log_in(page, dnsmate)

    page.keyboard.press("/")
    box = page.get_by_role("searchbox", name="Find everywhere")
    expect(box).to_be_focused()
    page.keyboard.type("in-the-haystack-e2e")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="needle-in-the-haystack-e2e")
    expect(row).to_have_count(1)
    expect(row.locator("mark")).to_have_text("in-the-haystack-e2e")
    row.get_by_role("link", name=f"findme.{zone}").click()

    expect(page.get_by_role("heading", name=zone)).to_be_visible()
    marked = page.locator(".records-table tr[aria-current='true']")
    expect(marked).to_contain_text("needle-in-the-haystack-e2e")
    expect(page.locator(".records-table tbody tr")).to_have_count(1)

    box.fill("no-such-thing-anywhere-e2e")
    box.press("Enter")
    expect(page.get_by_test_id("search-empty")).to_contain_text(
        "Nothing matches “no-such-thing-anywhere-e2e”."
    )
