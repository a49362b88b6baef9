"""Changes to one RRset's attributes: the SOA's fields, an RRset's comments, a record's
disabled flag. Each is a delta applied to every server's own RRset, like a record change
(``changes``), and restores the RRset as it was on undo.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from dnsmate.powerdns.client import PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSRejected
from dnsmate.services.records import find_rrset, replace_rrset
from dnsmate.services.soa import Soa
from dnsmate.services.write.changes import RestoresRRsets, ServerChange, _written

# SOA-EDIT-API values with which PowerDNS leaves the serial of an SOA it is sent alone.
_NO_SOA_EDIT = ("", "OFF")


@dataclass(frozen=True)
class SetSOA(RestoresRRsets):
    """Set the given SOA fields (None: keep the server's); the serial stays each server's.

    PowerDNS's SOA-EDIT-API bumps the serial of an SOA sent in a PATCH; a zone with it off
    gets the server's serial plus one, so secondaries still see the change.
    """

    zone: str
    primary: str | None = None
    hostmaster: str | None = None
    refresh: int | None = None
    retry: int | None = None
    expire: int | None = None
    minimum: int | None = None
    ttl: int | None = None
    action: ClassVar[str] = "zone.soa"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "SOA"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            data = await client.get_zone(self.zone, rrset_name=self.zone, rrset_type="SOA")
            if data.get("kind") == "Slave":
                raise PowerDNSRejected("a Slave zone's SOA comes from its master", status=422)
            rrset = find_rrset(data, self.zone, "SOA")
            if rrset is None or not rrset["records"]:
                raise PowerDNSRejected("the zone has no SOA record", status=422)
            old = Soa.parse(rrset["records"][0]["content"])
            given = {
                f.name: getattr(self, f.name)
                for f in dataclasses.fields(Soa)
                if getattr(self, f.name, None) is not None
            }
            new = dataclasses.replace(old, **given)
            ttl = rrset["ttl"] if self.ttl is None else self.ttl
            if new == old and ttl == rrset["ttl"]:
                return ServerChange(False, [rrset], after=[rrset])
            if str(data.get("soa_edit_api") or "").upper() in _NO_SOA_EDIT:
                new = dataclasses.replace(new, serial=old.serial + 1)
            change = replace_rrset(self.zone, "SOA", ttl, [{"content": new.content(),
                                                             "disabled": False}])  # fmt: skip
            await client.patch_rrsets(self.zone, [change])
            return ServerChange(True, [rrset], after=[_written(change)], patches=1)
