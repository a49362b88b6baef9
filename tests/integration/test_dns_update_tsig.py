"""TSIG failures at the DNS UPDATE gateway, answered as RFC 8945 section 5.2 has them.

An unknown key (BADKEY), a wrong secret (BADSIG) and a clock outside the fudge (BADTIME)
each get NOTAUTH with a TSIG record whose Error names the failure: unsigned for BADKEY and
BADSIG, signed with the request's key for BADTIME (the client's Time Signed, the server's
time in Other Data). Checked with the real nsupdate (which prints the error) and with
dnspython messages sent over UDP; nothing reaches any server.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import struct
import time
from collections.abc import Callable

import dns.message
import dns.query
import dns.rcode
import dns.rdtypes.ANY.TSIG
import dns.rrset
import dns.tsig
import dns.update
import pytest

from dnsmate.dev.pdns_local import LocalPowerDNS
from dnsmate.services.dnsupdate import listener as listener_module
from tests.conftest import ApiFactory
from tests.integration.conftest import unique_zone
from tests.integration.dnsupdateutil import Key, gateway_api, make_key, nsupdate
from tests.integration.dnsutil import dns_query
from tests.integration.syncutil import create_zone
from tests.integration.test_audit import events

WRONG_SECRET = base64.b64encode(b"not the secret DNSMate holds!!!!").decode()


def _signed(
    update: dns.update.UpdateMessage, key: dns.tsig.Key, *, skew: int = 0
) -> tuple[bytes, bytes]:
    """``update`` signed with ``key`` at now + ``skew`` seconds: (wire, request MAC)."""
    when = int(time.time()) + skew
    update.use_tsig(key)
    assert update.tsig is not None
    template = update.tsig[0].replace(time_signed=when, fudge=300)
    update.tsig = None
    unsigned = update.to_wire()
    rdata, _ctx = dns.tsig.sign(unsigned, key, template, time=when)
    update.tsig = dns.rrset.from_rdata(key.name, 0, rdata)
    update.want_tsig_sign = False
    return update.to_wire(), rdata.mac


async def _send(wire: bytes, port: int) -> dns.message.Message:
    """The gateway's answer to these exact bytes, read without checking its TSIG (the
    caller checks it)."""
    reply = await asyncio.to_thread(_udp_exchange, wire, port)
    return dns.message.from_wire(reply, keyring=False)


def _udp_exchange(wire: bytes, port: int) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(10)
        sock.sendto(wire, ("127.0.0.1", port))
        reply, _addr = sock.recvfrom(65535)
    return reply


def _tsig(answer: dns.message.Message) -> dns.rdtypes.ANY.TSIG.TSIG:
    assert answer.rcode() == dns.rcode.NOTAUTH, dns.rcode.to_text(answer.rcode())
    assert answer.tsig is not None, "NOTAUTH without the TSIG error record"
    rdata: dns.rdtypes.ANY.TSIG.TSIG = answer.tsig[0]
    return rdata


def _mac_is_valid(answer: dns.message.Message, key: dns.tsig.Key, request_mac: bytes) -> bool:
    """The answer's MAC, recomputed over the answer without its TSIG record."""
    assert answer.tsig is not None
    tsig = answer.tsig
    rdata = tsig[0]
    answer.tsig = None
    unsigned = answer.to_wire()
    answer.tsig = tsig
    expected, _ctx = dns.tsig.sign(
        unsigned, key, rdata.replace(mac=b""), time=rdata.time_signed, request_mac=request_mac
    )
    return bool(rdata.mac) and expected.mac == rdata.mac


def _update(zone: str) -> dns.update.UpdateMessage:
    update = dns.update.UpdateMessage(f"{zone}.")
    update.add(f"host.{zone}.", 300, "A", "192.0.2.7")
    return update


def _dnspython_key(key: Key, secret: str | None = None, name: str | None = None) -> dns.tsig.Key:
    return dns.tsig.Key(name or key.name, secret or key.secret, key.algorithm)


