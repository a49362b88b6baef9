"""Which RRsets a change writes, for record limits (``permissions.check_records``).

One table for every change type that is about particular RRsets; any other change (a new
type not listed here included) counts as a change of the whole zone, which no caller with
record limits may make: deny by default.
"""

from __future__ import annotations

from dnsmate.services.access.record_limits import ANY
from dnsmate.services.dnsupdate.change import DnsUpdate
from dnsmate.services.write.changes import (
    AddRecord,
    Change,
    DeleteRecords,
    PatchRRsets,
    UpdateRecord,
)
from dnsmate.services.zonedata.bulk import BulkRecords


def touched_rrsets(change: Change) -> list[tuple[str, str]] | None:
    """The (name, type) pairs ``change`` writes, or None for a change of the whole zone."""
    if isinstance(change, AddRecord | UpdateRecord):
        return [(change.record.name, change.record.type)]
    if isinstance(change, DeleteRecords):
        return [(change.name, change.type)]
    if isinstance(change, PatchRRsets):
        return [(str(r["name"]), str(r["type"])) for r in change.rrsets]
    if isinstance(change, BulkRecords):
        return [(op.name, op.type) for op in change.operations]
    if isinstance(change, DnsUpdate):
        return [(u.name, u.type or ANY) for u in change.updates]
    return None
