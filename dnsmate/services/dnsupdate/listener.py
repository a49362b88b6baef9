"""The DNS UPDATE listener: UDP and TCP on DNSMATE_DNS_UPDATE_LISTEN, in one process.

When several DNSMate processes run on one PostgreSQL database, only the one that leads
"dns-update" (``sync.leader.Leadership``, as the background tasks do) binds the address;
the others try again every ``interval`` seconds and take over when the leader is gone.
With SQLite (one process) that process listens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
from typing import Any

from dnsmate.services.dnsupdate.gateway import DnsUpdateGateway
from dnsmate.services.sync import loops
from dnsmate.services.sync.leader import Leadership

log = logging.getLogger(__name__)

# A TCP client that sends nothing for this long is disconnected.
TCP_IDLE_SECONDS = 30.0
# At most this many TCP connections at once; more are closed as they come. Each holds a
# file descriptor of this process, which its HTTP clients, database and PowerDNS
# connections need too: silent clients (held up to TCP_IDLE_SECONDS each) must not use
# them all up. (BIND's tcp-clients default is 150.)
MAX_TCP_CLIENTS = 100
# At most this many UDP messages wait for an answer at once; more are dropped as they come
# (as a busy name server does: a client sends again). The gateway serves a few at a time.
MAX_UDP_WAITING = 256


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, gateway: DnsUpdateGateway, tasks: set[asyncio.Task[Any]]) -> None:
        self._gateway = gateway
        self._tasks = tasks
        self._transport: asyncio.DatagramTransport | None = None
        self._crowded = False  # messages were dropped since the last one taken

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        if len(self._tasks) >= MAX_UDP_WAITING:
            if not self._crowded:  # logged once per crowd, not per message
                self._crowded = True
                log.warning("DNS UPDATE over UDP: %d messages waiting, dropping new ones (the "
                            "first from %s)", len(self._tasks), addr[0])  # fmt: skip
            return
        self._crowded = False
        task = asyncio.create_task(self._answer(data, addr))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        try:
            answers = await self._gateway.handle(data, str(addr[0]))
        except Exception:
            log.exception("DNS UPDATE from %s failed", addr[0])
            return
        if self._transport is not None:
            for answer in answers:
                self._transport.sendto(answer, addr)


class DnsUpdateListener:
    """Serves the gateway on ``address`` while this process leads "dns-update"."""

    def __init__(
        self,
        *,
        address: tuple[str, int],
        gateway: DnsUpdateGateway,
        lead: Leadership,
        interval: float = 5.0,
    ) -> None:
        self.address = address
        self._gateway = gateway
        self._lead = lead
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp: asyncio.Server | None = None
        self._pending: set[asyncio.Task[Any]] = set()
        self.max_tcp_clients = MAX_TCP_CLIENTS
        self.tcp_clients = 0  # TCP connections open now
        self._crowded = False  # new ones were refused since the last one ended
        # Set once the sockets are bound (tests and logs wait for it).
        self.listening = asyncio.Event()
        # Set after the first round, whether this process leads or not.
        self.checked = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            host, port = self.address
            name = f"DNS UPDATE listener on {host}:{port}"
            self._task = asyncio.create_task(
                loops.every(name, self._interval, self._round), name="dnsmate-dns-update"
            )

    async def stop(self) -> None:
        """Close the sockets, finish the updates in flight, give the lead up."""
        task, self._task = self._task, None
        await loops.stop(task)
        await self._close()
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        await self._lead.release()

    async def _round(self) -> None:
        """Listen while this process leads "dns-update", stop when the lead went elsewhere."""
        try:
            if await self._lead.held():
                if not self.listening.is_set():
                    await self._open()
            elif self.listening.is_set():
                await self._close()  # the lead went to another process
        finally:
            self.checked.set()

    async def _open(self) -> None:
        host, port = self.address
        loop = asyncio.get_running_loop()
        self._tcp = await asyncio.start_server(self._serve_tcp, host, port)
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Datagrams(self._gateway, self._pending), local_addr=(host, port)
            )
        except BaseException:
            self._tcp.close()
            self._tcp = None
            raise
        self._udp = transport
        self.listening.set()
        log.info("DNS UPDATE listener on %s port %s (UDP and TCP)", host, port)

    async def _close(self) -> None:
        self.listening.clear()
        udp, self._udp = self._udp, None
        tcp, self._tcp = self._tcp, None
        if udp is not None:
            udp.close()
        if tcp is not None:
            tcp.close()
            await tcp.wait_closed()

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Length-prefixed messages (RFC 1035 section 4.2.2), answered in order."""
        peer = writer.get_extra_info("peername")
        client_ip = str(peer[0]) if peer else None
        if self.tcp_clients >= self.max_tcp_clients:
            if not self._crowded:  # logged once per crowd, not per client
                self._crowded = True
                log.warning("DNS UPDATE over TCP: %d connections open, closing new ones (the "
                            "first from %s)", self.tcp_clients, client_ip)  # fmt: skip
            writer.close()
            return
        self.tcp_clients += 1
        try:
            while True:
                prefix = await asyncio.wait_for(reader.readexactly(2), TCP_IDLE_SECONDS)
                (length,) = struct.unpack("!H", prefix)
                data = await asyncio.wait_for(reader.readexactly(length), TCP_IDLE_SECONDS)
                answers = await self._gateway.handle(data, client_ip, tcp=True)
                if not answers:
                    break
                for answer in answers:
                    writer.write(struct.pack("!H", len(answer)) + answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass  # the client is done (or gone)
        except Exception:
            log.exception("DNS UPDATE over TCP from %s failed", client_ip)
        finally:
            self.tcp_clients -= 1
            self._crowded = False
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
