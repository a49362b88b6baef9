"""Zone versions as the write pipeline records them.

For every change that changed a zone, the record step adds who, when, how and the RRset delta
(before and after) as the reference server saw it: the first target that succeeded,
which is the default server when it answered. The first version of a zone also stores
the whole zone (read once from that server, or known from the change itself for a zone
created or deleted); later snapshots are rebuilt from the stored chain.

Retention is ``dnsmate.services.history.version_retention``: every recorded version is counted
there, and zones are pruned in batches in the background, so requests never wait for it.

A new version needs three facts of the zone's newest one (its id, RRset count, and RRsets
changed since the last snapshot). With one DNSMate process (SQLite) nobody else adds versions,
so the recorder remembers them for each zone it recorded, from its commit on, and a write
reads no version row (a SELECT per write, about a fifth of a write's CPU: issue 11). With
PostgreSQL other processes record too, and the newest version is read every time. A
version added and not yet committed (a group of writes of one zone in one transaction) is
the newest for the next one in that transaction.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ZoneVersion
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.history.version_codec import Delta, encode_delta, encode_state
from dnsmate.services.history.version_retention import VersionRetention
from dnsmate.services.history.versions import latest_version, rebuild_snapshot
from dnsmate.services.write.changes import Change, CreateZone, DeleteZone, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService, ServerResult
from dnsmate.services.zonedata.rrset import RRset
from dnsmate.services.zonedata.zonestate import State, state_from_rrsets

log = logging.getLogger(__name__)

# A new snapshot is stored once the deltas since the last one hold this many RRsets or
# as many as the zone has, whichever is more: rebuilding then never replays more than
# about two zones' worth of data, and small edits of a big zone stay small.
SNAPSHOT_MIN_RRSETS = 200
_PAST = {"create": "created", "clone": "cloned", "update": "updated", "delete": "deleted"}
# ``session.info`` key: zone -> the version added to the session and not yet committed.
_ADDED = "dnsmate.versions_added"


@dataclass(frozen=True)
class Head:
    """What the next version of a zone needs of the newest one."""

    id: int
    rrset_count: int
    since_snapshot: int


class VersionRecorder:
    """Adds versions inside the write pipeline's transaction; ``retention`` prunes them."""

    def __init__(self, *, retention: VersionRetention, remember_heads: bool = False) -> None:
        """``remember_heads``: no other process records versions (SQLite; see above)."""
        self.retention = retention
        self._locks: dict[str, asyncio.Lock] = {}
        self._remember = remember_heads
        self._heads: dict[str, Head] = {}

    def lock(self, zone: str) -> asyncio.Lock:
        """Held from reading the latest version of ``zone`` until the new one is committed."""
        return self._locks.setdefault(fqdn(zone), asyncio.Lock())

    # -- recording -------------------------------------------------------------------------

    async def add_version(
        self,
        *,
        session: AsyncSession,
        change: Change,
        reference: ServerResult[ServerChange] | None,
        actor: str | None,
        via: str,
        targets: MultiPowerDNSService,
    ) -> bool:
        """Add the version ``change`` made, as ``reference`` saw it, to the session.

        The caller holds ``lock(change.zone)`` and commits. False when the change changed
        nothing there (no version), or the zone's first version could not be read.
        """
        if reference is None or reference.value is None or not reference.value.changed:
            return False
        outcome = reference.value
        zone = fqdn(change.zone)
        stored: bytes | None = None
        if outcome.versioned is not None:  # worked out while the change was in flight
            delta, stored = await outcome.versioned
        else:
            delta = _delta(change, outcome)
        if not delta:
            return False
        last = await self._newest(session, zone)
        snapshot: State | None = None
        if isinstance(change, CreateZone | DeleteZone):
            snapshot = {k: a for k, (_b, a) in delta.items() if a is not None}
        elif last is None:
            snapshot = await _read_zone(targets, zone, reference.server_id)
            if snapshot is None:
                return False
        count = len(snapshot) if snapshot is not None else _count_after(last, delta)
        since = (last.since_snapshot if last else 0) + len(delta)
        if stored is None:
            stored = encode_delta(delta)
        blob: bytes | None = None
        # Encoding a big zone, or moving its snapshot forward, is CPU work: a worker thread.
        if snapshot is not None:
            blob = await asyncio.to_thread(encode_state, snapshot)
        elif last is not None and since >= max(count, SNAPSHOT_MIN_RRSETS):
            if last.id is None:  # added in this transaction: give it its id first
                await session.flush()
            blob = await rebuild_snapshot(
                session=session, zone=zone, version_id=last.id, then=[stored]
            )
        version = ZoneVersion(
            zone=zone,
            actor=actor,
            via=via,
            action=change.action,
            summary=_summary(change.noun, change.verb, delta),
            added=sum(1 for b, a in delta.values() if b is None),
            changed=sum(1 for b, a in delta.values() if b is not None and a is not None),
            deleted=sum(1 for b, a in delta.values() if a is None),
            rrset_count=count,
            since_snapshot=0 if blob is not None else since,
            delta=stored,
            snapshot=blob,
        )
        session.add(version)
        session.info.setdefault(_ADDED, {})[zone] = version
        return True

    async def _newest(self, session: AsyncSession, zone: str) -> Head | ZoneVersion | None:
        added: dict[str, ZoneVersion] = session.info.get(_ADDED, {})
        if zone in added:
            return added[zone]
        if zone in self._heads:
            return self._heads[zone]
        return await latest_version(session=session, zone=zone)

    def committed(self, session: AsyncSession) -> None:
        """``session`` committed: the versions it added are their zones' newest."""
        for zone, version in session.info.pop(_ADDED, {}).items():
            if self._remember:
                self._heads[zone] = Head(version.id, version.rrset_count, version.since_snapshot)

    def rolled_back(self, session: AsyncSession) -> None:
        """``session`` failed or rolled back: what it added is not there, and what this
        process remembers of those zones is read again (a failed commit is not trusted)."""
        for zone in session.info.pop(_ADDED, {}):
            self._heads.pop(zone, None)

    # -- retention (``VersionRetention``) ------------------------------------------------------

    def schedule_prune(self, zone: str) -> None:
        """A version of ``zone`` was committed: count it (a prune may follow, in a batch)."""
        self.retention.version_recorded(zone)

    def schedule_prune_all(self) -> None:
        """Prune every zone to the retention settings in the background."""
        self.retention.schedule_prune_all()

    def start(self) -> None:
        self.retention.start()

    async def periodic_round(self) -> bool:
        """One periodic pass if this process leads the retention; False when it does not."""
        return await self.retention.periodic_round()

    async def idle(self) -> None:
        """Wait for the background prunes started so far (tests, shutdown)."""
        await self.retention.idle()

    async def aclose(self) -> None:
        await self.retention.aclose()


