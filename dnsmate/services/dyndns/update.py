"""DynDNS2 (``/nic/update``): a host's addresses set through the write pipeline.

Home routers, ddclient and inadyn speak the dyndns2 protocol: HTTP basic auth, the host
names in ``hostname`` (comma-separated), the addresses in ``myip`` (IPv4 and/or IPv6,
comma-separated) or ``myipv6``; without either, the caller's own address. Each host gets
one answer line, in order:

``good IP``     the A/AAAA RRsets were set to IP (on every target, or queued, as any change)
``nochg IP``    they hold IP already: nothing was written
``nohost``      not a name this token may change (host limits, zone permissions, record
                limits, no zone)
``notfqdn``     not a full host name
``abuse``       too many requests for this host from this token (``AbuseGuard``)
``dnserr``      ``myip`` is not one plain address per family (refused before any server is
                asked), or the servers refused the data; ``911``: no server took the change
``badauth``     (the whole answer) no valid token

The write for one host is one ``DynDnsUpdate`` (an RRset replacement: the A and/or AAAA
RRset hold exactly the new address, the TTL stays) through the write pipeline, so it is
fanned out, queued for a server that is down, versioned and audited like any change.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import dns.name
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.access import permissions
from dnsmate.services.dyndns.change import DynDnsUpdate
from dnsmate.services.errors import InvalidInput, NoServerAvailable, PermissionDenied
from dnsmate.services.history import audit
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService, is_unavailable
from dnsmate.services.write.pipeline import WritePipeline, WriteScope
from dnsmate.services.zonedata.enclosing import closest_zone
from dnsmate.services.zonedata.records import find_rrset
from dnsmate.services.zonedata.validation import normalize_host

# A new A/AAAA RRset gets this TTL (an existing one keeps its own): addresses of home
# connections change, resolvers should not hold them long.
DEFAULT_TTL = 60
# More hosts in one request is "numhost", as dyndns2 says.
MAX_HOSTS = 20


class AbuseGuard:
    """At most ``limit`` requests per ``window`` seconds for one (token, host), per process.

    A client stuck in a loop gets ``abuse`` instead of a write (or a read) per request;
    ddclient and inadyn only call when their address changed. A (token, host) with no
    request within the window is forgotten, once per window: a token that sends ever new
    host names (up to 20 a request, counted before they are looked up) must not grow the
    memory without end.
    """

    def __init__(
        self,
        *,
        limit: int = 30,
        window: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[tuple[int, str], deque[float]] = {}
        self._swept = clock()

    @property
    def tracked(self) -> int:
        """How many (token, host) pairs are remembered."""
        return len(self._seen)

    def allow(self, token_id: int, host: str) -> bool:
        """Count one request; False when this one is over the limit."""
        now = self._clock()
        if now - self._swept > self.window:
            self._sweep(now)
        seen = self._seen.setdefault((token_id, host), deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def _sweep(self, now: float) -> None:
        self._swept = now
        for pair in [p for p, seen in self._seen.items() if now - seen[-1] > self.window]:
            del self._seen[pair]


@dataclass(frozen=True)
class Addresses:
    """The addresses a request asks for: at most one of each family."""

    v4: str | None
    v6: str | None

    def text(self) -> str:
        return ",".join(a for a in (self.v4, self.v6) if a)


def parse_addresses(myip: str | None, myipv6: str | None, client_ip: str | None) -> Addresses:
    """``myip`` (IPv4 and/or IPv6, comma-separated) and ``myipv6``, else the caller's own
    address; InvalidInput for anything that is not a plain address (an IPv6 scope is not
    DNS data), or for two different addresses of one family (which one is meant?)."""
    texts = [t.strip() for t in f"{myip or ''},{myipv6 or ''}".split(",") if t.strip()]
    if not texts and client_ip:
        texts = [client_ip]
    found: dict[int, str] = {}
    for text in texts:
        try:
            address = ipaddress.ip_address(text)
        except ValueError as exc:
            raise InvalidInput("myip", f"{text!r} is not an IP address") from exc
        if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
            raise InvalidInput("myip", f"{text!r}: an IPv6 scope (%...) is not DNS data")
        if found.setdefault(address.version, str(address)) != str(address):
            raise InvalidInput(
                "myip", f"give one IPv{address.version} address, not both "
                f"{found[address.version]} and {address}"
            )  # fmt: skip
    v4, v6 = found.get(4), found.get(6)
    if v4 is None and v6 is None:
        raise InvalidInput("myip", "give myip (or call from the address to set)")
    return Addresses(v4, v6)


async def find_zone(targets: MultiPowerDNSService, host: str) -> tuple[str, JSON] | None:
    """The closest zone holding ``host`` and its RRsets at ``host`` (read server), or None.

    The walk is ``closest_zone``'s, with its limits: a 404 or 422 moves on to the parent,
    any other server error is raised (``911``), and a host is looked for in at most
    ``MAX_ZONE_READS`` zones, so a host name of a hundred labels costs 16 reads, not a
    hundred (a zone that far above a host is not one a router updates). The bare TLD is
    never asked: a host is in a zone of two labels or more.
    """

    async def at_host(zone: str) -> JSON:
        return await targets.read(functools.partial(_at_host, zone=zone, host=host))

    found = await closest_zone(dns.name.from_text(host), at_host, min_labels=2)
    return None if found is None else (found.zone, found.data)


async def _at_host(client: PowerDNSClient, *, zone: str, host: str) -> JSON:
    return await client.get_zone(zone, rrset_name=host)


def _wanted(host: str, at_host: JSON, addresses: Addresses) -> list[JSON]:
    """The RRsets that differ from what ``host`` should hold (empty: nothing to change)."""
    wanted = []
    for rtype, address in (("A", addresses.v4), ("AAAA", addresses.v6)):
        if address is None:
            continue
        rrset = find_rrset(at_host, host, rtype)
        contents = sorted(r["content"] for r in rrset["records"]) if rrset else []
        if contents == [address]:
            continue
        ttl = rrset["ttl"] if rrset else DEFAULT_TTL
        records = [{"content": address, "disabled": False}]
        wanted.append({"name": host, "type": rtype, "ttl": ttl, "records": records})
    return wanted


@dataclass
class DynDnsRequest:
    """One authenticated /nic/update call: who, as which token, from where."""

    session: AsyncSession
    pipeline: WritePipeline
    guard: AbuseGuard
    user: User
    token_id: int
    via: str
    client_ip: str | None


async def update_host(request: DynDnsRequest, hostname: str, addresses: Addresses) -> str:
    """The answer line for one host of the request (see the module docstring)."""
    user = request.user
    try:
        host = normalize_host(hostname, "hostname")
    except InvalidInput:
        return "notfqdn"
    scope = user.token_scope
    if scope is not None and scope.hosts is not None and host not in scope.hosts:
        return "nohost"
    if not request.guard.allow(request.token_id, host):
        return "abuse"
    try:
        targets = await request.pipeline.targets(request.session)
        found = await find_zone(targets, host)
        if found is None:
            return "nohost"
        zone, at_host = found
        await permissions.check_zone(session=request.session, user=user, zone=zone, write=True)
    except (PermissionDenied, InvalidInput):
        return "nohost"
    except (NoServerAvailable, PowerDNSError):
        return "911"
    wanted = _wanted(host, at_host, addresses)
    if not wanted:
        return f"nochg {addresses.text()}"
    actor = audit.Actor(user, request.via, request.client_ip)
    change = DynDnsUpdate(zone=zone, rrsets=tuple(wanted))
    try:  # the pipeline checks the user's record limits before it writes anything
        outcome = await request.pipeline.run(
            change, scope=WriteScope(request.session, actor, targets)
        )
    except PermissionDenied:
        return "nohost"
    if outcome.decision.durable:
        return f"good {addresses.text()}"
    errors = [r.exc for r in outcome.results if r.exc is not None]
    return "911" if not errors or any(is_unavailable(e) for e in errors) else "dnserr"
