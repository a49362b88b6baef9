"""Bounded work per request: body size limits (413 before reading) and $GENERATE ranges."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import ApiFactory
from tests.integration.conftest import register_servers, unique_zone

SMALL = 4096
ZONE_FILE = "$ORIGIN {zone}.\n$TTL 300\n{lines}"


async def _chunks(data: bytes, size: int = 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_bodies_above_the_limit_are_refused_with_413(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS]
) -> None:
    api = await api_factory(sqlite_url, max_body_bytes=SMALL, max_import_bytes=64 * SMALL)
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("limit")
    big = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."] * 1000}
    declared = await api.client.post("/api/zones", json=big)
    assert declared.status_code == 413, declared.text
    assert f"{SMALL} bytes" in declared.json()["detail"]
    # Without Content-Length (chunked): refused as soon as the count passes the limit.
    streamed = await api.client.post(
        "/api/zones",
        content=_chunks(b'{"name": "' + b"a" * 3 * SMALL + b'"}'),
        headers={"Content-Type": "application/json"},
    )
    assert streamed.status_code == 413, streamed.text
    assert "Content-Length" not in streamed.request.headers
    # A body within the limit still works.
    small = {"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
    assert (await api.client.post("/api/zones", json=small)).status_code == 201

    # A zone file import may be larger than the general limit, up to its own.
    lines = "".join(f"h{n} IN A 192.0.2.{n % 250 + 1}\n" for n in range(400))
    text = ZONE_FILE.format(zone=zone, lines=lines).encode()
    assert SMALL < len(text) < 64 * SMALL
    imported = await api.client.post(
        f"/api/zones/{zone}/import",
        content=text,
        headers={"Content-Type": "text/plain"},
        params={"dry_run": "false"},
    )
    assert imported.status_code == 200, imported.text
    huge = await api.client.post(
        f"/api/zones/{zone}/import",
        content=b";" * (64 * SMALL + 1),
        headers={"Content-Type": "text/plain"},
    )
    assert huge.status_code == 413


async def test_generate_ranges_are_capped(
    api_factory: ApiFactory, sqlite_url: str, pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    api = await api_factory(sqlite_url)
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("generate")
    text = ZONE_FILE.format(zone=zone, lines="$GENERATE 1-100000 host$ A 192.0.2.1\n")
    response = await api.client.post(
        f"/api/zones/{zone}/import", content=text.encode(), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 422, response.text
    assert "$GENERATE" in response.text and "10000" in response.text
    # Two lines that each stay below the cap but together pass it are refused too.
    two = "$GENERATE 1-6000 a$ A 192.0.2.1\n$GENERATE 1-6000 b$ A 192.0.2.2\n"
    response = await api.client.post(
        f"/api/zones/{zone}/import",
        content=ZONE_FILE.format(zone=zone, lines=two).encode(),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 422, response.text
    # A small range still expands as before.
    small = ZONE_FILE.format(zone=zone, lines="$GENERATE 1-3 host$ A 192.0.2.$\n")
    response = await api.client.post(
        f"/api/zones/{zone}/import", content=small.encode(), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 200, response.text
    for n in (1, 2, 3):
        assert f"host{n}.{zone}" in str(response.json()["plan"])
