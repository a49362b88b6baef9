"""A client reusing an idle keep-alive connection to ``dnsmate serve`` gets its answer.

httpx (the tests' client and DNSMate's CLI) keeps an idle connection for 5 s, uvicorn's
default keep-alive: with both at 5 s, the server closed connections exactly when clients
reused them and the request was lost (``httpx.ReadError`` in the two-process chaos test).
Here one connection is reused after more than httpx's 5 s of idleness; with the old
default the server had closed it and the second request got no answer.
"""

from __future__ import annotations

import http.client
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.processes import DNSMateProcess

START_TIMEOUT = 90.0
HTTPX_KEEPALIVE_EXPIRY = 5.0  # httpx.Limits' default


@pytest.fixture
def dnsmate(tmp_path: Path) -> Iterator[DNSMateProcess]:
    """``dnsmate serve`` with its default keep-alive, on SQLite."""
    process = DNSMateProcess(
        name="dnsmate",
        workdir=tmp_path / "dnsmate",
        environment={
            "DNSMATE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'dnsmate.sqlite3'}",
            "DNSMATE_SECRET_KEY": secrets.token_urlsafe(48),
            "DNSMATE_ADMIN_EMAIL": ADMIN_EMAIL,
            "DNSMATE_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "DNSMATE_FRONTEND_DIST": str(tmp_path / "no-frontend"),
        },
    )
    try:
        process.start()
        process.wait_healthy(time.monotonic() + START_TIMEOUT)
        yield process
    finally:
        process.stop()


def put_policy(connection: http.client.HTTPConnection, token: str) -> tuple[int, str]:
    body = json.dumps({"on_partial_failure": "retry"})
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request("PUT", "/api/settings/consistency", body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode()


def test_a_connection_idle_longer_than_httpx_keeps_one_still_answers(
    dnsmate: DNSMateProcess,
) -> None:
    login = httpx.post(
        f"{dnsmate.url}/api/auth/login",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    connection = http.client.HTTPConnection("127.0.0.1", dnsmate.port, timeout=30)
    try:
        status, text = put_policy(connection, token)
        assert status == 200, text
        socket = connection.sock
        time.sleep(HTTPX_KEEPALIVE_EXPIRY + 1)  # idle, as a pooled connection between writes
        # http.client reuses the open socket; had the server closed it, no answer comes
        # back (RemoteDisconnected or ConnectionResetError).
        status, text = put_policy(connection, token)
        assert status == 200, text
        assert connection.sock is socket
    finally:
        connection.close()
