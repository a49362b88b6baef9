"""A real OpenID provider for the single sign-on tests: ``oidc-provider-mock`` (PyPI, built
on Authlib and Flask) run as its own process on a loopback port. It publishes discovery
and its signing keys, requires registered clients (secret and redirect URI checked) and a
nonce, signs RS256 ID tokens, and shows a sign-in form where a person is chosen by
subject. Its people (``PEOPLE``) carry an e-mail address and groups.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from dnsmate.dev.pdns_local import free_port, stop_process

# subject -> claims
PEOPLE: dict[str, dict[str, object]] = {
    "alice": {"email": "alice@example.org", "email_verified": True, "groups": ["dns-admins"]},
    "bob": {"email": "bob@example.org", "email_verified": True, "groups": ["team-a"]},
    "carol": {"email": "carol@example.org", "email_verified": True, "groups": []},
    "mallory": {"email": "alice@example.org", "email_verified": False, "groups": ["dns-admins"]},
}


@dataclass
class Provider:
    """A running provider; ``issuer`` is its base URL."""

    process: subprocess.Popen[bytes]
    issuer: str

    def register(self, redirect_uri: str) -> tuple[str, str]:
        """A new client for ``redirect_uri``: (client_id, client_secret)."""
        response = httpx.post(
            f"{self.issuer}/oauth2/clients", json={"redirect_uris": [redirect_uri]}, timeout=10
        )
        response.raise_for_status()
        body = response.json()
        return str(body["client_id"]), str(body["client_secret"])

    def stop(self) -> None:
        stop_process(self.process, "oidc-provider-mock", 10)


def available() -> str | None:
    """None when the provider can run here, else why not."""
    try:
        import oidc_provider_mock  # noqa: F401
    except ImportError:
        return "oidc-provider-mock is not installed (pip install -e '.[dev]'; scripts/setup.sh)"
    return None


def start_provider(directory: Path) -> Provider:
    """Start the provider on a free loopback port; ready when discovery answers."""
    port = free_port()
    users = [json.dumps({"sub": sub, **claims}) for sub, claims in PEOPLE.items()]
    command = [
        sys.executable,
        "-m",
        "oidc_provider_mock",
        "--port",
        str(port),
        "--require-registration",
        "true",
        "--require-nonce",
        "true",
    ]
    for user in users:
        command += ["--user-claims", user]
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / "provider.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    provider = Provider(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"provider exited: {(directory / 'provider.log').read_text()}")
        try:
            url = f"{provider.issuer}/.well-known/openid-configuration"
            if httpx.get(url, timeout=1).status_code == 200:
                return provider
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    provider.stop()
    raise RuntimeError("the OpenID provider did not answer within 30 s")
