"""Changes to one RRset's attributes: the SOA's fields, an RRset's comments, a record's
disabled flag. Each is a delta applied to every server's own RRset, like a record change
(``changes``), and restores the RRset as it was on undo.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSRejected, RecordConflict
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.errors import InvalidInput
from dnsmate.services.write.changes import (
    RestoresRRsets,
    ServerChange,
    one_entry,
    patch_one,
    read_rrset,
    write_rrsets,
)
from dnsmate.services.write.coalesce import apply_edit
from dnsmate.services.zonedata.records import find_rrset, replace_rrset
from dnsmate.services.zonedata.rrset import content_key
from dnsmate.services.zonedata.soa import Soa
from dnsmate.services.zonedata.validation import normalize_content, normalize_name, normalize_type

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
            data = await client.get_zone(
                self.zone, rrset_name=self.zone, rrset_type="SOA", disabled=False
            )
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
            return await patch_one(client, self.zone, rrset, change)


@dataclass(frozen=True)
class SetRecordDisabled(RestoresRRsets):
    """Disable or enable one record of an RRset; its siblings, TTL and comments stay."""

    zone: str
    name: str
    type: str
    content: str
    disabled: bool
    action: ClassVar[str] = "record.disable"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Record"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        return await apply_edit(client, self.zone, self)

    async def read(self, client: PowerDNSClient) -> JSON | None:
        return await read_rrset(client, self.zone, self.name, self.type)

    def plan(self, data: JSON | None) -> tuple[JSON | None, ServerChange]:
        key = content_key(self.type, self.content)
        records: list[JSON] = [] if data is None else data["records"]
        mine = [content_key(self.type, r["content"]) == key for r in records]
        if data is None or not any(mine):
            raise RecordConflict(
                f"Record {self.content!r} no longer exists (changed by someone else)"
            )
        if all(bool(r.get("disabled")) == self.disabled
               for r, m in zip(records, mine, strict=True) if m):  # fmt: skip
            return None, ServerChange(False, [data], after=[data])
        updated = [{**r, "disabled": self.disabled} if m else r
                   for r, m in zip(records, mine, strict=True)]  # fmt: skip
        return one_entry(data, replace_rrset(self.name, self.type, data["ttl"], updated))


@dataclass(frozen=True)
class SetComments(RestoresRRsets):
    """Set an RRset's comments (``{"content", "account"}`` each); its records stay."""

    zone: str
    name: str
    type: str
    comments: tuple[JSON, ...]
    action: ClassVar[str] = "record.comment"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Comments"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        wanted = [{"content": c["content"], "account": c.get("account", "")}
                  for c in self.comments]  # fmt: skip
        async with client.write_lock:
            rrset = await client.get_rrset(self.zone, self.name, self.type)
            if rrset is None:
                raise RecordConflict(
                    f"{display(self.name)} {self.type} no longer exists (changed by someone else)"
                )
            # No "records": the comments only (write_rrsets sends a REPLACE without records).
            only = {"name": self.name, "type": self.type, "comments": wanted}
            return await write_rrsets(client, self.zone, [only], {(self.name, self.type): rrset})


def disabled_change(
    *, zone: str, name: str, rtype: str, content: str, disabled: bool
) -> SetRecordDisabled:
    """Validate input into a SetRecordDisabled (the SOA cannot be disabled)."""
    record_type = normalize_type(rtype)
    if record_type == "SOA":
        raise InvalidInput("type", "the SOA record cannot be disabled")
    return SetRecordDisabled(
        zone=fqdn(zone),
        name=normalize_name(name, zone),
        type=record_type,
        content=normalize_content(record_type, content),
        disabled=disabled,
    )


def comments_change(
    *, zone: str, name: str, rtype: str, comments: list[JSON], account: str
) -> SetComments:
    """Validate input into a SetComments; a comment without ``account`` gets ``account``."""
    kept = []
    for number, comment in enumerate(comments):
        text = str(comment.get("content", "")).strip()
        if not text:
            raise InvalidInput(f"comments[{number}].content", "a comment needs some text")
        kept.append({"content": text, "account": str(comment.get("account") or account)})
    return SetComments(
        zone=fqdn(zone), name=normalize_name(name, zone), type=normalize_type(rtype),
        comments=tuple(kept),
    )  # fmt: skip
