"""The change a DynDNS2 update makes (kept apart from the protocol: the change registry
imports it, and the protocol module imports the write pipeline)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from dnsmate.powerdns.names import display
from dnsmate.services.write.changes import PatchRRsets


@dataclass(frozen=True)
class DynDnsUpdate(PatchRRsets):
    """The A and/or AAAA RRset of one host set to exactly the client's address."""

    action: ClassVar[str] = "record.dyndns"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Records"

    @property
    def target(self) -> str:
        """What the audit log names: ``host A``, ``host AAAA`` or both."""
        names = sorted({display(r["name"]) for r in self.rrsets})
        types = "/".join(r["type"] for r in self.rrsets)
        return f"{', '.join(names)} {types}"
