"""Settings > Webhooks in the browser: an endpoint is added (its secret shown once), "Send
test" delivers a signed test event to a real receiver on loopback, and the log shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate
from tests.integration.test_webhooks import Receiver, verify

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.mark.live_settings(webhook_interval_seconds=0.5)
def test_add_an_endpoint_and_send_a_test(page: Page, dnsmate: LiveDNSMate) -> None:
    from playwright.sync_api import expect

    receiver = Receiver()
    receiver.start()
    try:
        log_in(page, dnsmate)
        page.goto("/settings/webhooks")
        form = page.get_by_role("form", name="Add webhook")
        form.get_by_label("Name").fill("chat-ops")
        form.get_by_label("URL").fill(receiver.url)
        form.get_by_role("checkbox", name="record.changed").check()
        form.get_by_role("button", name="Add webhook").click()
        shown = page.get_by_role("status").filter(has_text="shown only now")
        expect(shown).to_contain_text("whsec_")
        secret = shown.locator("code").inner_text()

        row = page.get_by_role("row").filter(has_text="chat-ops")
        row.get_by_role("button", name="Send test").click()
        log = page.get_by_role("table", name="Deliveries to chat-ops")
        expect(log.get_by_role("row").filter(has_text="webhook.test")).to_contain_text(
            "delivered", timeout=30_000
        )
        expect(log).to_contain_text("HTTP 200")
        [(headers, body)] = receiver.received
        assert verify(secret, headers, body)["event"] == "webhook.test"
        listed = dnsmate.api.get("/api/webhooks")
        assert secret not in listed.text
    finally:
        receiver.stop()