async def _read_zone(
    targets: MultiPowerDNSService, zone: str, server_id: int | None
) -> State | None:
    """The whole zone from the reference server: the base of the zone's first version."""
    client = targets.client(server_id)
    try:
        if client is not None:
            data = await client.get_zone(zone)
        else:
            data = await targets.read(lambda c: c.get_zone(zone))
    except PowerDNSError as exc:
        log.warning("No version for %s: reading the zone failed: %s", zone, exc)
        return None
    return state_from_rrsets(data.get("rrsets", []))


def _delta(change: object, outcome: ServerChange) -> Delta:
    """The touched RRsets that differ before and after, comments included (a change of
    comments alone is a version too)."""
    if isinstance(change, DeleteZone):
        before = state_from_rrsets((outcome.zone_before or {}).get("rrsets", []))
        return {k: (r, None) for k, r in before.items()}
    if isinstance(change, CreateZone):
        after = state_from_rrsets(outcome.after)
        return {k: (None, _known(r, None)) for k, r in after.items()}
    return _changes(outcome.before, outcome.after)


def prepare(before: list[JSON], after: list[JSON]) -> asyncio.Future[tuple[Delta, bytes]]:
    """Start working out, in a worker thread, the version delta (and its stored form) of a
    write that takes RRsets from ``before`` to ``after``: a bulk change starts it while
    its PATCHes are in flight, so the record step finds it done (``ServerChange.versioned``)."""
    return asyncio.get_running_loop().run_in_executor(None, _prepared, before, after)


def _prepared(before: list[JSON], after: list[JSON]) -> tuple[Delta, bytes]:
    delta = _changes(before, after)
    return delta, encode_delta(delta)


def _changes(before: list[JSON], after: list[JSON]) -> Delta:
    delta: Delta = {}
    for old, new in zip(before, after, strict=False):
        b = _stored(old)
        a: RRset | None = None
        name = ""
        if new.get("records"):
            # Built with its comments known at once (``_known``'s rule): 10,000 RRsets of a
            # bulk change are one object each, not two.
            a = RRset.from_pdns(new, unsaid=b.comments if b is not None else ())
            name = a.name
        else:
            name = fqdn(new["name"])
        if b != a:
            delta[(name, new["type"])] = (b, a)
    return delta


def _known(after: RRset, before: RRset | None) -> RRset:
    """``after`` with its comments known where the write says them implicitly: a REPLACE
    that does not mention comments keeps the RRset's (PowerDNS's rule), and a new RRset
    written without them has none."""
    if after.comments is not None:
        return after
    return after.with_comments(before.comments if before is not None else ())


def _stored(data: JSON) -> RRset | None:
    """An RRset as versions keep it, or None when it has no records."""
    return RRset.from_pdns(data) if data.get("records") else None


def _count_after(last: Head | ZoneVersion | None, delta: Delta) -> int:
    base = last.rrset_count if last else 0
    added = sum(1 for b, a in delta.values() if b is None and a is not None)
    removed = sum(1 for b, a in delta.values() if b is not None and a is None)
    return base + added - removed


def _summary(noun: str, verb: str, delta: Delta) -> str:
    keys = sorted(delta)
    names = ", ".join(f"{display(n)} {t}" for n, t in keys[:3])
    more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
    return f"{noun} {_PAST.get(verb, verb)}: {names}{more}"[:500]
