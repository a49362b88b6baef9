"""The rollback step: restore the servers a Decision names, with each change's own ``undo``.

Runs only when ``settle`` asked for it (the ``rollback`` policy after a partial success).
Each server gets the inverse of what IT did (``change.undo(done)`` on its own
``ServerChange``), concurrently. A restore that fails is owed to that server: the record
step queues it, so the server converges later. A change without a known inverse is
reported, not restored.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from dnsmate.powerdns.errors import PowerDNSError
from dnsmate.services.write.changes import Change, NotReversible, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSService, ServerResult
from dnsmate.services.write.settle import Decision

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OwedRestore:
    """A restore that failed: queued for the server by the record step."""

    server_id: int
    change: Change
    error: str


@dataclass
class RollbackReport:
    """What the rollback did: servers restored (ids), errors, and restores still owed."""

    restored: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    owed: list[OwedRestore] = field(default_factory=list)


async def roll_back(
    *,
    change: Change,
    results: list[ServerResult[ServerChange]],
    decision: Decision,
    targets: MultiPowerDNSService,
) -> RollbackReport:
    """Restore every server in ``decision.roll_back`` to its state before ``change``."""
    report = RollbackReport()
    wanted = [r for r in results if r.server_id in decision.roll_back]
    outcomes = await asyncio.gather(*(_restore(change, r, targets) for r in wanted))
    for r, (error, owed) in zip(wanted, outcomes, strict=True):
        if owed is not None:
            report.owed.append(owed)
        if error is not None:
            report.errors.append(f"{r.server}: {error}")
        elif r.server_id is not None:
            report.restored.append(r.server_id)
    return report


async def _restore(
    change: Change, result: ServerResult[ServerChange], targets: MultiPowerDNSService
) -> tuple[str | None, OwedRestore | None]:
    """(error, owed restore) for one server; (None, None) when it is restored."""
    done = result.value
    if done is None or not done.changed:
        return None, None  # nothing changed there: nothing to restore
    try:
        undo = change.undo(done)
    except NotReversible as exc:
        return str(exc), None
    if undo is None:
        return None, None
    client = targets.client(result.server_id)
    if client is None or result.server_id is None:
        return "rollback failed: not a target of this write", None
    try:
        await undo.apply(client)
    except PowerDNSError as exc:
        log.warning("%s: rollback of %s failed: %s", result.server, change.action, exc)
        return f"rollback failed: {exc}", OwedRestore(result.server_id, undo, str(exc))
    return None, None
