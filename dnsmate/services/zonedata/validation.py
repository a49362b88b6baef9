"""Record validation with dnspython, before any PowerDNS server is contacted.

``normalize_content`` turns user input into the zone-file text PowerDNS expects (quoted
TXT, absolute targets with the trailing dot) and the canonical form PowerDNS returns, so
DNSMate can compare a requested record with the records a server holds.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re

import dns.exception
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from dnsmate.powerdns.names import absolute_name, fqdn, in_zone
from dnsmate.services.errors import InvalidInput
from dnsmate.services.zonedata.record_formats import what_to_type

SUPPORTED_TYPES = (
    "A",
    "AAAA",
    "CAA",
    "CNAME",
    "DS",
    "HINFO",
    "LOC",
    "MX",
    "NAPTR",
    "NS",
    "PTR",
    "SOA",
    "SPF",
    "SRV",
    "SSHFP",
    "TLSA",
    "TXT",
    "HTTPS",
    "SVCB",
    "DNAME",
    # DHCP clients' identities (RFC 4701): Kea's DHCP-DDNS writes them beside A and PTR.
    "DHCID",
)
MAX_TTL = 2_147_483_647
# Names made of these characters only, with labels of 1 to 63 and at most 254 characters
# in all (255 on the wire), are valid without asking dnspython: the common case, checked
# ten times faster (bulk changes validate thousands of names).
_PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9_*-]{1,63}\.)+")
# The characters PowerDNS accepts in owner names (it answers 422 "contains unsupported
# characters" for any other, a space included, which it reports as \032).
_NAME_CHARACTER = re.compile(r"[A-Za-z0-9_*.-]")
_CHARACTER_NAMES = {" ": "a space", "\t": "a tab"}
# Dotted quads already in canonical form (no leading zeros): returned as they are.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_IPV4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}")
# Record content is one line of zone-file text: a newline would end the record (dnspython
# and PowerDNS keep what comes before it and drop the rest), other control characters have
# no meaning there. Tabs are whitespace.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# TXT text that dnspython would quote as it is: printable ASCII without quotes or escapes.
_PLAIN_TXT = re.compile(r"[ !#-\[\]-~]+")


def normalize_type(rtype: str) -> str:
    value = rtype.strip().upper()
    if value not in SUPPORTED_TYPES:
        raise InvalidInput(
            "type", f"unsupported record type {rtype!r}; use one of {', '.join(SUPPORTED_TYPES)}"
        )
    return value


def normalize_ttl(ttl: int) -> int:
    if not 0 <= ttl <= MAX_TTL:
        raise InvalidInput("ttl", f"TTL must be between 0 and {MAX_TTL}, got {ttl}")
    return ttl


def check_plain_name(name: str, field: str = "name") -> None:
    """Refuse ``\\`` escapes and ``/`` in a zone or record name.

    PowerDNS decodes RFC 1035 escapes (``\\119ww`` is ``www``), while permissions, grants,
    the audit log and versions compare names as text: an escaped name would reach another
    name's data under a different spelling. ``/`` cannot be part of a URL path segment, so
    such a zone could be created but never opened.
    """
    for character in ("\\", "/"):
        if character in name:
            raise InvalidInput(
                field, f"{name!r}: {character!r} is not allowed in names (write the name plainly)"
            )


def check_name_characters(name: str, field: str = "name") -> None:
    """Refuse a name with a character PowerDNS does not accept, saying which and what to type.

    Letters, digits, ``-``, ``_``, ``*`` and the dots between labels are accepted. An
    international name is written in its ``xn--`` form, which the message suggests.
    """
    stripped = name.strip()
    bad = next((c for c in stripped if not _NAME_CHARACTER.fullmatch(c)), None)
    if bad is None:
        return
    what = _CHARACTER_NAMES.get(bad, repr(bad))
    hint = "use letters, digits, hyphens (-) and underscores (_), with dots between labels"
    if stripped.isprintable() and " " not in stripped and not stripped.isascii():
        with contextlib.suppress(UnicodeError):
            hint = f"write the international name as {stripped.encode('idna').decode()}"
    elif " " in stripped:
        hint += f", e.g. {re.sub(r' +', '-', stripped)}"
    raise InvalidInput(field, f"{stripped!r} contains {what}, which a DNS name cannot hold: {hint}")


def normalize_name(name: str, zone: str) -> str:
    """The absolute record name, checked to be a valid DNS name inside ``zone``."""
    check_plain_name(name)
    absolute = absolute_name(name, zone)
    if len(absolute) > 254 or not _PLAIN_NAME.fullmatch(absolute):
        check_name_characters(name)
        try:
            dns.name.from_text(absolute)
        except dns.exception.DNSException as exc:
            raise InvalidInput("name", f"invalid DNS name {name!r}: {_name_rule(exc)}") from exc
    if not in_zone(absolute, zone):
        raise InvalidInput("name", f"{absolute} is not inside zone {fqdn(zone)}")
    return absolute


# A name of plain labels without the trailing dot: what bulk changes mostly send.
_PLAIN_RELATIVE = re.compile(r"[A-Za-z0-9_*-]{1,63}(?:\.[A-Za-z0-9_*-]{1,63})*")


class ZoneNames:
    """``normalize_name`` for the many names of one zone (a bulk change): the zone's own
    form is worked out once, and a name of plain labels is resolved without the general
    checks (it is valid and inside the zone by construction), with the same result."""

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self._origin = fqdn(zone)
        self._suffix = "." + self._origin[:-1]
        self._plain = _PLAIN_NAME.fullmatch(self._origin) is not None

    def normalize(self, name: str) -> str:
        """``normalize_name(name, zone)``."""
        if self._plain and _PLAIN_RELATIVE.fullmatch(name):
            raw = name.lower()
            if raw == self._origin[:-1] or raw.endswith(self._suffix):
                absolute = raw + "."  # written absolute, without the trailing dot
            else:
                absolute = f"{raw}.{self._origin}"
            if len(absolute) <= 254:
                return absolute
        return normalize_name(name, self.zone)


def normalize_host(name: str, field: str = "hosts") -> str:
    """A full host name (``home.example.com``) as an absolute name; InvalidInput otherwise.

    At least two labels, no wildcard: a DynDNS client names one host in some zone.
    """
    check_plain_name(name, field)
    absolute = fqdn(name)
    labels = absolute.rstrip(".").split(".")
    if len(labels) < 2 or "*" in absolute or not _PLAIN_NAME.fullmatch(absolute):
        raise InvalidInput(field, f"{name!r}: give a full host name, e.g. home.example.com")
    if len(absolute) > 254 or any(len(label) > 63 for label in labels):
        raise InvalidInput(field, f"{name!r} is too long for a DNS name")
    return absolute


def check_one_line(content: str) -> None:
    """Raise InvalidInput when ``content`` holds a line break or another control character.

    Such content is refused, never cut: a record stored without its second line is data lost.
    """
    control = _CONTROL.search(content)
    if control is not None:
        raise InvalidInput(
            "content",
            f"record content must be one line without control characters; found "
            f"{control[0]!r} at position {control.start()} (one record per content value; "
            "write a newline inside TXT as \\010)",
        )


def normalize_content(rtype: str, content: str, *, origin: str = ".") -> str:
    """Canonical zone-file text for ``content`` of type ``rtype``; InvalidInput if invalid.

    Names in ``content`` without a trailing dot are relative to ``origin`` (as in a zone
    file); with the default root origin, ``mail`` means ``mail.``.
    """
    if rtype == "A" and _CANONICAL_IPV4.fullmatch(content):
        return content  # the common case: nothing to strip, no control character
    check_one_line(content)
    text = content.strip()
    if not text:
        raise InvalidInput("content", f"{rtype} record content is empty")
    fast = _address(rtype, text)
    if fast is not None:
        return fast
    if rtype in ("TXT", "SPF"):
        if _PLAIN_TXT.fullmatch(text):
            return _quote_txt(text)  # what dnspython would answer, without parsing
        text = _quote_txt(text)
    try:
        rdata = dns.rdata.from_text(
            dns.rdataclass.IN,
            dns.rdatatype.from_text(rtype),
            text,
            origin=dns.name.from_text(origin),
            relativize=False,
        )
    except (dns.exception.DNSException, ValueError) as exc:
        raise InvalidInput("content", _content_message(rtype, content, exc)) from exc
    if rtype == "DHCID":  # PowerDNS wants the base64 in one piece; dnspython splits it
        return str(rdata.to_text(chunksize=0))
    return str(rdata.to_text(origin=None, relativize=False))


def _content_message(rtype: str, content: str, exc: Exception) -> str:
    """What was wrong and what to type instead; the parser's words only for unknown types."""
    expected = what_to_type(rtype)
    if expected:
        return f"invalid {rtype} content {content!r}: {expected}"
    return f"invalid {rtype} content {content!r}: {_why(exc)}"


