"""Queries on the DNS UPDATE listener: a zone's SOA, and its transfer (AXFR).

Update clients find the zone of a name by asking the update server for the SOA of the
name and of each parent until one answers authoritatively (certbot's dns-rfc2136 plugin
and lego's rfc2136 provider do; nsupdate asks the servers in resolv.conf instead). DNSMate
answers a SOA query for a zone apex from the read server, with the AA flag; for a name
inside a zone it manages, it answers as a name server does for a name without a SOA: no
answer, the zone's SOA in the authority section, AA (NOERROR: DNSMate does not look up
whether the name exists, so it never claims NXDOMAIN). lego treats any other RCODE
(REFUSED) as a failure and gives up; certbot moves on to the parent either way.

Update clients that keep a zone in sync (ExternalDNS's rfc2136 provider) list its records
by zone transfer: ``axfr_answers`` sends the zone as the read server holds it, to a
TSIG-signed query from a key whose user may read the zone (the gateway checks). Every
other query is refused: the listener is not a name server.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSNotFound
from dnsmate.powerdns.names import fqdn
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService
from dnsmate.services.zonedata.enclosing import closest_zone

log = logging.getLogger(__name__)


async def soa_answer(
    *, targets: MultiPowerDNSService, query: dns.message.Message
) -> dns.message.Message:
    """The response to ``query``: the SOA of a zone apex (answer), of the zone a name is
    in (authority), or REFUSED for a name in no zone DNSMate manages."""
    response = dns.message.make_response(query)
    if len(query.question) != 1 or query.question[0].rdtype != dns.rdatatype.SOA:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    name = query.question[0].name
    found = await _enclosing_soa(targets, name)
    if found is None:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    apex, rrset = found
    contents = [r["content"] for r in rrset["records"]]
    soa = dns.rrset.from_text_list(apex, rrset["ttl"], dns.rdataclass.IN, "SOA", contents)
    (response.answer if apex == name else response.authority).append(soa)
    response.flags |= dns.flags.AA
    return response


async def _enclosing_soa(
    targets: MultiPowerDNSService, name: dns.name.Name
) -> tuple[dns.name.Name, JSON] | None:
    """The closest zone at or above ``name`` that the read server has, with its SOA RRset
    (``closest_zone``: a bounded number of reads, the TLD included)."""

    async def soa(zone: str) -> JSON | None:
        return await targets.read(functools.partial(_soa_rrset, zone=zone))

    try:
        found = await closest_zone(name, soa)
    except PowerDNSError:
        return None  # no server answers: no point asking about the parents
    return None if found is None else (found.apex, found.data)


async def _soa_rrset(client: PowerDNSClient, *, zone: str) -> JSON | None:
    """The zone's SOA RRset; None when it holds no (enabled) SOA record."""
    rrset: JSON | None = await client.get_rrset(zone, zone, "SOA", disabled=False)
    return rrset if rrset is not None and rrset["records"] else None


# Records per AXFR message are added until about this many bytes of zone-file text: the
# wire form is about as long or shorter (names compress), well under TCP DNS's 64 KiB. A
# larger RRset is split over several messages (``_parts``).
AXFR_MESSAGE_TEXT = 16_000


def _rrsets(zone: str, data: JSON) -> tuple[dns.rrset.RRset | None, list[dns.rrset.RRset]]:
    """The zone's SOA and its other RRsets (enabled records only) for a transfer."""
    soa, others = None, []
    for rrset in data.get("rrsets", []):
        contents = [r["content"] for r in rrset["records"] if not r.get("disabled")]
        if not contents:
            continue
        try:
            built = dns.rrset.from_text_list(
                rrset["name"], rrset["ttl"], dns.rdataclass.IN, rrset["type"], contents
            )
        except (dns.exception.DNSException, ValueError):
            log.warning("AXFR of %s: %s %s left out (not parseable)", zone, rrset["name"],
                        rrset["type"])  # fmt: skip
            continue
        if built.rdtype == dns.rdatatype.SOA:
            soa = built
        else:
            others.append(built)
    return soa, others


async def axfr_answers(
    *, targets: MultiPowerDNSService, query: dns.message.Message
) -> list[dns.message.Message]:
    """The zone transfer (RFC 5936) of the query's zone, read from the read server: SOA,
    every RRset, SOA again, over as many messages as it takes. PowerDNSNotFound when the
    zone is on no server."""
    zone = fqdn(query.question[0].name.to_text())
    data = await targets.read(functools.partial(_whole_zone, zone=zone))
    soa, others = _rrsets(zone, data)
    if soa is None:
        raise PowerDNSNotFound(f"{zone} has no SOA")
    messages = [dns.message.make_response(query)]
    size = 0
    for rrset in (part for whole in [soa, *others, soa] for part in _parts(whole)):
        text = len(rrset.to_text())
        if size and size + text > AXFR_MESSAGE_TEXT:
            messages.append(dns.message.make_response(query))
            size = 0
        messages[-1].answer.append(rrset)
        size += text
    for message in messages:
        message.flags |= dns.flags.AA
    return messages


def _parts(rrset: dns.rrset.RRset) -> Iterator[dns.rrset.RRset]:
    """``rrset`` in parts of about ``AXFR_MESSAGE_TEXT`` characters: an RRset can be larger
    than a TCP DNS message (64 KiB), and a transfer may carry one over several (RFC 5936
    section 2.2)."""
    if len(rrset.to_text()) <= AXFR_MESSAGE_TEXT:
        yield rrset
        return
    part, size = None, 0
    for rdata in rrset:
        text = len(rrset.name.to_text()) + len(rdata.to_text()) + 20
        if part is not None and size + text > AXFR_MESSAGE_TEXT:
            yield part
            part, size = None, 0
        if part is None:
            part = dns.rrset.RRset(rrset.name, rrset.rdclass, rrset.rdtype)
        part.add(rdata, rrset.ttl)
        size += text
    if part is not None:
        yield part


async def _whole_zone(client: PowerDNSClient, *, zone: str) -> JSON:
    return await client.get_zone(zone)


def transfer_wires(messages: list[dns.message.Message]) -> list[bytes]:
    """The messages of a transfer on the wire, each TSIG-signed in one chain (RFC 8945
    section 5.3.1) when the query was signed."""
    wires: list[bytes] = []
    context = None
    for message in messages:
        wires.append(message.to_wire(max_size=65535, multi=True, tsig_ctx=context))
        context = message.tsig_ctx
    return wires
