"""Browser tests: Debian's Chromium driven by Playwright against a live DNSMate and the real
PowerDNS servers of the integration harness (``pdns_servers`` / ``pdns``)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from dnsmate.migrations import upgrade
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, LiveServer
from tests.e2e.live import CHROMIUM, CHROMIUM_ARGS, LiveDNSMate, missing_requirement

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

_WHY_NOT = missing_requirement()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _WHY_NOT is None:
        return
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.skip(reason=_WHY_NOT))


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the browser tests.

    Package scope, not session: Playwright's sync API runs an event loop in the main thread
    while it is open, which the async tests that come after would trip over.
    """
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """As in tests/conftest.py, but migrated in a worker thread: Playwright's sync API keeps an
    event loop running in the main thread, where the migrations' ``asyncio.run`` would fail."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(upgrade, url).result()
    return url


@pytest.fixture
def dnsmate(live_server: LiveServer) -> Iterator[LiveDNSMate]:
    """The live DNSMate (own SQLite database, no PowerDNS server yet) and a set-up client."""
    token = live_server.login()
    with httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as api:
        yield LiveDNSMate(live_server.url, ADMIN_EMAIL, ADMIN_PASSWORD, api)


@pytest.fixture
def page(browser: Browser, dnsmate: LiveDNSMate) -> Iterator[Page]:
    """A fresh browser tab (1280x900) on the live DNSMate; actions wait up to 15 s."""
    context = browser.new_context(base_url=dnsmate.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page: Page, dnsmate: LiveDNSMate) -> None:
    page.goto("/")
    page.get_by_label("E-mail").fill(dnsmate.email)
    page.get_by_label("Password").fill(dnsmate.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
