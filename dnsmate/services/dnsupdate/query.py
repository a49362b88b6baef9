"""SOA queries on the DNS UPDATE listener: which zone does a name belong to?

Update clients find the zone of a name by asking the update server for the SOA of the
name and of each parent until one answers authoritatively (certbot's dns-rfc2136 plugin
does; nsupdate asks the servers in resolv.conf instead). DNSMate answers a SOA query for
a zone apex from the read server, with the AA flag, and refuses everything else: the
listener is not a name server.
"""

from __future__ import annotations

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.multi_powerdns import MultiPowerDNSService
from dnsmate.services.validation import check_plain_name


async def soa_answer(
    *, targets: MultiPowerDNSService, query: dns.message.Message
) -> dns.message.Message:
    """The response to ``query``: the zone's SOA (authoritative), or REFUSED."""
    response = dns.message.make_response(query)
    if len(query.question) != 1 or query.question[0].rdtype != dns.rdatatype.SOA:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    name = query.question[0].name
    zone = fqdn(name.to_text())
    try:
        check_plain_name(zone, "zone")
        rrset = (
            await targets.read(lambda c: c.get_rrset(zone, zone, "SOA")) if zone != "." else None
        )
    except (PowerDNSError, InvalidInput):
        rrset = None  # not a zone DNSMate manages (or no server answers)
    if rrset is None or not rrset["records"]:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    contents = [r["content"] for r in rrset["records"]]
    answer = dns.rrset.from_text_list(name, rrset["ttl"], dns.rdataclass.IN, "SOA", contents)
    response.answer.append(answer)
    response.flags |= dns.flags.AA
    return response
