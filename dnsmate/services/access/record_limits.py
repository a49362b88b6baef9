"""Record limits: which RRsets a user, an API token or a team may write.

A limit names the record types allowed (``types``; None: any), the types never allowed
(``deny_types``) and the names allowed (``names``: shell patterns matched without case
against the name relative to the zone, ``@`` for the apex; None: any). A "certificates"
limit for certbot: ``{"types": ["TXT"], "names": ["_acme-challenge", "_acme-challenge.*"]}``;
a team that may not touch the delegation: ``{"deny_types": ["NS", "SOA"]}``.

Limits only narrow: a write must pass every limit that applies to its caller. A change
that is not about particular RRsets (creating or deleting a zone, DNSSEC, zone metadata)
passes no limit. Deleting every RRset at a name (RFC 2136 "delete a name") is type ANY,
which passes only limits without type rules.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from dnsmate.powerdns.names import fqdn

ANY = "ANY"


@dataclass(frozen=True)
class RecordLimits:
    """What a limited caller may write."""

    types: frozenset[str] | None = None
    deny_types: frozenset[str] = frozenset()
    names: tuple[str, ...] | None = None

    @classmethod
    def from_json(cls, data: Any) -> RecordLimits | None:
        """The limits stored as JSON (None or an empty object: no limits)."""
        if not data:
            return None
        types = data.get("types")
        names = data.get("names")
        return cls(
            types=None if types is None else frozenset(t.upper() for t in types),
            deny_types=frozenset(t.upper() for t in data.get("deny_types") or ()),
            names=None if names is None else tuple(n.lower() for n in names),
        )

    def to_json(self) -> dict[str, Any]:
        """The stored and public form."""
        return {
            "types": None if self.types is None else sorted(self.types),
            "deny_types": sorted(self.deny_types),
            "names": None if self.names is None else list(self.names),
        }

    def allows(self, *, zone: str, name: str, rtype: str) -> bool:
        """Whether (``name``, ``rtype``) in ``zone`` may be written under these limits."""
        rtype = rtype.upper()
        if rtype == ANY and (self.types is not None or self.deny_types):
            return False
        if self.types is not None and rtype not in self.types:
            return False
        if rtype in self.deny_types:
            return False
        if self.names is None:
            return True
        relative = relative_name(zone, name)
        return any(fnmatch.fnmatchcase(relative, pattern) for pattern in self.names)

    def describe(self) -> str:
        """The limits in words, for refusals."""
        parts = []
        if self.types is not None:
            parts.append(f"only {', '.join(sorted(self.types)) or 'no'} records")
        if self.deny_types:
            parts.append(f"no {', '.join(sorted(self.deny_types))} records")
        if self.names is not None:
            parts.append(f"only names matching {', '.join(self.names)}")
        return "; ".join(parts) or "no limits"


def relative_name(zone: str, name: str) -> str:
    """``name`` relative to ``zone`` in lower case: ``@`` for the apex."""
    zone_name, full = fqdn(zone).lower(), fqdn(name).lower()
    if full == zone_name:
        return "@"
    return full.removesuffix("." + zone_name).rstrip(".")
