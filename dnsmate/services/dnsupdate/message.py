"""An UPDATE message (dnspython) read into a ``DnsUpdate``, or the RCODE refusing it.

RFC 2136 section 3.1 (zone), 3.2 (prerequisites) and 3.4.1 (the prescan of the updates):
a malformed section is FORMERR, a name outside the zone NOTZONE, a record DNSMate does not
manage REFUSED. Record content becomes the canonical zone-file text every other write path
uses (``normalize_content``), so the change compares records the same way.
"""

from __future__ import annotations

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from dnsmate.powerdns.names import fqdn
from dnsmate.services.dnsupdate.change import DnsUpdate, Prerequisite, Update
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.validation import (
    check_plain_name,
    normalize_content,
    normalize_ttl,
    normalize_type,
)

# Types that never appear as data (RFC 2136 section 3.4.1.3: FORMERR in an update).
_META_TYPES = frozenset(
    {dns.rdatatype.ANY, dns.rdatatype.AXFR, dns.rdatatype.IXFR}
    | {dns.rdatatype.MAILA, dns.rdatatype.MAILB}
)


class UpdateError(Exception):
    """The message cannot be applied; ``rcode`` is the answer (e.g. "FORMERR", "NOTZONE")."""

    def __init__(self, rcode: str, reason: str) -> None:
        super().__init__(reason)
        self.rcode = rcode
        self.reason = reason


def zone_of(message: dns.message.Message) -> str:
    """The absolute name of the zone the UPDATE is for (FORMERR without exactly one)."""
    if len(message.question) != 1:
        raise UpdateError("FORMERR", "the zone section must hold exactly one zone")
    zone = message.question[0]
    if zone.rdtype != dns.rdatatype.SOA or zone.rdclass != dns.rdataclass.IN:
        raise UpdateError("FORMERR", "the zone section must name an IN SOA")
    return fqdn(zone.name.to_text())


def read_update(message: dns.message.Message) -> DnsUpdate:
    """The change an UPDATE message asks for; raises ``UpdateError`` with the RCODE."""
    zone = zone_of(message)
    origin = dns.name.from_text(zone)
    prerequisites = tuple(
        _prerequisite(rrset, origin) for rrset in message.answer
    )  # the prerequisite section
    updates = tuple(u for rrset in message.authority for u in _updates(rrset, origin))
    return DnsUpdate(zone=zone, updates=updates, prerequisites=prerequisites)


def _name(rrset: dns.rrset.RRset, origin: dns.name.Name) -> str:
    if not rrset.name.is_subdomain(origin):
        raise UpdateError("NOTZONE", f"{rrset.name} is outside the zone {origin}")
    name = rrset.name.to_text()
    try:
        check_plain_name(name)
    except InvalidInput as exc:
        raise UpdateError("REFUSED", exc.reason) from exc
    return fqdn(name)


def _type(rdtype: dns.rdatatype.RdataType) -> str:
    try:
        return normalize_type(dns.rdatatype.to_text(rdtype))
    except InvalidInput as exc:
        raise UpdateError("REFUSED", exc.reason) from exc


def _contents(rrset: dns.rrset.RRset, rtype: str) -> tuple[str, ...]:
    try:
        return tuple(normalize_content(rtype, rdata.to_text()) for rdata in rrset)
    except InvalidInput as exc:
        raise UpdateError("REFUSED", exc.reason) from exc


def _prerequisite(rrset: dns.rrset.RRset, origin: dns.name.Name) -> Prerequisite:
    """One prerequisite RR (section 3.2): its class and type say which test it is."""
    if rrset.ttl != 0:
        raise UpdateError("FORMERR", "a prerequisite must have TTL 0")
    name = _name(rrset, origin)
    deleting, rdtype = rrset.deleting, rrset.rdtype
    if deleting == dns.rdataclass.ANY:
        if rdtype == dns.rdatatype.ANY:
            return Prerequisite("name_in_use", name)
        return Prerequisite("rrset_exists", name, _type(rdtype))
    if deleting == dns.rdataclass.NONE:
        if rdtype == dns.rdatatype.ANY:
            return Prerequisite("name_not_in_use", name)
        return Prerequisite("rrset_absent", name, _type(rdtype))
    if deleting is None and rrset.rdclass == dns.rdataclass.IN and rdtype not in _META_TYPES:
        rtype = _type(rdtype)
        return Prerequisite("rrset_equals", name, rtype, _contents(rrset, rtype))
    raise UpdateError("FORMERR", f"prerequisite of class {rrset.rdclass} is not allowed")


def _updates(rrset: dns.rrset.RRset, origin: dns.name.Name) -> list[Update]:
    """The updates of one update-section RRset (section 3.4.1.3 prescan, 3.4.2 meaning)."""
    name = _name(rrset, origin)
    deleting, rdtype = rrset.deleting, rrset.rdtype
    if deleting is None:
        if rrset.rdclass != dns.rdataclass.IN or rdtype in _META_TYPES:
            raise UpdateError("FORMERR", "an added record must be of class IN and a data type")
        rtype = _type(rdtype)
        try:
            ttl = normalize_ttl(rrset.ttl)
        except InvalidInput as exc:
            raise UpdateError("FORMERR", exc.reason) from exc
        return [Update("add", name, rtype, c, ttl) for c in _contents(rrset, rtype)]
    if rrset.ttl != 0:
        raise UpdateError("FORMERR", "a deletion must have TTL 0")
    if deleting == dns.rdataclass.ANY:
        if rdtype == dns.rdatatype.ANY:
            return [Update("delete_name", name)]
        return [Update("delete_rrset", name, _type(rdtype))]
    if rdtype in _META_TYPES:
        raise UpdateError("FORMERR", "a record deletion must name a data type")
    rtype = _type(rdtype)
    return [Update("delete_record", name, rtype, c) for c in _contents(rrset, rtype)]
