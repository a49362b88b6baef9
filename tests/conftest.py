"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when available), an app, and
real PowerDNS servers (``pdns_servers`` for the session, ``pdns`` for tests that stop some).

PostgreSQL runs when ``DNSMATE_TEST_POSTGRES_URL`` is set (``make test`` sets it after
starting the machine's cluster); otherwise the PostgreSQL variants skip with the reason.
Each run works in its own database beside that one (``POSTGRES_URL``, tests/pgdatabase.py),
created when the session starts and dropped when it ends.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from dnsmate.api.deps import AppContext
from dnsmate.config import Settings
from dnsmate.dev.pdns_local import SCHEMA_PATH, LocalPowerDNS, find_pdns_server
from dnsmate.main import create_app
from dnsmate.migrations import downgrade, upgrade
from dnsmate.services.identity.settings import OidcProvider
from tests import ldapserver, oidcprovider
from tests.pgdatabase import (
    DatabaseSetupError,
    create_run_database,
    drop_database,
    run_database_name,
    with_database,
)

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery staple"
POSTGRES_BASE_URL = os.environ.get("DNSMATE_TEST_POSTGRES_URL", "")
_STARTED = datetime.now(UTC)
POSTGRES_DATABASE = run_database_name(POSTGRES_BASE_URL, now=_STARTED) if POSTGRES_BASE_URL else ""
# This run's own database (empty when PostgreSQL is not available): use it, never the base.
POSTGRES_URL = with_database(POSTGRES_BASE_URL, POSTGRES_DATABASE) if POSTGRES_BASE_URL else ""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Create this run's PostgreSQL database (dropping those left by killed runs)."""
    if not POSTGRES_URL:
        return
    try:
        create_run_database(POSTGRES_BASE_URL, POSTGRES_DATABASE, now=_STARTED)
    except DatabaseSetupError as exc:
        pytest.exit(str(exc), returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop this run's PostgreSQL database."""
    if POSTGRES_URL:
        drop_database(POSTGRES_BASE_URL, POSTGRES_DATABASE)


def _database_params() -> list[object]:
    postgres = pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset "
            "(make test starts the local cluster and sets it)",
        ),
    )
    return ["sqlite", postgres]


@pytest.fixture(params=_database_params())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database: a new SQLite file, or the emptied PostgreSQL test DB."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}"
    else:
        url = POSTGRES_URL
        downgrade(url, "base")
    upgrade(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database, for tests whose subject is not the database."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}"
    upgrade(url)
    return url


def make_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        secret_key="test-secret-key-" + "x" * 32,  # type: ignore[arg-type]
        admin_email=ADMIN_EMAIL,
        admin_password=ADMIN_PASSWORD,  # type: ignore[arg-type]
        write_retry_base_seconds=0.02,
        drift_check_interval_seconds=0,  # a test that wants the periodic check sets it
        # A loaded test machine can take longer than the 0.8 s default to answer a health
        # check; a hung server (tests with a listener that never answers) still shows.
        health_deadline_seconds=5,
        # A write answers without a server still working 1 s (the default) after the others
        # answered; on a loaded test machine a healthy PowerDNS can be that late, and the
        # test's expected outcomes would change. The straggler tests set their own limit.
        straggler_seconds=10,
    )


@dataclass
class Api:
    """A running app and an HTTP client for it, logged in as the bootstrap admin."""

    app: FastAPI
    client: httpx.AsyncClient

    @property
    def context(self) -> AppContext:
        context: AppContext = self.app.state.context
        return context


class ApiFactory(Protocol):
    async def __call__(self, database_url: str, login: bool = True, **settings: object) -> Api: ...


