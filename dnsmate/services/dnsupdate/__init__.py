"""RFC 2136 dynamic updates, fanned out: DNS UPDATE messages become DNSMate changes.

``keys``      TSIG keys made in DNSMate (secret encrypted at rest), each acting as its user
``message``   an UPDATE (dnspython) read into a ``DnsUpdate``, or the RCODE refusing it
``change``    ``DnsUpdate``: prerequisites and updates applied on each server (write pipeline)
``replay``    a signed UPDATE sent again is answered, not applied again
``gateway``   one wire message in, one signed answer out (TSIG, permissions, RCODE)
``listener``  UDP and TCP on DNSMATE_DNS_UPDATE_LISTEN, in the process leading "dns-update"
"""
