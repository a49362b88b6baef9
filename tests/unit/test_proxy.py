"""Which address is the client's, given the connection's peer and the forwarded headers."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from dnsmate.api.proxy import forwarded_client, parse_networks
from dnsmate.config import Settings

TRUSTED = parse_networks("127.0.0.1/32, 10.0.0.0/8,::1")


def client(peer: str, *headers: tuple[str, str]) -> str:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers]
    return forwarded_client(peer, Headers(raw=raw), TRUSTED)


def test_headers_from_an_untrusted_peer_are_ignored() -> None:
    assert client("192.0.2.7", ("X-Forwarded-For", "203.0.113.9")) == "192.0.2.7"
    assert client("192.0.2.7", ("X-Real-IP", "203.0.113.9")) == "192.0.2.7"


def test_the_rightmost_untrusted_hop_is_the_client() -> None:
    # nginx appends the address it saw to what the client sent: the client's own entry
    # (left) is not believed.
    spoofed = ("X-Forwarded-For", "198.51.100.1, 203.0.113.9")
    assert client("127.0.0.1", spoofed) == "203.0.113.9"
    # Two trusted proxies in a row (a load balancer, then nginx).
    assert client("127.0.0.1", ("X-Forwarded-For", "203.0.113.9, 10.1.2.3")) == "203.0.113.9"
    # Several header lines count as one list.
    lines = ("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-For", "203.0.113.9")
    assert client("127.0.0.1", *lines) == "203.0.113.9"


def test_x_real_ip_without_x_forwarded_for_and_ipv6() -> None:
    assert client("::1", ("X-Real-IP", "2001:db8::5")) == "2001:db8::5"
    assert client("127.0.0.1", ("X-Forwarded-For", "[2001:db8::5]:51000")) == "2001:db8::5"
    assert client("::ffff:127.0.0.1", ("X-Forwarded-For", "192.0.2.4")) == "192.0.2.4"


def test_only_proxies_or_garbage_fall_back_to_the_nearest_proxy() -> None:
    assert client("127.0.0.1") == "127.0.0.1"
    assert client("127.0.0.1", ("X-Forwarded-For", "10.0.0.5")) == "10.0.0.5"
    assert client("127.0.0.1", ("X-Forwarded-For", "203.0.113.9, nonsense")) == "127.0.0.1"


def test_settings_refuse_a_bad_network() -> None:
    with pytest.raises(ValueError, match=r"not an IP address or network: '10\.0\.0\.0/33'"):
        Settings(trusted_proxies="127.0.0.1,10.0.0.0/33")
    assert Settings(trusted_proxies="").trusted_networks() == ()
