"""A PowerDNS API behind TLS (as operators put it behind a proxy): the client's HTTPS path,
httpx's client with its connection pool, reads and writes like the plain-HTTP one."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.powerdns.client import PowerDNSClient
from tests.deploy.nginx import make_certificate
from tests.integration.conftest import unique_zone


@contextlib.asynccontextmanager
async def tls_in_front(server: LocalPowerDNS, workdir: Path) -> AsyncIterator[int]:
    """A TLS listener on a free loopback port relaying each connection to ``server``'s API."""
    cert, key = make_certificate(workdir)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def relay(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        pdns_r, pdns_w = await asyncio.open_connection("127.0.0.1", server.api_port)
        await asyncio.gather(pipe(client_r, pdns_w), pipe(pdns_r, client_w),
                             return_exceptions=True)  # fmt: skip

    listener = await asyncio.start_server(relay, "127.0.0.1", 0, ssl=context)
    try:
        yield listener.sockets[0].getsockname()[1]
    finally:
        listener.close()


async def test_a_server_behind_tls_is_read_and_written(
    pdns_servers: list[LocalPowerDNS], tmp_path: Path
) -> None:
    server = pdns_servers[0]
    async with tls_in_front(server, tmp_path) as port:
        client = PowerDNSClient(name="tls", api_url=f"https://127.0.0.1:{port}",
                                api_key=server.api_key, verify_ssl=False)  # fmt: skip
        try:
            assert (await client.server_info())["daemon_type"] == "authoritative"
            zone = unique_zone("tls") + "."
            await client.create_zone({"name": zone, "kind": "Native",
                                      "nameservers": [f"ns1.{zone}"]})  # fmt: skip
            www = {"name": f"www.{zone}", "type": "A", "ttl": 60, "changetype": "REPLACE",
                   "records": [{"content": "192.0.2.7", "disabled": True}]}  # fmt: skip
            await client.patch_rrsets(zone, [www])
            got = await client.read_name(zone, f"www.{zone}", "A")
            assert [r["records"] for r in got] == [[{"content": "192.0.2.7", "disabled": True}]]
            # What the server holds, asked of it directly (not through the client under test).
            async with httpx.AsyncClient(
                base_url=f"{server.api_url}/api/v1/servers/localhost",
                headers={"X-API-Key": server.api_key},
            ) as direct:
                whole = (await direct.get(f"/zones/{zone}")).json()
                assert [r["records"] for r in whole["rrsets"] if r["type"] == "A"] == [
                    [{"content": "192.0.2.7", "disabled": True}]
                ]
                await client.delete_zone(zone)
                assert (await direct.get(f"/zones/{zone}")).status_code == 404
        finally:
            await client.aclose()
