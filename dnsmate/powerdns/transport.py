"""The HTTP transport of ``PowerDNSClient`` for plain-HTTP servers: HTTP/1.1 on asyncio streams.

PowerDNS 4.7 closes the connection after every answer, so each API request is one new
connection carrying one exchange: no pool, no keep-alive, nothing to multiplex. httpcore's
connection pool and h11's state machine (even on asyncio streams) spent most of a request's
CPU on machinery that case never needs: 1.36 ms of CPU per filtered GET and 1.48 ms per
PATCH, against 0.74 ms and 0.77 ms here (one PowerDNS on loopback, 600 requests each), and
a record write makes three such requests (issue 11). So a request here is: connect, send
the head and body with ``Connection: close``, read the status line and headers, then the
body by its ``Content-Length``, its chunks, or up to the end of the connection.

httpx stays the client on top (URLs, headers, JSON, the ``Response``); this transport
raises httpx's own exceptions (``ConnectError``, ``ReadTimeout``, ``RemoteProtocolError``,
...) with the request attached, so ``PowerDNSClient`` maps failures exactly as it does for
HTTPS servers, which keep httpx's default transport (TLS is not handled here).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

# The longest status line and headers read (PowerDNS sends a few hundred bytes); also the
# stream's buffer, large enough that a zone of megabytes is read in few wake-ups.
BUFFER_BYTES = 1024 * 1024
_NO_BODY = frozenset({204, 304})


class PlainHTTPTransport(httpx.AsyncBaseTransport):
    """One HTTP/1.1 exchange per new TCP connection."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        url = request.url
        try:
            async with asyncio.timeout(timeouts.get("connect")):
                reader, writer = await asyncio.open_connection(
                    url.host, url.port or 80, limit=BUFFER_BYTES
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout("Timed out connecting", request=request) from exc
        except OSError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        try:
            await _send(writer, request, timeouts.get("write"))
            return await _receive(reader, request, timeouts.get("read"))
        finally:
            writer.close()


async def _send(writer: asyncio.StreamWriter, request: httpx.Request, seconds: Any) -> None:
    body = await request.aread()
    target = request.url.raw_path.decode("ascii")
    lines = [f"{request.method} {target} HTTP/1.1".encode("ascii")]
    for name, value in request.headers.raw:
        if name.lower() not in (b"connection", b"content-length", b"transfer-encoding"):
            lines.append(name + b": " + value)
    lines.append(b"Connection: close")
    if body or request.method not in ("GET", "HEAD", "DELETE"):
        lines.append(b"Content-Length: %d" % len(body))
    try:
        async with asyncio.timeout(seconds):
            writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
            await writer.drain()
    except TimeoutError as exc:
        raise httpx.WriteTimeout("Timed out sending the request", request=request) from exc
    except OSError as exc:
        raise httpx.WriteError(str(exc), request=request) from exc


async def _receive(
    reader: asyncio.StreamReader, request: httpx.Request, seconds: Any
) -> httpx.Response:
    # As httpx's own transports do, the read timeout bounds each read, not the whole answer:
    # a zone of megabytes that keeps arriving is never cut off.
    async def within(read: Awaitable[bytes]) -> bytes:
        async with asyncio.timeout(seconds):
            return await read

    try:
        head = await within(reader.readuntil(b"\r\n\r\n"))
        status, reason, headers = _parse_head(head, request)
        fields = {name.lower(): value for name, value in headers}
        if request.method == "HEAD" or status in _NO_BODY or status < 200:
            body = b""
        elif b"chunked" in fields.get(b"transfer-encoding", b"").lower():
            body = await _read_chunked(reader, request, within)
        elif b"content-length" in fields:
            body = await _read_exactly(reader, _length(fields[b"content-length"], request), within)
        else:
            body = await _read_to_end(reader, within)  # until the server closes
    except TimeoutError as exc:
        raise httpx.ReadTimeout("Timed out waiting for the answer", request=request) from exc
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise httpx.RemoteProtocolError(
            "The server closed the connection before a whole answer", request=request
        ) from exc
    except OSError as exc:
        raise httpx.ReadError(str(exc), request=request) from exc
    return httpx.Response(
        status,
        headers=headers,
        content=body,
        request=request,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
    )


Within = Callable[[Awaitable[bytes]], Awaitable[bytes]]


async def _read_exactly(reader: asyncio.StreamReader, size: int, within: Within) -> bytes:
    parts: list[bytes] = []
    while size:
        part = await within(reader.read(min(size, BUFFER_BYTES)))
        if not part:
            raise asyncio.IncompleteReadError(b"".join(parts), None)
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


async def _read_to_end(reader: asyncio.StreamReader, within: Within) -> bytes:
    parts: list[bytes] = []
    while part := await within(reader.read(BUFFER_BYTES)):
        parts.append(part)
    return b"".join(parts)


def _parse_head(
    head: bytes, request: httpx.Request
) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    status_line, *header_lines = head[:-4].split(b"\r\n")
    version, _, rest = status_line.partition(b" ")
    code, _, reason = rest.partition(b" ")
    if not version.startswith(b"HTTP/1.") or not code.isdigit() or len(code) != 3:
        raise httpx.RemoteProtocolError(
            f"Not an HTTP/1.x status line: {status_line[:80]!r}", request=request
        )
    headers = []
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"Malformed header: {line[:80]!r}", request=request)
        headers.append((name, value.strip()))
    return int(code), reason, headers


def _length(value: bytes, request: httpx.Request) -> int:
    if not value.strip().isdigit():
        raise httpx.RemoteProtocolError(f"Bad Content-Length: {value[:40]!r}", request=request)
    return int(value)


async def _read_chunked(
    reader: asyncio.StreamReader, request: httpx.Request, within: Within
) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = (await within(reader.readuntil(b"\r\n"))).split(b";")[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise httpx.RemoteProtocolError(
                f"Bad chunk size: {size_line[:40]!r}", request=request
            ) from None
        if size == 0:
            while await within(reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, then the end
                pass
            return b"".join(parts)
        parts.append(await _read_exactly(reader, size, within))
        if await within(reader.readexactly(2)) != b"\r\n":
            raise httpx.RemoteProtocolError("A chunk without its CRLF", request=request)