def _name_rule(exc: dns.exception.DNSException) -> str:
    """The rule a name broke, in an operator's words."""
    if isinstance(exc, dns.name.LabelTooLong):
        return "each part between dots can be at most 63 characters long"
    if isinstance(exc, dns.name.NameTooLong):
        return "a full name can be at most 253 characters long"
    if isinstance(exc, dns.name.EmptyLabel):
        return "two dots in a row (or a leading dot) leave an empty part: remove one"
    return _why(exc)


def _address(rtype: str, text: str) -> str | None:
    """Canonical A/AAAA text without dnspython (10 times faster; bulk changes validate
    thousands), or None to let dnspython decide and explain."""
    try:
        if rtype == "A":
            if _CANONICAL_IPV4.fullmatch(text):
                return text
            return str(ipaddress.IPv4Address(text))
        if rtype == "AAAA" and "." not in text and "%" not in text:
            return str(ipaddress.IPv6Address(text))
    except ValueError:
        return None
    return None


def check_rrset_coexistence(name: str, rtype: str, existing_types: set[str]) -> None:
    """Enforce RFC 1034: a CNAME cannot share its name with any other data."""
    others = existing_types - {rtype, "RRSIG", "NSEC", "NSEC3"}
    if rtype == "CNAME" and others:
        raise InvalidInput(
            "type",
            f"{name} already has {', '.join(sorted(others))} records; a CNAME cannot "
            "coexist with other data: choose another name, or delete those records first",
        )
    if rtype != "CNAME" and "CNAME" in existing_types:
        raise InvalidInput(
            "type",
            f"{name} has a CNAME record; no other record can be added at that name: choose "
            "another name, or delete the CNAME first",
        )


def _quote_txt(text: str) -> str:
    """Quote TXT given without quotes, split into 255-byte strings as DNS requires."""
    if text.startswith('"'):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    chunks = [escaped[i : i + 255] for i in range(0, len(escaped), 255)]
    return " ".join(f'"{chunk}"' for chunk in chunks)


def _why(exc: Exception) -> str:
    message = str(exc).strip()
    return message or type(exc).__name__