@pytest.fixture
async def api_factory(tmp_path: Path) -> AsyncIterator[ApiFactory]:
    """Build apps on a given database; each is torn down at the end of the test."""
    stack: list[tuple[httpx.AsyncClient, AbstractAsyncContextManager[None]]] = []

    async def build(database_url: str, login: bool = True, **settings: object) -> Api:
        """``settings`` override fields of the test Settings (e.g. sync_worker=False)."""
        app = create_app(make_settings(tmp_path, database_url).model_copy(update=settings))
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://dnsmate.test", timeout=60
        )
        stack.append((client, lifespan))
        if login:
            response = await client.post(
                "/api/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
            )
            assert response.status_code == 200, response.text
            client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return Api(app, client)

    yield build
    for client, lifespan in reversed(stack):
        await client.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture
async def api(api_factory: ApiFactory, sqlite_url: str) -> Api:
    """A logged-in app on SQLite."""
    return await api_factory(sqlite_url)


@dataclass
class LiveServer:
    """DNSMate served by uvicorn on a real loopback port (for the CLI, browsers, PyPI clients)."""

    url: str
    port: int
    app: FastAPI

    def login(self, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> str:
        """A bearer token for ``email``."""
        response = httpx.post(
            f"{self.url}/api/auth/login", json={"email": email, "password": password}, timeout=30
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        """An async client for the live server, logged in as the admin unless given a token."""
        return httpx.AsyncClient(
            base_url=self.url,
            headers={"Authorization": f"Bearer {token or self.login()}"},
            timeout=60,
        )


@pytest.fixture
def live_server(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_url: str
) -> Iterator[LiveServer]:
    """A fresh DNSMate (own SQLite database, bootstrap admin) on a free port, in a thread.

    ``@pytest.mark.live_settings(sync_worker=False, ...)`` overrides its Settings fields.
    """
    marker = request.node.get_closest_marker("live_settings")
    overrides = marker.kwargs if marker else {}
    app = create_app(make_settings(tmp_path, sqlite_url).model_copy(update=overrides))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live DNSMate server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", port=port, app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


USER_PASSWORD = "a long enough pass phrase"


async def make_user(api: Api, email: str, role: str, password: str = USER_PASSWORD) -> int:
    """Create a user through the API (as the logged-in admin); returns the new id."""
    response = await api.client.post(
        "/api/users", json={"email": email, "password": password, "role": role}
    )
    assert response.status_code == 201, response.text
    user_id: int = response.json()["id"]
    return user_id


async def login_headers(api: Api, email: str, password: str = USER_PASSWORD) -> dict[str, str]:
    """Log in as ``email`` and return the Authorization header for that user."""
    response = await api.client.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        headers={"Authorization": ""},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# --- Real PowerDNS servers (integration and browser tests) ---------------------------

PDNS_SERVER_NAMES = ("Primary PowerDNS", "Secondary PowerDNS", "Legacy PowerDNS")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="session")
def pdns_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[LocalPowerDNS]]:
    """Three running PowerDNS servers (Primary, Secondary, Legacy), shared by the session.

    Each has its own port pair, API key and SQLite database. Skips the test when
    pdns_server or the gsqlite3 schema is not installed (run scripts/setup.sh).
    """
    if find_pdns_server() is None:
        pytest.skip("pdns_server not installed (apt-get install pdns-server pdns-backend-sqlite3)")
    if not SCHEMA_PATH.exists():
        pytest.skip(f"{SCHEMA_PATH} missing (apt-get install pdns-backend-sqlite3)")
    base = tmp_path_factory.mktemp("pdns")
    servers = [
        LocalPowerDNS(name=name, workdir=base / _slug(name), api_key=secrets.token_urlsafe(16))
        for name in PDNS_SERVER_NAMES
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def reference_pdns(
    pdns_servers: list[LocalPowerDNS], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalPowerDNS]:
    """A plain PowerDNS server that DNSMate never manages: the oracle of differential tests
    (the same request to it and to DNSMate's PowerDNS-compatible API must agree)."""
    with plain_pdns("Reference PowerDNS", tmp_path_factory) as server:
        yield server


def plain_pdns(name: str, tmp_path_factory: pytest.TempPathFactory) -> LocalPowerDNS:
    """A PowerDNS server of its own (not registered in DNSMate), started by ``with``."""
    return LocalPowerDNS(
        name=name, workdir=tmp_path_factory.mktemp(_slug(name)), api_key=secrets.token_urlsafe(16)
    )


@pytest.fixture
def pdns(pdns_servers: list[LocalPowerDNS]) -> Iterator[list[LocalPowerDNS]]:
    """The session servers, for a test that may stop some: they are restarted afterwards."""
    yield pdns_servers
    for server in pdns_servers:
        if not server.running:
            server.start()


@asynccontextmanager
async def login_as_role(
    api: Api, role: str, zones: tuple[str, ...] = ()
) -> AsyncIterator[httpx.AsyncClient]:
    """A second client on ``api``'s app, logged in as a new user with ``role``.

    ``zones`` are granted to the user (for managers) through the users API.
    """
    email = f"{role}-{secrets.token_hex(4)}@example.com"
    user_id = await make_user(api, email, role)
    if zones:
        granted = await api.client.put(f"/api/users/{user_id}/zones", json={"zones": list(zones)})
        assert granted.status_code == 200, granted.text
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app),
        base_url="http://dnsmate.test",
        timeout=60,
        headers=await login_headers(api, email),
    ) as client:
        yield client


