"""DNS name handling: the one place that normalises names and escapes zone ids."""

from __future__ import annotations

import string

import dns.exception
import dns.name

_ZONE_ID_SAFE = set(string.ascii_letters + string.digits + ".-")


def fqdn(name: str) -> str:
    """Lower-case absolute form with the trailing dot: ``Example.COM`` -> ``example.com.``.

    RFC 1035 escapes are decoded as PowerDNS decodes them (``\\119ww`` is ``www``), so a
    name has one canonical form; an invalid escaped name is left as written.
    """
    name = name.strip().lower()
    if not name or name == ".":
        return "."
    absolute = name if name.endswith(".") else name + "."
    if "\\" in absolute:
        try:
            return str(dns.name.from_text(absolute).to_text()).lower()
        except dns.exception.DNSException:
            return absolute
    return absolute


def display(name: str) -> str:
    """The seed's response form: fully qualified without the trailing dot."""
    return name[:-1] if name.endswith(".") and name != "." else name


def zone_id(zone: str) -> str:
    """PowerDNS zone id: keep ``[A-Za-z0-9.-]``, escape the rest as ``=XX`` (upper-case hex)."""
    return "".join(
        c if c in _ZONE_ID_SAFE else "".join(f"={b:02X}" for b in c.encode()) for c in fqdn(zone)
    )


def zone_from_id(zone_id_text: str) -> str:
    """The zone name for a PowerDNS zone id (``=5Fx.example.`` -> ``_x.example.``).

    Undoes ``zone_id``: each ``=XX`` is one byte; a name without the trailing dot is
    accepted, as PowerDNS does.
    """
    raw = bytearray()
    i = 0
    data = zone_id_text.encode()
    while i < len(data):
        chunk = data[i : i + 3]
        if chunk[:1] == b"=" and len(chunk) == 3:
            try:
                raw.append(int(chunk[1:].decode(), 16))
                i += 3
                continue
            except ValueError:
                pass
        raw.append(data[i])
        i += 1
    return fqdn(raw.decode(errors="replace"))


def absolute_name(name: str, zone: str) -> str:
    """Resolve a record name given relative (``www``, ``@``) or absolute, in ``zone``.

    A name with a trailing dot is absolute. Without one, a name equal to the zone or ending
    in ``.zone`` is taken as already absolute (``www.example.com`` in ``example.com``);
    anything else is relative to the zone.
    """
    zone = fqdn(zone)
    raw = name.strip().lower()
    if raw in ("", "@"):
        return zone
    if raw.endswith("."):
        return raw
    bare_zone = zone[:-1]
    if raw == bare_zone or raw.endswith("." + bare_zone):
        return raw + "."
    return f"{raw}.{zone}"


def in_zone(name: str, zone: str) -> bool:
    """True when the absolute ``name`` is the zone apex or below it."""
    name, zone = fqdn(name), fqdn(zone)
    return name == zone or name.endswith("." + zone)


def name_order(name: str) -> tuple[str, ...]:
    """Sort key for zone order: labels from the right, so the apex comes first and
    subdomains group together (``example.com`` < ``a.example.com`` < ``b.a.example.com``)."""
    return tuple(reversed(name.rstrip(".").split(".")))
