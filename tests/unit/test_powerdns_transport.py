"""The plain-HTTP transport of the PowerDNS client, against real sockets on loopback."""

from __future__ import annotations

import asyncio
import contextlib
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


def _client(url: str, timeout: float = 10.0) -> PowerDNSClient:
    return PowerDNSClient(name="P", api_url=url, api_key="k", timeout=timeout, write_retries=0)


@contextlib.asynccontextmanager
async def _pdns(handler: Handler, seconds: float = 10.0) -> AsyncIterator[PowerDNSClient]:
    """A client of a server on loopback that answers every connection with ``handler``."""
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    pdns = _client(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seconds)
    try:
        yield pdns
    finally:
        await pdns.aclose()
        server.close()


async def test_requests_on_new_connections_each_answered() -> None:
    async with _pdns(_answer_once) as pdns:
        for n in range(3):  # the server closes every connection: each opens its own
            answer = await pdns.create_zone({"n": n})
            assert answer["request"] == "POST /api/v1/servers/localhost/zones HTTP/1.1"
            assert json.loads(answer["body"]) == {"n": n}


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
    async with _pdns(_never_answer, seconds=0.2) as pdns:
        with pytest.raises(errors.PowerDNSTimeout) as caught:
            await pdns.patch_rrsets("x.", [])
        assert caught.value.maybe_applied is True


def _replying(raw: bytes) -> Handler:
    """A server that reads the request head and sends ``raw`` as it is, then closes."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(raw)
        await writer.drain()
        writer.close()

    return handler


@pytest.mark.parametrize(
    "raw",
    [
        # Chunked, with a chunk extension and a trailer.
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4;x=y\r\n[1, \r\n3\r\n2, \r\n2\r\n3]\r\n0\r\nX-Trailer: t\r\n\r\n",
        # No length: the body ends with the connection.
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[1, 2, 3]",
        # A length shorter than what follows: what follows is not part of the answer.
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n[1, 2, 3]garbage",
    ],
)
async def test_bodies_framed_every_http_1_1_way_are_read_whole(raw: bytes) -> None:
    async with _pdns(_replying(raw)) as pdns:
        assert await pdns.list_zones() == [1, 2, 3]


async def test_an_answer_without_content_is_none() -> None:
    async with _pdns(_replying(b"HTTP/1.1 204 No Content\r\n\r\n")) as pdns:
        assert await pdns.patch_rrsets("x.", []) is None


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1, 2",  # cut in the body
        b"HTTP/1.1 200 OK\r\nContent-Le",  # cut in the head
        b"",  # closed without a word
        b"SSH-2.0-OpenSSH_9.2\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\nbad header line\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  # bad chunk size
    ],
)
async def test_a_broken_answer_to_a_write_is_unreachable_and_maybe_applied(raw: bytes) -> None:
    async with _pdns(_replying(raw)) as pdns:
        with pytest.raises(errors.PowerDNSUnreachable) as caught:
            await pdns.patch_rrsets("x.", [])
        assert caught.value.maybe_applied is True


async def test_the_request_carries_its_headers_and_closes_the_connection() -> None:
    heads: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()
        writer.close()

    async with _pdns(record) as pdns:
        await pdns.get_zone("example.org", rrsets=False)
        address = pdns.api_url.removeprefix("http://")
    lines = heads[0].decode().split("\r\n")
    assert lines[0] == "GET /api/v1/servers/localhost/zones/example.org.?rrsets=false HTTP/1.1"
    fields = {k.lower(): v for k, _, v in (line.partition(": ") for line in lines[1:] if line)}
    assert fields["host"] == address
    assert fields["x-api-key"] == "k"
    assert fields["accept"] == "application/json"
    assert fields["connection"] == "close"
    assert "content-length" not in fields  # a GET without a body says nothing of one


async def test_the_read_timeout_bounds_each_read_not_the_whole_answer() -> None:
    # A big zone arriving steadily over longer than the timeout is read whole, as httpx's
    # own transports do: six pieces half a second apart, a timeout of two seconds.
    pieces = [b"[1, ", b"2, ", b"3, ", b"4, ", b"5, ", b"6]"]

    async def slowly(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(b"".join(pieces)))
        for piece in pieces:
            await asyncio.sleep(0.5)
            writer.write(piece)
            await writer.drain()
        writer.close()

    async with _pdns(slowly, seconds=2.0) as pdns:
        assert await pdns.list_zones() == [1, 2, 3, 4, 5, 6]