async def test_tsig_failures_answer_notauth_with_the_rfc_8945_error(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("tsigerr")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "tsig-error-key", zones=[zone])
    add = f"zone {zone}\nupdate add host.{zone}. 300 A 192.0.2.7"

    # The real nsupdate: it names the TSIG error it was answered with.
    unknown = await nsupdate(port, Key("no-such-key", key.algorithm, key.secret), add)
    assert unknown.returncode != 0 and "NOTAUTH(BADKEY)" in unknown.output, unknown.output
    forged = await nsupdate(port, Key(key.name, key.algorithm, WRONG_SECRET), add)
    assert forged.returncode != 0 and "NOTAUTH(BADSIG)" in forged.output, forged.output
    unsigned = await nsupdate(port, None, add)  # no TSIG at all: REFUSED, as before
    assert unsigned.returncode != 0 and "REFUSED" in unsigned.output, unsigned.output

    # dnspython messages: the error field, the MAC, the times.
    right = _dnspython_key(key)
    for wrong, error in (
        (_dnspython_key(key, name="no-such-key"), dns.rcode.BADKEY),
        (_dnspython_key(key, secret=WRONG_SECRET), dns.rcode.BADSIG),
    ):
        wire, _mac = _signed(_update(zone), wrong)
        rdata = _tsig(await _send(wire, port))
        assert rdata.error == error and rdata.mac == b"", (rdata.error, rdata.mac)

    skew = -3600  # an hour behind
    wire, request_mac = _signed(_update(zone), right, skew=skew)
    sent = dns.message.from_wire(wire, keyring=False)
    assert sent.tsig is not None
    before = int(time.time())
    answer = await _send(wire, port)
    rdata = _tsig(answer)
    assert rdata.error == dns.rcode.BADTIME
    assert rdata.time_signed == sent.tsig[0].time_signed  # the client's own time back
    assert len(rdata.other) == 6
    high, low = struct.unpack("!HI", rdata.other)
    server_time = (high << 32) | low
    assert before - 5 <= server_time <= int(time.time()) + 5
    assert _mac_is_valid(answer, right, request_mac)
    assert not _mac_is_valid(answer, _dnspython_key(key, secret=WRONG_SECRET), request_mac)

    # The same key on time is accepted; none of the refused updates reached a server.
    wire, _mac = _signed(_update(zone), right)
    assert (await _send(wire, port)).rcode() == dns.rcode.NOERROR
    for server in pdns:
        assert dns_query(server, f"host.{zone}.", "A") == ["192.0.2.7"]


async def test_a_replayed_update_is_answered_but_not_applied_again(
    api_factory: ApiFactory, sqlite_url: str, pdns: list[LocalPowerDNS]
) -> None:
    """Someone who saw a signed "add" on the wire sends the same bytes again after the
    owner deleted the record: within the fudge the signature still verifies."""
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    zone = unique_zone("replay")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "replay-key", zones=[zone])
    wire, request_mac = _signed(_update(zone), _dnspython_key(key))

    first = await _send(wire, port)
    assert first.rcode() == dns.rcode.NOERROR
    for server in pdns:
        assert dns_query(server, f"host.{zone}.", "A") == ["192.0.2.7"]
    deleted = await nsupdate(port, key, f"zone {zone}\nupdate delete host.{zone}. A")
    assert deleted.returncode == 0, deleted.output
    for server in pdns:
        assert dns_query(server, f"host.{zone}.", "A") == []

    # The same bytes again (a replay, or a retransmission whose first answer was lost):
    # the first answer, signed for the request, and nothing written.
    again = await _send(wire, port)
    assert again.rcode() == dns.rcode.NOERROR
    assert _mac_is_valid(again, _dnspython_key(key), request_mac)
    for server in pdns:
        assert dns_query(server, f"host.{zone}.", "A") == []
    log = await events(api.client, zone=zone, action="record.dnsupdate")
    assert [e["outcome"] for e in log] == ["success", "success"], log


async def test_idle_tcp_clients_are_capped_and_never_hold_the_others(
    api_factory: ApiFactory,
    sqlite_url: str,
    pdns: list[LocalPowerDNS],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each open TCP connection costs the process a file descriptor, shared with its HTTP
    clients, database and PowerDNS connections: connections that send nothing (held up to
    the idle limit, here made endless) beyond the cap are closed at once, and UDP and the
    connections already open keep being served."""
    monkeypatch.setattr(listener_module, "TCP_IDLE_SECONDS", 3600.0)
    api, port = await gateway_api(api_factory, sqlite_url, pdns)
    listener = api.app.state.dns_update
    listener.max_tcp_clients = 2
    zone = unique_zone("tcpcap")
    assert (await create_zone(api, zone)).status_code == 201
    key = await make_key(api, "tcp-cap-key", zones=[zone])

    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    try:
        await _until(lambda: listener.tcp_clients == 2)
        extra = socket.create_connection(("127.0.0.1", port))
        extra.settimeout(60)
        with extra:
            assert await asyncio.to_thread(extra.recv, 1) == b""  # closed by the listener
        # UDP is served, and so is a connection already open.
        udp = await nsupdate(port, key, f"zone {zone}\nupdate add a.{zone}. 60 A 192.0.2.1")
        assert udp.returncode == 0, udp.output
        query = dns.message.make_query(f"{zone}.", "SOA")
        await asyncio.to_thread(dns.query.send_tcp, held[0], query, None)
        reply, _ = await asyncio.to_thread(dns.query.receive_tcp, held[0], time.time() + 60)
        assert reply.rcode() == dns.rcode.NOERROR and reply.answer
    finally:
        for sock in held:
            sock.close()
    await _until(lambda: listener.tcp_clients == 0)
    tcp = await nsupdate(port, key, f"zone {zone}\nupdate add b.{zone}. 60 A 192.0.2.2", tcp=True)
    assert tcp.returncode == 0, tcp.output
    for server in pdns:
        assert dns_query(server, f"b.{zone}.", "A") == ["192.0.2.2"]


async def _until(condition: Callable[[], bool]) -> None:
    """Wait (at most a minute) until ``condition`` holds: the listener's own pace."""
    for _ in range(1200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached within a minute")
