"""Passkeys in Chromium with its virtual authenticator (the DevTools protocol's WebAuthn
domain): register two named passkeys, use one as the second factor after the password and
to sign in with no password, remove them, and a removed passkey no longer signs in.

WebAuthn needs a host name, not an IP address, as the relying party: the browser talks
to the live DNSMate as ``localhost``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.live import LiveDNSMate

if TYPE_CHECKING:
    from playwright.sync_api import Browser, CDPSession, Page

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@pytest.fixture
def local_page(browser: Browser, dnsmate: LiveDNSMate) -> Iterator[tuple[Page, CDPSession]]:
    """A tab on http://localhost:PORT with a virtual authenticator."""
    url = dnsmate.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("WebAuthn.enable")
    yield tab, cdp
    context.close()


def _add_authenticator(cdp: CDPSession) -> str:
    answer: dict[str, Any] = cdp.send(
        "WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR}
    )
    return str(answer["authenticatorId"])


def _security(page: Page) -> None:
    page.get_by_role("link", name="Settings").first.click()
    page.get_by_role("link", name="Security").click()


def _register(page: Page, name: str) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Passkey name").fill(name)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("list", name="Your passkeys")).to_contain_text(name)


def test_register_sign_in_and_remove_passkeys(
    local_page: tuple[Page, CDPSession], dnsmate: LiveDNSMate
) -> None:
    from playwright.sync_api import expect

    page, cdp = local_page
    laptop = _add_authenticator(cdp)
    page.goto("/")
    page.get_by_label("E-mail").fill(dnsmate.email)
    page.get_by_label("Password").fill(dnsmate.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    _security(page)
    _register(page, "work laptop")
    # A second device: another authenticator with its own key.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": laptop})
    _add_authenticator(cdp)
    _register(page, "phone")
    listed = dnsmate.api.get("/api/auth/passkeys")
    assert [p["name"] for p in listed.json()] == ["work laptop", "phone"]

    # With a passkey registered, the password alone is not enough: the passkey is the
    # second factor (instead of an authenticator code).
    page.get_by_role("button", name="Log out").click()
    page.get_by_label("E-mail").fill(dnsmate.email)
    page.get_by_label("Password").fill(dnsmate.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_label("Two-factor code")).to_be_visible()
    page.get_by_role("button", name="Use a passkey instead").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # And without a password at all.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Use a passkey", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _security(page)
    passkeys = page.get_by_role("list", name="Your passkeys")
    expect(passkeys.get_by_role("listitem").filter(has_text="phone")).to_contain_text("last used")
    signins = page.get_by_role("table", name="Recent sign-ins")
    expect(signins.get_by_role("row").nth(1)).to_contain_text("passkey")

    page.get_by_role("button", name="Remove passkey work laptop").click()
    expect(passkeys).not_to_contain_text("work laptop")
    page.get_by_role("button", name="Remove passkey phone").click()
    expect(passkeys).to_contain_text("No passkeys yet")
    # The authenticator still holds the phone's key, but DNSMate no longer knows it.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Use a passkey", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("not registered")
