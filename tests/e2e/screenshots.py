"""``make screenshots``: PNGs of each page under docs/screenshots/, from a live DNSMate with the
demo's three servers (Primary and Secondary in multi-server mode, Legacy not).

Not collected by ``pytest`` (the file name has no test_ prefix); run it by path.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate, replace_directly

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ZONE = "example.com"
RECORDS = [
    ("@", "A", "192.0.2.10"),
    ("www", "A", "192.0.2.10"),
    ("www", "A", "192.0.2.11"),
    ("@", "MX", "10 mail.example.com."),
    ("mail", "A", "192.0.2.20"),
    ("@", "TXT", "v=spf1 mx -all"),
    ("_sip._tcp", "SRV", "10 5 5060 sip.example.com."),
    ("sip", "AAAA", "2001:db8::5"),
    ("shop", "CNAME", "www.example.com."),
]


def shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let fonts and the last repaint settle
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)


def test_screenshots(browser: Browser, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS]) -> None:
    from playwright.sync_api import expect

    primary, secondary, legacy = pdns
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    dnsmate.add_server(legacy, multi=False)
    for zone in (ZONE, "example.org", "shop.example.net"):
        dnsmate.api.delete(f"/api/zones/{zone}")
        dnsmate.create_zone(zone)
    for name, rtype, content in RECORDS:
        dnsmate.add_record(ZONE, name, rtype, content)

    for width, scheme, suffix in ((1280, "light", ""), (390, "dark", "-mobile-dark")):
        context = browser.new_context(
            base_url=dnsmate.url,
            viewport={"width": width, "height": 800},
            color_scheme=scheme,  # type: ignore[arg-type]
        )
        page = context.new_page()
        page.goto("/login")
        page.get_by_role("button", name="Sign in").wait_for()
        shoot(page, f"login{suffix}")
        log_in(page, dnsmate)
        expect(page.locator(".server-card .badge-ok")).to_have_count(3)
        expect(page.get_by_role("table", name="Operations per PowerDNS server")).to_be_visible()
        shoot(page, f"dashboard{suffix}")
        page.goto("/zones")
        expect(page.get_by_role("link", name=ZONE)).to_be_visible()
        shoot(page, f"zones{suffix}")
        page.goto(f"/zones/{ZONE}")
        expect(page.get_by_role("row").filter(has_text="sip.example.com.")).to_be_visible()
        shoot(page, f"zone-detail{suffix}")
        page.goto("/settings/powerdns")
        expect(page.locator(".server-card .badge-ok")).to_have_count(3)
        shoot(page, f"settings-powerdns{suffix}")
        context.close()

    dnsmate.api.post("/api/tokens", json={"name": "certbot on web1", "zones": [ZONE]})
    dnsmate.api.post("/api/tokens", json={"name": "monitoring", "read_only": True})
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)
    page.goto("/settings/tokens")
    expect(page.get_by_role("row").filter(has_text="monitoring")).to_be_visible()
    shoot(page, "settings-tokens")
    page.goto("/settings/users")
    expect(page.get_by_role("row").filter(has_text=dnsmate.email)).to_be_visible()
    shoot(page, "settings-users")
    page.goto(f"/zones/{ZONE}?view=history")
    expect(page.get_by_role("button", name="Roll back to version").first).to_be_visible()
    shoot(page, "zone-history")
    page.goto("/audit")
    expect(page.locator(".audit-table tbody tr").first).to_be_visible()
    shoot(page, "audit-log")
    page.goto(f"/zones/{ZONE}?view=bulk")
    page.get_by_label("Operations").fill(
        "op,name,type,content,ttl,old_content\nadd,api,A,192.0.2.30,300,\n"
        "add,cdn,CNAME,www.example.com.,,\nadd,bad,A,192.0.2.300,,\n"
        "update,www,A,192.0.2.12,,192.0.2.11\n"
    )
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("bulk-errors")).to_be_visible()
    shoot(page, "zone-bulk-errors")
    page.goto("/search?q=192.0.2.1")
    expect(page.get_by_role("row").filter(has_text="192.0.2.10").first).to_be_visible()
    shoot(page, "search")
    dnsmate.api.post(
        f"/api/templates/from-zone/{ZONE}",
        json={"name": "web and mail", "description": f"Saved from {ZONE}"},
    )
    page.goto("/templates")
    row = page.get_by_role("row").filter(has_text="web and mail")
    row.get_by_text("Show records").click()
    expect(row.get_by_test_id("template-preview")).to_be_visible()
    shoot(page, "templates")
    page.get_by_role("button", name="Edit template web and mail").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Record 1 content").fill("192.0.2.300")
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog.locator(".field-invalid")).to_be_visible()
    shoot(page, "template-dialog-error", full_page=False)
    page.keyboard.press("Escape")
    page.goto("/zones")
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill("example.net")
    dialog.get_by_label("Template", exact=True).select_option(label="web and mail")
    expect(dialog.get_by_test_id("template-preview")).to_be_visible()
    shoot(page, "zone-create-template", full_page=False)
    context.close()

    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)
    page.goto(f"/zones/{ZONE}")
    page.get_by_role("button", name="+ Add record").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name", exact=True).fill("api")
    dialog.get_by_label("Type", exact=True).select_option("MX")
    dialog.get_by_label("Content", exact=True).fill("mail.example.com")
    dialog.get_by_role("button", name="Add record").click()
    expect(dialog.locator(".field-invalid")).to_be_visible()
    shoot(page, "record-dialog-error", full_page=False)
    dialog.get_by_label("Type", exact=True).select_option("A")
    dialog.get_by_label("Content", exact=True).fill("192.0.2.50")
    secondary.stop()
    dialog.get_by_role("button", name="Add record").click()
    expect(page.locator(".outcome-partial")).to_be_visible()
    shoot(page, "partial-success-207")
    page.goto("/settings/consistency")
    expect(page.get_by_role("row").filter(has_text=secondary.name).last).to_be_visible()
    shoot(page, "settings-consistency")
    context.close()

    # Settings > Sync: www changed on Secondary behind DNSMate's back, then the diff and plan.
    secondary.start()
    replace_directly(secondary, ZONE, "www", "A", "198.51.100.7")
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)
    page.goto("/settings/sync?problems=1")
    expect(page.locator(f'tr[data-zone="{ZONE}"] [data-state="drifted"]').first).to_be_visible()
    shoot(page, "settings-sync")
    page.goto(f"/settings/sync/{ZONE}")
    expect(page.locator(".diff-table tbody tr").first).to_be_visible()
    page.get_by_role("button", name="Show plan").click()
    expect(page.get_by_test_id("reconcile-plan")).to_be_visible()
    shoot(page, "settings-sync-diff")
    context.close()

    # Settings > PowerDNS: onboarding Legacy from Primary, the plan before seeding.
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, dnsmate)
    page.goto("/settings")
    page.locator(f'[data-server="{legacy.name}"]').get_by_role("button", name="Onboard…").click()
    page.get_by_role("button", name="Show plan").click()
    expect(page.get_by_test_id("onboard-plan")).to_be_visible()
    shoot(page, "settings-onboard-plan", full_page=False)
    page.get_by_role("dialog").get_by_role("button", name="Cancel", exact=True).click()

    # Adding a server in multi-server mode while the servers hold zones: the form's note,
    # then the server added "Not onboarded" with the offer to onboard it.
    page.get_by_role("button", name="+ Add server").click()
    form = page.get_by_role("dialog", name="Add PowerDNS server")
    form.get_by_label("Name").fill("ns4")
    form.get_by_label("API URL").fill("http://127.0.0.1:9")
    form.get_by_label("API key").fill("not-shown")
    form.get_by_label("Multi-server mode (receive every write)").check()
    expect(form.get_by_test_id("join-note")).to_be_visible()
    shoot(page, "settings-add-server", full_page=False)
    form.get_by_role("button", name="Add server").click()
    expect(page.get_by_test_id("onboarding-needed")).to_be_visible()
    shoot(page, "settings-add-server-pending", full_page=False)
    context.close()
