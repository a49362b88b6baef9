"""DNS update keys in the browser: create one (secret shown once), use it with nsupdate
against the live DNSMate's listener, revoke it."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.conftest import unique_zone
from tests.integration.dnsupdateutil import free_port
from tests.integration.dnsutil import dns_query

if TYPE_CHECKING:
    from playwright.sync_api import Page

PORT = free_port()


def nsupdate(key: str, script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["nsupdate", "-t", "10", "-y", key],
        input=f"server 127.0.0.1 {PORT}\n{script}\nsend\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.live_settings(dns_update_listen=f"127.0.0.1:{PORT}")
def test_key_is_created_used_by_nsupdate_and_revoked(
    page: Page, dnsmate: LiveDNSMate, pdns_servers: list[LocalPowerDNS]
) -> None:
    from playwright.sync_api import expect

    dnsmate.add_server(pdns_servers[0], multi=True)
    zone = unique_zone("e2e-ddns")
    dnsmate.create_zone(zone)
    log_in(page, dnsmate)
    page.goto("/settings/dns-update-keys")
    page.get_by_role("button", name="+ Create key").click()
    page.get_by_label("Key name").fill("dhcp1-ddns")
    page.get_by_label("Limit to zones").fill(zone)
    page.get_by_role("dialog").get_by_role("button", name="Create key").click()
    secret = page.get_by_label("Secret (base64)").input_value()
    command = page.get_by_label("nsupdate").input_value()
    assert command == f"nsupdate -y hmac-sha256:dhcp1-ddns:{secret}"
    page.get_by_role("button", name="Done").click()
    row = page.get_by_role("row").filter(has_text="dhcp1-ddns")
    expect(row).to_contain_text(zone)
    assert secret not in page.content()

    key = f"hmac-sha256:dhcp1-ddns:{secret}"
    added = nsupdate(key, f"zone {zone}\nupdate add pc1.{zone}. 300 A 192.0.2.31")
    assert added.returncode == 0, added.stdout + added.stderr
    assert dns_query(pdns_servers[0], f"pc1.{zone}.", "A") == ["192.0.2.31"]

    row.get_by_role("button", name="Revoke key dhcp1-ddns").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke key").click()
    expect(row).to_have_count(0)
    refused = nsupdate(key, f"zone {zone}\nupdate add pc2.{zone}. 300 A 192.0.2.32")
    assert refused.returncode != 0 and "NOTAUTH" in refused.stdout + refused.stderr
    assert dns_query(pdns_servers[0], f"pc2.{zone}.", "A") == []
