"""Bulk record changes: many add/update/delete operations applied as one atomic PATCH.

Operations arrive as JSON or CSV and are all validated before anything is sent; every
invalid row is reported at once with its row number. ``BulkRecords`` then reads the zone
once per server (under that server's write lock), applies the operations in order to THAT
server's own RRsets and PATCHes only the RRsets that changed, so siblings written by
others stay and replaying the batch changes nothing.
"""

from __future__ import annotations

import asyncio
import csv
import fnmatch
import io
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from dnsmate.powerdns.client import JSON, PowerDNSClient, encode_patch
from dnsmate.powerdns.errors import PowerDNSRejected, RecordConflict
from dnsmate.powerdns.names import display, fqdn
from dnsmate.schemas.records import DEFAULT_TTL
from dnsmate.services.errors import InvalidInput, InvalidRows
from dnsmate.services.history import version_recorder
from dnsmate.services.write.changes import RestoresRRsets, ServerChange
from dnsmate.services.zonedata.plan import Plan
from dnsmate.services.zonedata.records import (
    check_fits_one_patch,
    chunk_patch,
    current_rrsets,
    replace_rrset,
)
from dnsmate.services.zonedata.rrset import RRset, content_key, valid_content_key
from dnsmate.services.zonedata.validation import (
    ZoneNames,
    check_rrset_coexistence,
    normalize_content,
    normalize_ttl,
    normalize_type,
)
from dnsmate.services.zonedata.zonestate import sort_key, state_from_rrsets

OPS = ("add", "update", "delete")
CSV_COLUMNS = ("op", "name", "type", "content", "ttl", "old_content")
MAX_OPERATIONS = 100_000


class BulkOp(NamedTuple):
    """One validated operation; ``row`` is its position in the request (CSV: file line).

    A named tuple, not a frozen dataclass: a request holds up to 100,000 of them, and a
    frozen dataclass costs four times as much to build (15 ms for 10,000 operations).
    """

    row: int
    op: str
    name: str
    type: str
    content: str | None = None
    old_content: str | None = None
    ttl: int | None = None


def parse_json_operations(items: Any, *, zone: str) -> tuple[BulkOp, ...]:
    """Validate a JSON list of operations (or ``{"operations": [...]}``); rows count from 1."""
    if isinstance(items, dict):
        items = items.get("operations")
    if not isinstance(items, list):
        raise InvalidInput("operations", "send a list of operations (or {'operations': [...]})")
    return _validate([(i, item) for i, item in enumerate(items, start=1)], zone=zone)


