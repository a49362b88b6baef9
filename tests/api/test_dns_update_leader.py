"""The DNS UPDATE listener runs in one DNSMate process at a time (PostgreSQL leadership):
two processes configured with the same address do not fight over it, and when the one
listening stops, the other takes the address over."""

from __future__ import annotations

import asyncio

import dns.message
import dns.query
import dns.rcode
import dns.update
import pytest

from dnsmate.dev.pdns_local import free_port
from dnsmate.migrations import downgrade, upgrade
from tests.conftest import POSTGRES_URL, ApiFactory

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset"
)


def unsigned_update(port: int) -> str:
    """The RCODE the listener answers an unsigned UPDATE with (REFUSED: TSIG is required)."""
    update = dns.update.UpdateMessage("example.org")
    update.add("www", 300, "A", "192.0.2.1")
    response = dns.query.udp(update, "127.0.0.1", port=port, timeout=5)
    return dns.rcode.to_text(response.rcode())


async def test_one_process_listens_and_another_takes_over_when_it_stops(
    api_factory: ApiFactory,
) -> None:
    await asyncio.to_thread(downgrade, POSTGRES_URL, "base")
    await asyncio.to_thread(upgrade, POSTGRES_URL)
    port = free_port()
    first = await api_factory(POSTGRES_URL, dns_update_listen=f"127.0.0.1:{port}")
    await asyncio.wait_for(first.app.state.dns_update.listening.wait(), 30)
    second = await api_factory(POSTGRES_URL, dns_update_listen=f"127.0.0.1:{port}")
    await asyncio.wait_for(second.app.state.dns_update.checked.wait(), 30)  # not the leader
    assert not second.app.state.dns_update.listening.is_set()
    assert await asyncio.to_thread(unsigned_update, port) == "REFUSED"

    await first.app.state.dns_update.stop()
    await asyncio.wait_for(second.app.state.dns_update.listening.wait(), 30)
    assert await asyncio.to_thread(unsigned_update, port) == "REFUSED"
