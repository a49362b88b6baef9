"""Account security in the web interface: two-factor login (authenticator and recovery codes,
set up and turned off), and changing the password."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pyotp

from tests.e2e.conftest import log_in
from tests.e2e.live import LiveDNSMate

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_enable_two_factor_then_log_in_with_a_code(page: Page, dnsmate: LiveDNSMate) -> None:
    from playwright.sync_api import expect

    log_in(page, dnsmate)
    page.get_by_role("link", name="Settings").first.click()
    page.get_by_role("link", name="Security").click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor login").click()
    expect(page.get_by_role("img", name="QR code of the two-factor secret")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill(totp.now())
    page.get_by_role("button", name="Enable two-factor login").click()

    codes = page.get_by_label("Recovery codes")
    expect(codes).to_be_visible()
    recovery = codes.inner_text().split()
    assert len(recovery) >= 5
    expect(page.get_by_role("button", name="Copy recovery codes")).to_be_visible()
    expect(page.get_by_text("Two-factor login is on")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("E-mail").fill(dnsmate.email)
    page.get_by_label("Password").fill(dnsmate.password)
    page.get_by_role("button", name="Sign in").click()
    code_field = page.get_by_label("Two-factor code")
    expect(code_field).to_be_visible()
    # The next step's code: the one used to enable cannot be replayed, and the server accepts
    # one step of clock drift.
    code_field.fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    # Signed in again, back on the page that was open: two-factor login is on.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("button", name="Disable two-factor login")).to_be_visible()

    # Without the authenticator: a recovery code logs in once, and can disable two-factor.
    page.get_by_role("button", name="Log out").click()
    sign_in(page, dnsmate.email, dnsmate.password, code=recovery[0])
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    form = page.get_by_role("form", name="Disable two-factor login")
    form.get_by_label("Current password").fill(dnsmate.password)
    form.get_by_label("Two-factor code").fill(recovery[0])
    form.get_by_role("button", name="Disable two-factor login").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid two-factor code")  # used once
    form.get_by_label("Two-factor code").fill(recovery[1])
    form.get_by_role("button", name="Disable two-factor login").click()
    expect(page.get_by_text("Two-factor login is off")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    sign_in(page, dnsmate.email, dnsmate.password)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def sign_in(page: Page, email: str, password: str, code: str | None = None) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Two-factor code").fill(code)
        page.get_by_role("button", name="Sign in").click()


def test_change_password_ends_other_sessions(page: Page, dnsmate: LiveDNSMate) -> None:
    from playwright.sync_api import expect

    log_in(page, dnsmate)
    page.get_by_role("link", name="Settings").first.click()
    page.get_by_role("link", name="Security").click()
    form = page.get_by_role("form", name="Change password")
    form.get_by_label("Current password").fill(dnsmate.password)
    form.get_by_label("New password", exact=True).fill("a brand new passphrase")
    form.get_by_label("Repeat the new password").fill("a brand new passphrase!")
    expect(form.get_by_text("The two new passwords differ.")).to_be_visible()
    expect(form.get_by_role("button", name="Change password")).to_be_disabled()
    form.get_by_label("Repeat the new password").fill("a brand new passphrase")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_text("Password changed.")).to_be_visible()

    # The set-up client logged in before the change: its session has ended.
    assert dnsmate.api.get("/api/users/me").status_code == 401
    # This tab carries on with the new token.
    page.get_by_role("link", name="Zones").first.click()
    expect(page.get_by_role("heading", name="Zones")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    sign_in(page, dnsmate.email, "a brand new passphrase")
    # Signed in again with the new password, back on the page that was open.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", name="Zones")).to_be_visible()
