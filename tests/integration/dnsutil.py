"""Ask a local PowerDNS server over DNS: the answer on the wire is the truth."""

from __future__ import annotations

import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdataclass
import dns.rdatatype

from dnsmate.dev.pdns_local import LocalPowerDNS

DNS_TIMEOUT = 2.0


class DNSQueryError(Exception):
    """The server answered with an rcode other than NOERROR or NXDOMAIN (e.g. REFUSED)."""

    def __init__(self, name: str, rdtype: str, rcode: str) -> None:
        super().__init__(f"{name} {rdtype}: {rcode}")
        self.rcode = rcode


def dns_response(
    server: LocalPowerDNS, name: str, rdtype: str, *, dnssec: bool = False
) -> dns.message.Message:
    """Send one query to ``server`` (UDP, TCP if truncated) and return the whole response.

    With ``dnssec`` the DO bit is set, so a signed zone's answer carries its RRSIGs.
    """
    query = dns.message.make_query(name, rdtype, want_dnssec=dnssec)
    query.flags &= ~dns.flags.RD
    response, _ = dns.query.udp_with_fallback(
        query, "127.0.0.1", timeout=DNS_TIMEOUT, port=server.dns_port
    )
    return response


def dns_rcode(server: LocalPowerDNS, name: str, rdtype: str = "SOA") -> str:
    """The rcode ``server`` answers with, e.g. "NOERROR", "NXDOMAIN", "REFUSED" (zone unknown)."""
    return dns.rcode.to_text(dns_response(server, name, rdtype).rcode())


def dns_query(server: LocalPowerDNS, name: str, rdtype: str) -> list[str]:
    """Return the sorted rdata texts of the ``name``/``rdtype`` RRset served by ``server``.

    An empty list means NXDOMAIN or NOERROR without data. Only the RRset of exactly
    this name and type counts (a CNAME met on the way to an A record does not).
    Texts are zone-file presentation: TXT stays quoted, targets end with a dot.
    Any other rcode (REFUSED when the server has no such zone, SERVFAIL) raises
    :class:`DNSQueryError`.
    """
    response = dns_response(server, name, rdtype)
    rcode = response.rcode()
    if rcode == dns.rcode.NXDOMAIN:
        return []
    if rcode != dns.rcode.NOERROR:
        raise DNSQueryError(name, rdtype, dns.rcode.to_text(rcode))
    rrset = response.get_rrset(
        response.answer,
        dns.name.from_text(name),
        dns.rdataclass.IN,
        dns.rdatatype.from_text(rdtype),
    )
    if rrset is None:
        return []
    return sorted(rdata.to_text() for rdata in rrset)
