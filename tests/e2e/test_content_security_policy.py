"""The web interface works under DNSMate's Content-Security-Policy: no violation reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_pages_load_without_csp_violations(page: Page, dnsmate: LiveDNSMate) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    response = page.goto("/")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    log_in(page, dnsmate)
    for path in ("/zones", "/settings/tokens", "/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    violations = [m for m in messages if "CSP violation" in m or "Content Security Policy" in m]
    assert violations == []
