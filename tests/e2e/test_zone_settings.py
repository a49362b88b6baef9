"""Zone features in the browser: the SOA from Settings, edited with its form; checked over DNS
on every server."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsutil import dns_query
from tests.integration.test_record_attributes import server_rrset

if TYPE_CHECKING:
    from playwright.sync_api import Page


def soa(server: LocalPowerDNS, zone: str) -> list[str]:
    (answer,) = dns_query(server, f"{zone}.", "SOA")
    return answer.split()


def test_soa_defaults_in_settings_then_edited_in_the_zone(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    log_in(page, dnsmate)
    page.goto(f"{dnsmate.url}/settings/zone-defaults")
    page.get_by_label("Primary name server").fill("ns.dnsmate.example")
    page.get_by_label("Hostmaster").fill("noc@example.org")
    page.get_by_label("Refresh (seconds)").fill("7200")
    page.get_by_role("button", name="Save zone defaults").click()
    expect(page.get_by_text("Zone defaults saved")).to_be_visible()

    zone = unique_zone("soa-ui")
    page.get_by_role("link", name="Zones").click()
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill(zone)
    dialog.get_by_label("Name servers").fill("ns1.example.net")
    dialog.get_by_text("SOA (optional").click()
    expect(dialog.get_by_label("Primary name server")).to_have_attribute(
        "placeholder", "ns.dnsmate.example."
    )
    dialog.get_by_label("Negative TTL (seconds)").fill("300")
    dialog.get_by_role("button", name="Create zone").click()
    expect(dialog).to_be_hidden()
    for server in pdns_servers:
        primary, hostmaster, _serial, refresh, _retry, _expire, minimum = soa(server, zone)
        assert (primary, hostmaster, refresh, minimum) == (
            "ns.dnsmate.example.", "noc.example.org.", "7200", "300"
        )  # fmt: skip
    serials = {s.name: int(soa(s, zone)[2]) for s in pdns_servers}

    page.goto(f"{dnsmate.url}/zones/{zone}")
    page.get_by_role("button", name=f"Edit SOA of {zone}").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Primary name server")).to_have_value("ns.dnsmate.example.")
    dialog.get_by_label("Primary name server").fill("ns1.example.net.")
    dialog.get_by_label("Retry (seconds)").fill("not a number")
    dialog.get_by_role("button", name="Save SOA").click()
    expect(dialog.get_by_label("Retry (seconds)")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Retry (seconds)").fill("600")
    dialog.get_by_role("button", name="Save SOA").click()
    expect(dialog).to_be_hidden()
    soa_row = page.get_by_role("row").filter(has_text="Edit SOA")
    expect(soa_row).to_contain_text("ns1.example.net. noc.example.org.")
    for server in pdns_servers:
        primary, _h, serial, _refresh, retry, _expire, _minimum = soa(server, zone)
        assert (primary, retry) == ("ns1.example.net.", "600")
        assert int(serial) > serials[server.name]


def test_comment_and_disable_a_record_in_the_browser(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    zone = unique_zone("cmt-ui")
    dnsmate.create_zone(zone)
    for content in ("192.0.2.1", "192.0.2.2"):
        dnsmate.add_record(zone, "www", "A", content)
    log_in(page, dnsmate)
    page.goto(f"{dnsmate.url}/zones/{zone}")

    row = page.get_by_role("row").filter(has_text="192.0.2.2")
    row.get_by_role("button", name="Comments of").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Comment 1").fill("load balancer pool, ticket 42")
    dialog.get_by_role("button", name="Save comments").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text="192.0.2.1")).to_contain_text(
        "load balancer pool, ticket 42"
    )
    for server in pdns_servers:
        rrset = server_rrset(server, zone, f"www.{zone}.", "A")
        assert [c["content"] for c in rrset["comments"]] == ["load balancer pool, ticket 42"]

    row.get_by_role("button", name="Disable").click()
    expect(row).to_contain_text("disabled")
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1"]
    row.get_by_role("button", name="Enable").click()
    expect(row).not_to_contain_text("disabled")
    for server in pdns_servers:
        assert dns_query(server, f"www.{zone}.", "A") == ["192.0.2.1", "192.0.2.2"]


def test_tsig_key_and_zone_settings_in_the_browser(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    import httpx
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    zone = unique_zone("set-ui")
    dnsmate.create_zone(zone)
    key = f"k-{zone}"
    log_in(page, dnsmate)
    page.goto(f"{dnsmate.url}/settings/tsig-keys")
    page.get_by_label("Key name").fill(key)
    page.get_by_role("button", name="Create TSIG key").click()
    secret = page.locator(".secret-once code")
    expect(secret).to_be_visible()
    made = secret.inner_text()
    for server in pdns_servers:
        answer = httpx.get(
            f"{server.api_url}/api/v1/servers/localhost/tsigkeys/{key}.",
            headers={"X-API-Key": server.api_key},
        )
        assert answer.json()["key"] == made

    page.get_by_role("button", name="Hide").click()
    page.get_by_role("button", name=f"Rotate secret of {key}").click()
    page.get_by_role("dialog").get_by_role("button", name="Rotate secret").click()
    expect(secret).to_be_visible()
    rotated = secret.inner_text()
    assert rotated != made
    for server in pdns_servers:
        answer = httpx.get(
            f"{server.api_url}/api/v1/servers/localhost/tsigkeys/{key}.",
            headers={"X-API-Key": server.api_key},
        )
        assert answer.json()["key"] == rotated

    page.goto(f"{dnsmate.url}/zones/{zone}?view=settings")
    page.get_by_label("Kind").select_option("Master")
    page.get_by_label("Also notify").fill("192.0.2.54")
    page.get_by_label("TSIG keys allowed to transfer").fill(key)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("region", name="Change results")).to_contain_text("settings")
    for server in pdns_servers:
        base = f"{server.api_url}/api/v1/servers/localhost/zones/{zone}."
        headers = {"X-API-Key": server.api_key}
        data = httpx.get(base, params={"rrsets": "false"}, headers=headers).json()
        assert data["kind"] == "Master" and data["master_tsig_key_ids"] == [f"{key}."]
        also = httpx.get(f"{base}/metadata/ALSO-NOTIFY", headers=headers).json()
        assert also["metadata"] == ["192.0.2.54"]


def test_catalog_zone_created_and_member_assigned_in_the_browser(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    import httpx
    from playwright.sync_api import expect

    for server in pdns_servers:
        dnsmate.add_server(server, multi=True)
    catalog, zone = unique_zone("cat-ui"), unique_zone("mem-ui")
    made = dnsmate.api.post(
        "/api/zones", json={"name": zone, "kind": "Master", "nameservers": ["ns1.example.net."]}
    )
    assert made.status_code == 201, made.text
    log_in(page, dnsmate)
    page.goto(f"{dnsmate.url}/zones")
    page.get_by_role("button", name="+ Create zone").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Zone name").fill(catalog)
    dialog.get_by_label("Kind").select_option("Producer")
    expect(dialog).to_contain_text("Catalog zone")
    dialog.get_by_role("button", name="Create zone").click()
    expect(dialog).to_be_hidden()

    page.goto(f"{dnsmate.url}/zones/{zone}?view=settings")
    page.get_by_label("Catalog").fill("absent.example")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("there is no zone absent.example")).to_be_visible()
    page.get_by_label("Catalog").fill(catalog)
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("region", name="Change results")).to_contain_text("settings")
    for server in pdns_servers:
        base = f"{server.api_url}/api/v1/servers/localhost/zones"
        headers = {"X-API-Key": server.api_key}
        member = httpx.get(f"{base}/{zone}.", params={"rrsets": "false"}, headers=headers)
        assert member.json()["catalog"] == f"{catalog}."
        producer = httpx.get(f"{base}/{catalog}.", params={"rrsets": "false"}, headers=headers)
        assert producer.json()["kind"] == "Producer"

    page.goto(f"{dnsmate.url}/zones/{zone}")
    page.locator(".zone-meta").get_by_role("link", name=catalog).click()
    expect(page).to_have_url(f"{dnsmate.url}/zones/{catalog}?view=settings")
    members = page.get_by_role("region", name="Catalog members")
    members.get_by_role("link", name=zone).click()
    expect(page).to_have_url(f"{dnsmate.url}/zones/{zone}")
