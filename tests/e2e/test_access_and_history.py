"""Tokens, roles and zone history in the browser, against a live DNSMate and real PowerDNS."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_token_secret_is_shown_once_and_works(page: Page, dnsmate: LiveDNSMate) -> None:
    from playwright.sync_api import expect

    log_in(page, dnsmate)
    page.goto("/settings/tokens")
    page.get_by_role("button", name="+ Create token").click()
    page.get_by_label("Token name").fill("ci pipeline")
    page.get_by_role("dialog").get_by_role("button", name="Create token").click()
    secret_field = page.get_by_label("Token secret")
    expect(secret_field).to_be_visible()
    secret = secret_field.input_value()
    assert secret.startswith("dnsmate_")
    expect(page.get_by_role("dialog")).to_contain_text("shown only once")
    page.get_by_role("button", name="Done").click()

    row = page.get_by_role("row").filter(has_text="ci pipeline")
    expect(row).to_contain_text("Read/write · all zones")
    assert secret not in page.content()
    me = httpx.get(
        f"{dnsmate.url}/api/auth/me", headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )
    assert me.status_code == 200
    assert me.json()["email"] == dnsmate.email

    row.get_by_role("button", name="Revoke token ci pipeline").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke token").click()
    expect(row).to_have_count(0)
    revoked = httpx.get(
        f"{dnsmate.url}/api/auth/me", headers={"Authorization": f"Bearer {secret}"}, timeout=30
    )
    assert revoked.status_code == 401


def test_reader_sees_zones_but_no_change_buttons(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=False)
    zone = unique_zone("e2e")
    dnsmate.create_zone(zone)
    password = "a long enough pass phrase"
    created = dnsmate.api.post(
        "/api/users", json={"email": "reader@example.com", "password": password, "role": "reader"}
    )
    assert created.status_code == 201, created.text
    reader = LiveDNSMate(dnsmate.url, "reader@example.com", password, dnsmate.api)

    log_in(page, reader)
    page.goto(f"/zones/{zone}")
    expect(page.get_by_role("row", name="@ NS ns1.example.net.")).to_be_visible()
    expect(page.get_by_role("button", name="+ Add record")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete zone")).to_have_count(0)
    expect(page.get_by_role("button", name="Edit", exact=False)).to_have_count(0)
    page.goto("/settings/powerdns")
    expect(page.locator(".server-card")).to_have_count(1)
    expect(page.get_by_role("button", name="+ Add server")).to_have_count(0)
    expect(page.get_by_role("link", name="Users")).to_have_count(0)


def test_rollback_from_history_restores_the_dns_answer(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns_servers
    zone = dnsmate.zone_on(primary, secondary)
    dnsmate.add_record(zone, "app", "A", "192.0.2.1")
    changed = dnsmate.api.put(
        f"/api/records/{zone}/app/A", json={"old_content": "192.0.2.1", "content": "192.0.2.2"}
    )
    assert changed.status_code == 200, changed.text
    assert dns_query(primary, f"app.{zone}", "A") == ["192.0.2.2"]
    versions = dnsmate.api.get(f"/api/zones/{zone}/versions").json()["items"]
    added = next(v for v in versions if v["action"] == "record.create")

    log_in(page, dnsmate)
    page.goto(f"/zones/{zone}")
    page.get_by_role("button", name="History").click()
    page.get_by_role("button", name=f"Roll back to version {added['id']}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_test_id("rollback-summary")).to_have_text(
        "0 RRsets added, 1 changed, 0 deleted."
    )
    expect(dialog).to_contain_text("192.0.2.2 → 192.0.2.1")
    dialog.get_by_role("button", name="Roll back").click()
    done = page.locator(".outcome-success").filter(has_text=f"back to version {added['id']}")
    expect(done).to_contain_text(f"Applied on: {primary.name}, {secondary.name}")
    for server in (primary, secondary):
        assert dns_query(server, f"app.{zone}", "A") == ["192.0.2.1"]


def test_audit_log_lists_changes_filtered_by_zone(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=False)
    zone, other = unique_zone("e2e"), unique_zone("e2e")
    dnsmate.create_zone(zone)
    dnsmate.create_zone(other)
    dnsmate.add_record(zone, "audited", "A", "192.0.2.70")
    log_in(page, dnsmate)
    expect(page.get_by_role("heading", name="Recent changes")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.get_by_label("Zone").fill(zone)
    rows = page.locator(".audit-table tbody tr")
    expect(rows.filter(has_text="record.create")).to_have_count(1)
    expect(rows.filter(has_text=other)).to_have_count(0)
    event = rows.filter(has_text="record.create")
    expect(event).to_contain_text("success")
    event.get_by_text("Details").click()
    expect(event.locator(".audit-json")).to_contain_text("192.0.2.70")
