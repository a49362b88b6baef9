"""What to type for each record type: the words of DNSMate's validation messages.

A parser says "expecting an integer" or "Text input is malformed."; an operator needs to
read what the field expects, with an example. These texts end the messages of
``dnsmate.services.zonedata.validation`` (and match the web interface's hints in
``frontend/src/lib/recordTypes.ts``).
"""

from __future__ import annotations

# type -> (what the content is made of, an example)
CONTENT_FORMATS: dict[str, tuple[str, str]] = {
    "A": ("an IPv4 address: four numbers from 0 to 255 separated by dots", "192.0.2.10"),
    "AAAA": ("an IPv6 address", "2001:db8::10"),
    "CAA": (
        "flags, a tag (issue, issuewild or iodef) and a quoted value",
        '0 issue "letsencrypt.org"',
    ),
    "CNAME": ("the canonical host name", "www.example.com."),
    "DHCID": (
        "the DHCP client's identity in base64",
        "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=",
    ),
    "DNAME": ("the target domain of the whole subtree", "example.net."),
    "DS": ("key tag, algorithm, digest type and the digest in hex", "12345 13 2 3f8a..."),
    "HINFO": ("the CPU and the operating system, each quoted", '"amd64" "Linux"'),
    "HTTPS": ("a priority, a target and service parameters", '1 . alpn="h2,h3"'),
    "LOC": ("latitude, longitude and altitude", "52 22 23.000 N 4 53 32.000 E -2.00m"),
    "MX": ("a preference number, then the mail server's host name", "10 mail.example.com."),
    "NAPTR": (
        "order, preference, flags, service, regexp and replacement",
        '100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .',
    ),
    "NS": ("the host name of a name server", "ns1.example.com."),
    "PTR": ("the host name this address points to", "host.example.com."),
    "SOA": (
        "primary name server, contact mailbox, serial, refresh, retry, expire and minimum",
        "ns1.example.com. hostmaster.example.com. 1 10800 3600 604800 3600",
    ),
    "SPF": ("an SPF policy, without quotes", "v=spf1 mx -all"),
    "SRV": (
        "priority, weight and port numbers, then the target host",
        "10 5 5060 sip.example.com.",
    ),
    "SSHFP": (
        "algorithm and fingerprint type numbers, then the fingerprint in hex",
        "4 2 123456789abcdef...",
    ),
    "SVCB": ("a priority, a target and service parameters", "1 svc.example.com. port=8443"),
    "TLSA": (
        "usage, selector and matching type numbers, then the data in hex",
        "3 1 1 0123456789abcdef...",
    ),
    "TXT": (
        "free text without quotes (they are added for you), or quoted strings, each closed",
        "v=spf1 mx -all",
    ),
}


def what_to_type(rtype: str) -> str:
    """``write <format>, e.g. <example>`` for ``rtype`` ("" for a type without a format)."""
    entry = CONTENT_FORMATS.get(rtype)
    if entry is None:
        return ""
    words, example = entry
    return f"write {words}, e.g. {example}"
