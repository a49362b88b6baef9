"""The event kinds an endpoint may subscribe to, and what a write reports."""

from __future__ import annotations

from typing import Any

from dnsmate.powerdns.names import display
from dnsmate.services.write.outcome import WriteOutcome

EVENT_KINDS: dict[str, str] = {
    "record.changed": "Records added, changed or deleted",
    "zone.changed": "Zones created, deleted or changed (metadata, DNSSEC)",
    "write.partial": "A change reached some servers only, or none yet (queued)",
    "queue.parked": "A queued change was parked for an admin",
    "drift.detected": "The drift check found zones that differ between servers",
    "server.down": "A server's circuit breaker opened",
    "server.up": "A server's circuit breaker closed again",
}
TEST_EVENT = "webhook.test"  # sent by "Send test", whatever the endpoint subscribed to


def write_events(outcome: WriteOutcome, actor: str) -> list[tuple[str, dict[str, Any]]]:
    """(kind, data) for each event a write that stands reports."""
    decision = outcome.decision
    if not decision.durable:
        return []
    change = outcome.change
    data: dict[str, Any] = {
        "action": change.action,
        "zone": display(change.zone),
        "target": getattr(change, "target", None)
        if isinstance(getattr(change, "target", None), str)
        else None,
        "actor": actor,
        "status": decision.status,
        "servers": [
            {"server": r.server, "success": r.success, "error": r.error} for r in outcome.results
        ],
        "queued_servers": outcome.queued_servers,
        "parked_servers": outcome.parked_servers,
    }
    events = []
    if any(r.success and r.value is not None and r.value.changed for r in outcome.results) or (
        decision.verdict == "accepted"
    ):
        kind = "record.changed" if change.action.startswith("record") else "zone.changed"
        events.append((kind, data))
    if decision.verdict in ("partial", "accepted"):
        events.append(("write.partial", data))
    if decision.park:
        events.append(("queue.parked", {**data, "reason": "rejected by a server"}))
    return events
