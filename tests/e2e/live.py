"""Browser-test helpers: Debian's Chromium settings and a set-up client for a live DNSMate.

Never a downloaded browser: Playwright drives /usr/bin/chromium with the flags below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.integration.conftest import unique_zone

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FRONTEND_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
NS = ["ns1.example.net.", "ns2.example.net."]


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (FRONTEND_DIST / "index.html").is_file():
        return f"{FRONTEND_DIST}/index.html missing: build the web interface (scripts/setup.sh)"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} missing: apt-get install chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright not installed: pip install -e '.[dev]'"
    return None


@dataclass
class LiveDNSMate:
    """A running DNSMate and a client logged in as its admin, for test set-up via the API."""

    url: str
    email: str
    password: str
    api: httpx.Client

    def add_server(self, server: LocalPowerDNS, *, multi: bool = True, **extra: Any) -> int:
        response = self.api.post(
            "/api/settings/powerdns",
            json={
                "name": server.name,
                "api_url": server.api_url,
                "api_key": server.api_key,
                "timeout_seconds": 3,
                **extra,
            },
        )
        response.raise_for_status()
        server_id: int = response.json()["id"]
        if multi:  # switched on after: added with it on to targets with zones, it is pending
            self.api.put(
                f"/api/settings/powerdns/{server_id}",
                json={"multi_server_mode": True, "force_join": True},
            ).raise_for_status()
        return server_id

    def zone_on(self, *servers: LocalPowerDNS) -> str:
        """Add ``servers`` in multi-server mode and create a fresh zone on all of them."""
        for server in servers:
            self.add_server(server, multi=True)
        zone = unique_zone("e2e")
        self.create_zone(zone)
        return zone

    def create_zone(self, zone: str) -> None:
        response = self.api.post(
            "/api/zones", json={"name": zone, "kind": "Native", "nameservers": NS}
        )
        assert response.status_code == 201, response.text

    def add_record(self, zone: str, name: str, rtype: str, content: str) -> None:
        response = self.api.post(
            f"/api/records/{zone}", json={"name": name, "type": rtype, "content": content}
        )
        assert response.status_code == 201, response.text


def add_rrsets_directly(server: LocalPowerDNS, zone: str, count: int, prefix: str = "host") -> None:
    """Create ``count`` A records straight through PowerDNS's API (fast set-up of a big zone)."""
    rrsets = [
        {
            "name": f"{prefix}{i:05d}.{zone}.",
            "type": "A",
            "ttl": 300,
            "changetype": "REPLACE",
            "records": [{"content": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}],
        }
        for i in range(count)
    ]
    response = httpx.patch(
        f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.",
        json={"rrsets": rrsets},
        headers={"X-API-Key": server.api_key},
        timeout=60,
    )
    assert response.status_code == 204, response.text


def replace_directly(server: LocalPowerDNS, zone: str, name: str, rtype: str, content: str) -> None:
    """Replace one RRset through the server's own API, behind DNSMate's back (drift)."""
    rrset = {
        "name": f"{name}.{zone}.",
        "type": rtype,
        "ttl": 300,
        "changetype": "REPLACE",
        "records": [{"content": content, "disabled": False}],
    }
    response = httpx.patch(
        f"{server.api_url}/api/v1/servers/localhost/zones/{zone}.",
        json={"rrsets": [rrset]},
        headers={"X-API-Key": server.api_key},
        timeout=30,
    )
    assert response.status_code == 204, response.text
