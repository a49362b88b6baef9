"""The UDP side of the DNS UPDATE listener: a bounded number of messages wait at once."""

from __future__ import annotations

import asyncio
from typing import Any

from dnsmate.services.dnsupdate.listener import MAX_UDP_WAITING, _Datagrams


class _SlowGateway:
    def __init__(self) -> None:
        self.go = asyncio.Event()

    async def handle(self, wire: bytes, client_ip: str | None, *, tcp: bool = False) -> list[bytes]:
        await self.go.wait()
        return [b"answer to " + wire]


class _Socket:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def sendto(self, data: bytes, addr: Any) -> None:
        self.sent.append(data)


async def test_udp_messages_beyond_the_bound_are_dropped_until_there_is_room() -> None:
    gateway, socket, waiting = _SlowGateway(), _Socket(), set[asyncio.Task[Any]]()
    datagrams = _Datagrams(gateway, waiting)  # type: ignore[arg-type]
    datagrams.connection_made(socket)  # type: ignore[arg-type]

    for i in range(MAX_UDP_WAITING + 50):
        datagrams.datagram_received(b"%d" % i, ("127.0.0.1", 5300))
    assert len(waiting) == MAX_UDP_WAITING

    gateway.go.set()
    await asyncio.gather(*waiting)
    assert len(socket.sent) == MAX_UDP_WAITING  # the first ones, answered
    assert socket.sent[0] == b"answer to 0"

    datagrams.datagram_received(b"later", ("127.0.0.1", 5300))  # room again
    await asyncio.gather(*waiting)
    assert socket.sent[-1] == b"answer to later"