def parse_csv_operations(text: str, *, zone: str) -> tuple[BulkOp, ...]:
    """Validate CSV with a header row (op,name,type,content,ttl,old_content); rows are lines."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = {"op", "name", "type"} - set(header)
    if missing:
        raise InvalidInput("file", f"the CSV header needs the columns {', '.join(CSV_COLUMNS)}; "
                           f"missing {', '.join(sorted(missing))}")  # fmt: skip
    reader.fieldnames = header
    rows = []
    for raw in reader:
        item = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items() if k}
        rows.append((reader.line_num, {k: v for k, v in item.items() if v not in ("", None)}))
    return _validate(rows, zone=zone)


def _validate(rows: list[tuple[int, Any]], *, zone: str) -> tuple[BulkOp, ...]:
    if not rows:
        raise InvalidInput("operations", "no operations given")
    if len(rows) > MAX_OPERATIONS:
        raise InvalidInput("operations", f"at most {MAX_OPERATIONS} operations per request")
    ops, errors = [], []
    names = ZoneNames(zone)
    for row, item in rows:
        try:
            ops.append(_operation(row, item, names))
        except InvalidInput as exc:
            errors.append({"row": row, "field": exc.field, "message": exc.reason})
    if errors:
        raise InvalidRows("operations", errors)
    added: dict[tuple[str, str], list[str]] = {}
    for op in ops:
        if op.op in ("add", "update") and op.content is not None:
            added.setdefault((op.name, op.type), []).append(op.content)
    for (name, rtype), contents in added.items():
        check_fits_one_patch(name, rtype, contents)
    return tuple(ops)


def _operation(row: int, item: Any, names: ZoneNames) -> BulkOp:
    if not isinstance(item, dict):
        raise InvalidInput("operation", "each operation is an object")
    op = str(item.get("op", "")).strip().lower()
    if op not in OPS:
        raise InvalidInput("op", f"op must be one of {', '.join(OPS)}, got {item.get('op')!r}")
    for key in ("name", "type"):
        if not str(item.get(key, "")).strip():
            raise InvalidInput(key, f"{key} is required")
    rtype = normalize_type(str(item["type"]))
    if rtype == "SOA":
        raise InvalidInput("type", "the SOA is managed by PowerDNS and cannot be changed in bulk")
    name = names.normalize(str(item["name"]))
    ttl = _ttl(item.get("ttl"))

    def content(key: str) -> str:
        value = item.get(key)
        if value is None or not str(value).strip():
            raise InvalidInput(key, f"{key} is required for {op}")
        try:
            return normalize_content(rtype, str(value))
        except InvalidInput as exc:
            raise InvalidInput(key, exc.reason) from exc

    if op == "add":
        return BulkOp(row, op, name, rtype, content("content"), None,
                      DEFAULT_TTL if ttl is None else ttl)  # fmt: skip
    if op == "update":
        return BulkOp(row, op, name, rtype, content("content"), content("old_content"), ttl)
    has_content = item.get("content") not in (None, "")
    return BulkOp(row, op, name, rtype, content("content") if has_content else None)


def _ttl(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return normalize_ttl(int(value))
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: Infinity
        raise InvalidInput("ttl", f"TTL must be a whole number, got {value!r}") from exc


def summarize(ops: tuple[BulkOp, ...]) -> dict[str, int]:
    return {op: sum(1 for o in ops if o.op == op) for op in OPS}


@dataclass(slots=True)
class _Work:
    """One RRset being edited: TTL and records keyed by their comparison key.

    ``dirty`` is set by every operation that may have changed it: only those RRsets are
    compared with the server's at the end (a replayed batch changes none).
    """

    ttl: int
    records: dict[str, JSON]
    dirty: bool = False

    def rrset(self, name: str, rtype: str) -> RRset:
        """The edited RRset (absent when no records are left).

        Built directly: the name and type are validated already, and the records keyed by
        their canonical content hold no repeats.
        """
        records = sorted((r["content"], bool(r.get("disabled", False)))
                         for r in self.records.values())  # fmt: skip
        return RRset(name, rtype, self.ttl if records else 0, tuple(records))


@dataclass
class _Plan:
    """What one server's zone data needs: the RRsets before and after, and the PATCH
    bodies, encoded once (servers in step share the plan, so they share the bytes too).
    ``versioned``: the version of the write, worked out while the PATCHes are in flight."""

    before: list[JSON]
    after: list[JSON]
    bodies: list[bytes]
    versioned: asyncio.Future[Any] | None = None


@dataclass(frozen=True)
class BulkRecords(RestoresRRsets):
    """Apply many record operations to each server's own zone data in one atomic PATCH.

    Chunked like PatchRRsets when the changed RRsets exceed PowerDNS's request limit.
    """

    zone: str
    operations: tuple[BulkOp, ...]
    action: ClassVar[str] = "records.bulk"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "Records"

    def to_json(self) -> JSON:
        """What ``asdict`` gives for a dataclass: each operation as a dict of its fields."""
        return {"zone": self.zone, "operations": [op._asdict() for op in self.operations]}

    @classmethod
    def from_json(cls, data: JSON) -> BulkRecords:
        return cls(zone=data["zone"], operations=tuple(BulkOp(**o) for o in data["operations"]))

    def __post_init__(self) -> None:
        # The plans made so far for this change, each with the zone data it was made from
        # (not a field: never stored with the change). See ``_plan_for``.
        object.__setattr__(self, "_plans", [])

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            names = {op.name for op in self.operations}
            existing = await current_rrsets(client, self.zone, names)
            plan = self._plan_for(existing)
            for body in plan.bodies:
                await client.patch_rrsets(self.zone, body)
            return ServerChange(bool(plan.bodies), list(plan.before), after=list(plan.after),
                                patches=len(plan.bodies), versioned=plan.versioned)  # fmt: skip

    def _plan_for(self, existing: dict[tuple[str, str], JSON]) -> _Plan:
        """The PATCHes that make ``existing`` (one server's RRsets) what the operations ask.

        Every server gets its own plan from its own data, but targets in step hold the same
        data: a plan made for equal data is reused (editing and building 10,000 RRsets costs
        about 130 ms of the event loop per server, which the other servers' requests wait
        for, and encoding their PATCH body 25 ms more). A refused plan (conflict, CNAME
        clash) is made again for each server.
        """
        plans: list[tuple[dict[tuple[str, str], JSON], _Plan]] = self._plans  # type: ignore[attr-defined]
        for seen, plan in plans:
            if seen == existing:
                return plan
        plan = self._plan(existing)
        if plan.bodies:
            # The record step's delta of 10,000 RRsets (tens of ms of CPU) is worked out
            # in a worker thread while the servers apply the PATCH, not after.
            plan.versioned = version_recorder.prepare(plan.before, plan.after)
        plans.append((existing, plan))
        return plan

    def _plan(self, existing: dict[tuple[str, str], JSON]) -> _Plan:
        work = self._edit(existing)
        self._check_cnames(existing, work)
        before: list[JSON] = []
        after: list[JSON] = []
        deletes: list[JSON] = []  # sent first, so an A can become a CNAME
        replaces: list[JSON] = []
        for key, rr in work.items():
            if not rr.dirty:
                continue
            old = existing.get(key)
            name, rtype = key
            if old is None or not old.get("records"):
                if not rr.records:
                    continue  # absent, and absent before
                before.append(old or {"name": name, "type": rtype, "ttl": 0, "records": []})
            elif rr.records and rr.rrset(name, rtype) == RRset.from_pdns(old):
                continue
            else:
                before.append(old)
            if rr.records:
                entry = replace_rrset(name, rtype, rr.ttl, list(rr.records.values()))
                replaces.append(entry)
                after.append({"name": name, "type": rtype, "ttl": rr.ttl,
                              "records": entry["records"]})  # fmt: skip
            else:
                deletes.append({"name": name, "type": rtype, "changetype": "DELETE"})
                after.append({"name": name, "type": rtype, "ttl": 0, "records": []})
        chunks = chunk_patch(deletes + replaces)
        return _Plan(before, after, [encode_patch(chunk) for chunk in chunks])

    def preview(self, zone_data: JSON, *, limit: int) -> JSON:
        """What the operations would change in ``zone_data`` (one server's zone), unapplied.

        Raises what ``apply`` would: a stale update (RecordConflict), a CNAME clash.
        """
        existing = {(r["name"], r["type"]): r for r in zone_data.get("rrsets", [])}
        work = self._edit(existing)
        self._check_cnames(existing, work)
        current = state_from_rrsets(existing.values())
        target = dict(current)
        for key, rr in work.items():
            rrset = rr.rrset(*key)
            if rrset.exists:
                target[key] = rrset
            else:
                target.pop(key, None)
        return Plan.between(current, target).public(limit=limit)

    def _edit(self, existing: dict[tuple[str, str], JSON]) -> dict[tuple[str, str], _Work]:
        work: dict[tuple[str, str], _Work] = {}
        for op in self.operations:
            rr = work.get((op.name, op.type))
            if rr is None:
                rr = work[(op.name, op.type)] = _load(existing.get((op.name, op.type)), op)
            records = rr.records
            if op.op == "add":
                assert op.content is not None and op.ttl is not None
                key = valid_content_key(op.type, op.content)
                if key not in records:
                    records[key] = {"content": op.content, "disabled": False}
                    rr.dirty = True
                if rr.ttl != op.ttl:
                    rr.ttl, rr.dirty = op.ttl, True
            elif op.op == "update":
                assert op.content is not None and op.old_content is not None
                old = valid_content_key(op.type, op.old_content)
                new = valid_content_key(op.type, op.content)
                if old in records:
                    disabled = records.pop(old).get("disabled", False)
                    records[new] = {"content": op.content, "disabled": disabled}
                    rr.dirty = True
                elif new not in records:
                    raise RecordConflict(
                        f"row {op.row}: record {display(op.name)} {op.type} {op.old_content!r} "
                        "no longer exists (changed by someone else)"
                    )
                if op.ttl is not None and rr.ttl != op.ttl:
                    rr.ttl, rr.dirty = op.ttl, True
            elif op.content is None:
                if records:
                    records.clear()
                    rr.dirty = True
            elif records.pop(valid_content_key(op.type, op.content), None) is not None:
                rr.dirty = True
        return work

    def _check_cnames(
        self, existing: dict[tuple[str, str], JSON], work: dict[tuple[str, str], _Work]
    ) -> None:
        # Only a name that has or gets a CNAME can break the rule: look at those alone.
        names = {name for name, _ in work}
        cnames = {name for (name, rtype), rr in work.items() if rtype == "CNAME" and rr.records}
        cnames.update(name for (name, rtype), rrset in existing.items()
                      if rtype == "CNAME" and name in names and rrset.get("records"))  # fmt: skip
        if not cnames:
            return
        types: dict[str, set[str]] = {name: set() for name in cnames}
        for (name, rtype), rrset in existing.items():
            if name in types and rrset.get("records"):
                types[name].add(rtype)
        for (name, rtype), rr in work.items():
            if name in types:
                (types[name].add if rr.records else types[name].discard)(rtype)
        for name, present in types.items():
            if "CNAME" in present and len(present - {"RRSIG", "NSEC", "NSEC3"}) > 1:
                try:
                    check_rrset_coexistence(display(name), "CNAME", present - {"CNAME"})
                except InvalidInput as exc:
                    raise PowerDNSRejected(exc.reason) from exc


def _load(rrset: JSON | None, op: BulkOp) -> _Work:
    if rrset is None or not rrset.get("records"):
        return _Work(op.ttl or DEFAULT_TTL, {})
    records = {content_key(op.type, r["content"]): r for r in rrset["records"]}
    return _Work(int(rrset["ttl"]), records)


def match_rrsets(zone_data: JSON, *, zone: str, pattern: str, rtype: str | None) -> list[JSON]:
    """RRsets whose name matches the glob ``pattern`` (relative or absolute) and the type.

    The SOA and the apex NS are never matched: deleting them breaks the zone.
    """
    origin = fqdn(zone)
    wanted = pattern.strip().lower().rstrip(".")
    found = []
    for rrset in zone_data.get("rrsets", []):
        name, kind = rrset["name"], rrset["type"]
        if kind == "SOA" or (kind == "NS" and name == origin):
            continue
        if rtype and kind != rtype:
            continue
        relative = "@" if name == origin else name[: -len(origin) - 1]
        if fnmatch.fnmatchcase(relative, wanted) or fnmatch.fnmatchcase(display(name), wanted):
            found.append(rrset)
    return sorted(found, key=lambda r: sort_key((r["name"], r["type"])))


def delete_operations(rrsets: list[JSON]) -> tuple[BulkOp, ...]:
    """Operations deleting each of ``rrsets`` whole."""
    return tuple(BulkOp(i, "delete", r["name"], r["type"]) for i, r in enumerate(rrsets, 1))
