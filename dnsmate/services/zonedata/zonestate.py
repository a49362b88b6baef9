"""A zone's content as plain data: the one form versions, import, export and bulk compare.

``State`` maps ``(name, type)`` to the zone's ``RRset`` there (``dnsmate.services.zonedata.rrset``);
absent RRsets are left out. Two states compare RRset by RRset with the RRset equality rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import name_order
from dnsmate.services.zonedata.rrset import Key, RRset

State = dict[Key, RRset]

# Records PowerDNS makes itself: the SOA (serial bumped on every change) and DNSSEC data.
MANAGED_TYPES = frozenset({"SOA"})
GENERATED_TYPES = frozenset({"RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "DNSKEY", "CDS", "CDNSKEY"})


def state_from_rrsets(rrsets: Iterable[JSON]) -> State:
    """A State from PowerDNS RRset dicts (empty RRsets are absent)."""
    state: State = {}
    for data in rrsets:
        rrset = RRset.from_pdns(data)
        if rrset.exists:
            state[rrset.key] = rrset
    return state


def sort_key(key: Key) -> tuple[tuple[str, ...], str]:
    """Zone order: the apex first, then names grouped from the right, then type."""
    return name_order(key[0]), key[1]


def state_to_rrsets(state: State) -> list[JSON]:
    """PowerDNS RRset dicts in zone order."""
    return [state[key].to_pdns() for key in sorted(state, key=sort_key)]
