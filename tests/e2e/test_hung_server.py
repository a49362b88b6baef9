"""A PowerDNS server that accepts connections and never answers, in Chromium: the dashboard
and Settings show every healthy server, mark the hung one "Not answering", and never claim
that no server can take changes while health is loading."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

HUNG = "Hung PowerDNS"


@pytest.fixture
def hung_url() -> Iterator[str]:
    """A loopback listener that accepts every connection and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


@pytest.mark.live_settings(sync_worker=False)
def test_dashboard_and_settings_show_healthy_servers_and_a_hung_one(
    page: Page, dnsmate: LiveDNSMate, pdns: list[LocalPowerDNS], hung_url: str
) -> None:
    from playwright.sync_api import expect

    primary, secondary, _ = pdns
    dnsmate.add_server(primary, multi=True)
    dnsmate.add_server(secondary, multi=True)
    response = dnsmate.api.post(
        "/api/settings/powerdns",
        json={"name": HUNG, "api_url": hung_url, "api_key": "never-used", "timeout_seconds": 60},
    )
    assert response.status_code == 201, response.text
    joined = dnsmate.api.put(
        f"/api/settings/powerdns/{response.json()['id']}",
        json={"multi_server_mode": True, "force_join": True},
    )
    assert joined.status_code == 200, joined.text

    # While the health check is still out, the servers and the write targets are there.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/api/settings/powerdns/health", hold)
    log_in(page, dnsmate)
    servers = page.get_by_role("list", name="PowerDNS servers")
    expect(servers.locator("li")).to_have_count(3)
    expect(page.get_by_test_id("write-targets")).to_contain_text("written to 3 servers")
    expect(servers.get_by_text("Checking…")).to_have_count(3)
    expect(page.get_by_text("No server can take changes")).to_have_count(0)
    for route in held:
        route.continue_()
    page.unroute("**/api/settings/powerdns/health")

    for name in (primary.name, secondary.name):
        expect(servers.locator(f'li[data-server="{name}"]')).to_contain_text("Healthy")
    expect(servers.locator(f'li[data-server="{HUNG}"]')).to_contain_text("Not answering")
    expect(page.locator(".stat", has_text="PowerDNS servers healthy")).to_contain_text("2/3")
    # Each healthy server's own PowerDNS figures; the hung one's are not answering.
    for name in (primary.name, secondary.name):
        figures = page.get_by_label(f"PowerDNS figures of {name}")
        expect(figures).to_contain_text("Uptime")
        expect(figures).to_contain_text("Queries")
    expect(servers.locator(f'li[data-server="{HUNG}"]')).to_contain_text(
        "PowerDNS figures: not answering"
    )
    expect(page.get_by_text("No server can take changes")).to_have_count(0)

    page.goto("/settings/powerdns")
    configured = page.get_by_role("list", name="Configured PowerDNS servers")
    for name in (primary.name, secondary.name):
        expect(configured.locator(f'li[data-server="{name}"]')).to_contain_text(
            re.compile(r"Healthy · \d+ ms")
        )
    expect(configured.locator(f'li[data-server="{HUNG}"]')).to_contain_text("Not answering")
    expect(page.get_by_test_id("write-targets")).to_contain_text("written to 3 servers")
