"""The client's address behind a reverse proxy, believed only from configured proxies.

Behind nginx every connection comes from the proxy, so throttling and the audit log would
see one address for everybody. The proxy names the client in ``X-Forwarded-For`` (and
``X-Real-IP``), but anyone can send those headers: they are read only when the connection
comes from an address in ``DNSMATE_TRUSTED_PROXIES``. ``X-Forwarded-For`` is read from the
right, skipping trusted proxies; the first other address is the client. Entries to the left
of it were written by the client itself (nginx appends to what it received) and are never
believed. :class:`TrustedProxyMiddleware` puts that address in the ASGI scope, so
``request.client`` is the real client for every route, the metrics' loopback check and the
access log; ``dnsmate.api.deps.client_address`` is how routes read it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(value: str) -> tuple[Network, ...]:
    """``"127.0.0.1/32, ::1, 10.0.0.0/8"`` -> networks; a bare address is a /32 or /128.

    Raises ValueError naming the entry that is not an address or network.
    """
    networks = []
    for entry in value.replace(" ", ",").split(","):
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError as exc:
                raise ValueError(f"not an IP address or network: {entry!r}") from exc
    return tuple(networks)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address | None, networks: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(peer: str, headers: Headers, trusted: Sequence[Network]) -> str:
    """The client's address for a connection from ``peer`` carrying ``headers``."""
    if not _trusted(_address(peer), trusted):
        return peer
    hops: list[str] = []
    for value in headers.getlist("x-forwarded-for"):
        hops.extend(part for part in value.split(",") if part.strip())
    nearest = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage: the proxy we trust did not write it
            return nearest
        if not _trusted(address, trusted):
            return str(address)
        nearest = str(address)
    if not hops:
        real = _address(headers.get("x-real-ip", ""))
        if real is not None:
            return str(real)
    return nearest


class TrustedProxyMiddleware:
    """Replaces the ASGI client address (and scheme) with what a trusted proxy says."""

    def __init__(self, app: ASGIApp, trusted: Iterable[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") if scope["type"] in ("http", "websocket") else None
        if client and _trusted(_address(client[0]), self.trusted):
            peer, port = client
            headers = Headers(scope=scope)
            address = forwarded_client(peer, headers, self.trusted)
            scope = dict(scope, client=(address, port if address == peer else 0))
            proto = headers.get("x-forwarded-proto", "").strip().lower()
            if scope["type"] == "http" and proto in ("http", "https"):
                scope["scheme"] = proto
        await self.app(scope, receive, send)
