"""Answers to messages whose TSIG fails, as RFC 8945 section 5.2 has them.

NOTAUTH with a TSIG RR whose Error names the failure. BADKEY (no such key, or another
algorithm) and BADSIG (the MAC is wrong) go back unsigned, with an empty MAC: the server
has nothing it could honestly sign with. BADTIME (the MAC verified, the clocks disagree)
goes back signed with the request's key, the client's time in Time Signed (the one clock
the client can check the answer against) and the server's current time in Other Data, so
the client can see how far off it is.
"""

from __future__ import annotations

import struct
import time

import dns.message
import dns.rcode
import dns.rrset
import dns.tsig


class TsigFailed(Exception):
    """The TSIG of a message failed; ``error`` is the TSIG error (``dns.rcode.BADKEY``...),
    ``key`` the verified key for a BADTIME answer."""

    def __init__(self, error: dns.rcode.Rcode, key: dns.tsig.Key | None = None) -> None:
        super().__init__(dns.rcode.to_text(error))
        self.error = error
        self.key = key


def tsig_error_answer(
    query: dns.message.Message, error: dns.rcode.Rcode, key: dns.tsig.Key | None = None
) -> bytes:
    """NOTAUTH to ``query`` (read without verifying its TSIG) with a TSIG RR carrying
    ``error``; signed with ``key`` for BADTIME only."""
    response = dns.message.make_response(query)
    response.set_rcode(dns.rcode.NOTAUTH)
    assert query.tsig is not None and query.keyname is not None  # callers check had_tsig
    request = query.tsig[0]
    other = b""
    if error == dns.rcode.BADTIME:
        now = int(time.time())
        other = struct.pack("!HI", (now >> 32) & 0xFFFF, now & 0xFFFFFFFF)
    rdata = request.replace(mac=b"", error=error, other=other)
    if error == dns.rcode.BADTIME and key is not None:
        unsigned = response.to_wire()
        rdata, _ctx = dns.tsig.sign(  # type: ignore[no-untyped-call]
            unsigned, key, rdata, time=request.time_signed, request_mac=request.mac
        )
    response.tsig = dns.rrset.from_rdata(query.keyname, 0, rdata)
    wire: bytes = response.to_wire()
    return wire
