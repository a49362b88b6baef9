"""The closest zone at or above a name: the name, then each parent, asked one at a time.

DynDNS (the zone of a host) and the DNS UPDATE listener (the SOA of the zone a name is in)
ask the read server about each candidate in turn; the limits of that walk live here:

- a candidate that cannot be a zone name (``check_plain_name`` refuses it: an escaped
  character such as ``\\032`` or a ``/``) is passed over without a read;
- at most ``MAX_ZONE_READS`` reads per walk, whatever the number of labels: the listener
  answers unsigned queries, and a DynDNS host name may have a hundred labels, which must
  not make one request ask the servers a hundred times;
- 404 and 422 mean "not a zone here": the walk goes on to the parent. Any other PowerDNS
  error (no server answers) ends the walk and is raised to the caller.

A label starting with ``_`` (``_acme-challenge``) is read like any other: ``_msdcs.`` zones
exist, and DNSMate lets a zone name start with ``_``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import dns.name

from dnsmate.powerdns.errors import PowerDNSNotFound, PowerDNSRejected
from dnsmate.powerdns.names import fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.validation import check_plain_name

T = TypeVar("T")

# At most this many reads of the read server per walk (the name, then its parents). A zone
# more than 15 labels above the name is not found: no client names hosts that deep.
MAX_ZONE_READS = 16


@dataclass(frozen=True)
class Enclosing(Generic[T]):
    """A zone found: its name as asked (the case of the question kept), as read, and what
    the read returned."""

    apex: dns.name.Name
    zone: str
    data: T


def candidates(name: dns.name.Name, *, min_labels: int = 1) -> Iterator[tuple[dns.name.Name, str]]:
    """``name`` and each parent with at least ``min_labels`` labels, each with its zone name
    (``fqdn``), leaving out those that cannot be a zone name."""
    candidate = name
    while len(candidate.labels) - 1 >= min_labels:  # the last label is the root's
        zone = fqdn(candidate.to_text())
        try:
            check_plain_name(zone, "zone")
        except InvalidInput:
            pass
        else:
            yield candidate, zone
        candidate = candidate.parent()


async def closest_zone(
    name: dns.name.Name, read: Callable[[str], Awaitable[T | None]], *, min_labels: int = 1
) -> Enclosing[T] | None:
    """The closest zone at or above ``name`` for which ``read(zone)`` returns something
    (None, 404 or 422: not here, try the parent), or None after ``MAX_ZONE_READS`` reads or
    the last candidate. Other errors of ``read`` are raised."""
    for reads, (apex, zone) in enumerate(candidates(name, min_labels=min_labels)):
        if reads == MAX_ZONE_READS:
            return None
        try:
            data = await read(zone)
        except (PowerDNSNotFound, PowerDNSRejected):
            continue
        if data is not None:
            return Enclosing(apex, zone, data)
    return None
