"""The plain-HTTP transport of the PowerDNS client, against real sockets on loopback."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from dnsmate.powerdns import errors
from dnsmate.powerdns.client import PowerDNSClient

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """As PowerDNS does: one answer, then the connection is closed."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        (int(line.split(b":")[1]) for line in head.split(b"\r\n")
         if line.lower().startswith(b"content-length:")),
        0,
    )  # fmt: skip
    body = await reader.readexactly(length) if length else b""
    request_line = head.split(b"\r\n")[0].decode()
    answer = json.dumps({"request": request_line, "body": body.decode()}).encode()
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(answer)}\r\n\r\n".encode()
        + answer
    )
    await writer.drain()
    writer.close()


async def _never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read()  # until the client gives up and closes


async def _serve(handler: Handler) -> AsyncIterator[str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


def _client(url: str, timeout: float = 10.0) -> PowerDNSClient:
    return PowerDNSClient(name="P", api_url=url, api_key="k", timeout=timeout, write_retries=0)


async def test_requests_on_new_connections_each_answered() -> None:
    async for url in _serve(_answer_once):
        pdns = _client(url)
        try:
            for n in range(3):  # the server closes every connection: each opens its own
                answer = await pdns.create_zone({"n": n})
                assert answer["request"] == "POST /api/v1/servers/localhost/zones HTTP/1.1"
                assert json.loads(answer["body"]) == {"n": n}
        finally:
            await pdns.aclose()


async def test_refused_connection_is_unreachable_and_not_applied() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pdns = _client(f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(errors.PowerDNSUnreachable) as caught:
            await pdns.patch_rrsets("x.", [])
        assert caught.value.maybe_applied is False
    finally:
        await pdns.aclose()


async def test_silent_server_times_out_as_maybe_applied() -> None:
    async for url in _serve(_never_answer):
        pdns = _client(url, timeout=0.2)
        try:
            with pytest.raises(errors.PowerDNSTimeout) as caught:
                await pdns.patch_rrsets("x.", [])
            assert caught.value.maybe_applied is True
        finally:
            await pdns.aclose()