# --- A real LDAP directory (slapd) for the single sign-on tests ----------------------


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ldapserver.Slapd]:
    """Debian's slapd on loopback ports, loaded with users and nested groups (see
    tests/ldapserver.py); skips the test with the reason when slapd is not installed."""
    reason = ldapserver.available()
    if reason is not None:
        pytest.skip(reason)
    server = ldapserver.start_slapd(tmp_path_factory.mktemp("slapd"))
    try:
        yield server
    finally:
        server.stop()


def ldap_settings(server: ldapserver.Slapd, **overrides: object) -> dict[str, object]:
    """Settings fields for DNSMate signing in against ``server`` (StartTLS, its CA)."""
    fields: dict[str, object] = {
        "ldap_url": server.url,
        "ldap_ca_file": server.ca_file,
        "ldap_bind_dn": ldapserver.SERVICE_DN,
        "ldap_bind_password": SecretStr(ldapserver.SERVICE_PASSWORD),
        "ldap_user_base": f"ou=people,{ldapserver.SUFFIX}",
        "ldap_group_base": f"ou=groups,{ldapserver.SUFFIX}",
        "ldap_group_roles": {
            ldapserver.group_dn("dns-admins"): "admin",
            ldapserver.group_dn("dns-editors"): "editor",
            ldapserver.group_dn("dns-managers"): "manager",
        },
    }
    return fields | overrides


# --- A real OpenID provider for the single sign-on tests ------------------------------


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[oidcprovider.Provider]:
    """oidc-provider-mock on a loopback port (see tests/oidcprovider.py)."""
    reason = oidcprovider.available()
    if reason is not None:
        pytest.skip(reason)
    provider = oidcprovider.start_provider(tmp_path_factory.mktemp("oidc"))
    try:
        yield provider
    finally:
        provider.stop()


def oidc_settings(
    provider: oidcprovider.Provider, base_url: str, **overrides: object
) -> dict[str, object]:
    """Settings fields for DNSMate with ``provider`` as "Example SSO" (id ``example``), a
    client registered for ``base_url``'s callback, and groups mapped as in the LDAP tests."""
    client_id, secret = provider.register(f"{base_url}/api/auth/oidc/example/callback")
    fields: dict[str, object] = {
        "id": "example",
        "name": "Example SSO",
        "issuer": provider.issuer,
        "client_id": client_id,
        "client_secret": secret,
        "group_roles": {"dns-admins": "admin", "team-a": "manager"},
    }
    return {"oidc_providers": [OidcProvider(**(fields | overrides))]}
