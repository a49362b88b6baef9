"""Every change type, listed in one place, and the JSON form they are stored in.

The retry queue and the audit log store changes by class name. Decoding a stored change
needs its class, so every class is listed here explicitly (none registers itself by being
imported): replaying the queue works in any process that imports this module, whatever else
it has loaded. A new change type is added to ``CHANGE_TYPES``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from dnsmate.powerdns.client import JSON
from dnsmate.services.compat.pdns_compat import UpdateZone
from dnsmate.services.compat.pdns_compat_server import AddAutoprimary, DeleteAutoprimary
from dnsmate.services.dnsupdate.change import DnsUpdate
from dnsmate.services.dyndns.change import DynDnsUpdate
from dnsmate.services.write.changes import (
    AddRecord,
    Change,
    CloneZone,
    CreateZone,
    DeleteRecords,
    DeleteZone,
    PatchRRsets,
    UpdateRecord,
)
from dnsmate.services.write.rrset_changes import SetComments, SetRecordDisabled, SetSOA
from dnsmate.services.write.tsig_changes import CreateTSIGKey, DeleteTSIGKey, UpdateTSIGKey
from dnsmate.services.write.zone_changes import (
    NotifyZone,
    RetrieveZone,
    SetZoneMetadata,
    UpdateZoneSettings,
)
from dnsmate.services.zonedata.bulk import BulkRecords
from dnsmate.services.zonedata.dnssec import CreateZoneKey, SyncZoneKeys, UnsignZone
from dnsmate.services.zonedata.records import Record

CHANGE_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        AddRecord,
        UpdateRecord,
        DeleteRecords,
        PatchRRsets,
        CreateZone,
        CloneZone,
        DeleteZone,
        BulkRecords,
        UpdateZone,
        CreateZoneKey,
        SyncZoneKeys,
        UnsignZone,
        DnsUpdate,
        AddAutoprimary,
        DeleteAutoprimary,
        DynDnsUpdate,
        SetSOA,
        SetRecordDisabled,
        SetComments,
        UpdateZoneSettings,
        SetZoneMetadata,
        NotifyZone,
        RetrieveZone,
        CreateTSIGKey,
        DeleteTSIGKey,
        UpdateTSIGKey,
    )
}


def change_to_json(change: Change) -> JSON:
    """A JSON form of ``change`` for storage (the retry queue, the audit log)."""
    encode = getattr(change, "to_json", None)
    data: JSON = encode() if encode is not None else asdict(change)
    return {"kind": type(change).__name__, **data}


def change_from_json(data: JSON) -> Change:
    """The change stored by ``change_to_json`` (KeyError for a kind this version lacks)."""
    fields = dict(data)
    cls = CHANGE_TYPES[fields.pop("kind")]
    decode = getattr(cls, "from_json", None)
    if decode is not None:
        change: Change = decode(fields)
        return change
    if "record" in fields:
        fields["record"] = Record(**fields["record"])
    if "rrsets" in fields:
        fields["rrsets"] = tuple(fields["rrsets"])
    result: Change = cls(**fields)
    return result
