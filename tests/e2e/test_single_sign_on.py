"""Single sign-on in Chromium: "Sign in with ..." on the login page, the provider's own
sign-in page (a real OpenID provider process, tests/oidcprovider.py), and back in DNSMate
with the role the person's groups map to; a person without a mapped group is told why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dnsmate.api.deps import AppContext
from dnsmate.services.identity.oidc import OidcProviders
from tests.conftest import LiveServer, oidc_settings
from tests.e2e.live import LiveDNSMate
from tests.oidcprovider import Provider

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _use_provider(live_server: LiveServer, provider: Provider) -> None:
    """Configure the provider now that the server's address (the redirect URI) is known."""
    fields = oidc_settings(provider, live_server.url)
    context: AppContext = live_server.app.state.context
    context.oidc = OidcProviders(fields["oidc_providers"])  # type: ignore[arg-type]


def _sign_in_at_provider(page: Page, subject: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Sign in with Example SSO").click()
    page.wait_for_url(lambda url: "/oauth2/authorize" in url)
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_with_the_provider_lands_with_the_mapped_role(
    page: Page, dnsmate: LiveDNSMate, live_server: LiveServer, openid_provider: Provider
) -> None:
    from playwright.sync_api import expect

    _use_provider(live_server, openid_provider)
    _sign_in_at_provider(page, "alice")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    # alice is in dns-admins: an admin, who sees the admin-only settings.
    page.get_by_role("link", name="Settings").first.click()
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    page.get_by_role("link", name="Security").click()
    signins = page.get_by_role("table", name="Recent sign-ins")
    expect(signins.get_by_role("row").nth(1)).to_contain_text("oidc:example")
    expect(signins.get_by_role("row").nth(1)).to_contain_text("admin")
    users = dnsmate.api.get("/api/users").json()
    alice = next(u for u in users if u["email"] == "alice@example.org")
    assert (alice["role"], alice["auth_provider"]) == ("admin", "oidc:example")


def test_a_person_without_a_mapped_group_is_told_why(
    page: Page, dnsmate: LiveDNSMate, live_server: LiveServer, openid_provider: Provider
) -> None:
    from playwright.sync_api import expect

    _use_provider(live_server, openid_provider)
    _sign_in_at_provider(page, "carol")
    expect(page.get_by_role("alert")).to_contain_text("not in any group")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    users = dnsmate.api.get("/api/users").json()
    assert "carol@example.org" not in {u["email"] for u in users}
