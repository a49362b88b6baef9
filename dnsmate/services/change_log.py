"""Every write's outcome per server, one INFO line: the operator's record of what happened.

A change hook, run after the partial-failure policy, so the line also says which servers
the change was queued for or rolled back on.
"""

from __future__ import annotations

import logging

from dnsmate.powerdns.names import display
from dnsmate.services.changes import ChangeEvent

log = logging.getLogger("dnsmate.changes")


async def log_change_outcome(event: ChangeEvent) -> None:
    """Log ``action zone by who: Server=ok (12 ms), Other=failed: why, ...``."""
    result = event.result
    outcomes: dict[str, str] = {}
    for server in result.results:
        if server.success:
            outcomes[server.server] = f"ok ({server.duration_ms:.0f} ms)"
        elif server.skipped:
            outcomes[server.server] = f"skipped: {server.error}"
        else:
            outcomes[server.server] = f"failed: {server.error}"
    for name in result.queued_servers:
        outcomes[name] = outcomes.get(name, "-") + ", queued"
    for name in result.rolled_back_servers:
        outcomes[name] = outcomes.get(name, "-") + ", rolled back"
    who = event.actor.email if event.actor is not None else event.via
    zone = display(event.change.zone)
    level = logging.INFO if result.all_succeeded else logging.WARNING
    log.log(
        level,
        "%s %s by %s: %s",
        event.change.action, zone, who,
        ", ".join(f"{name}={text}" for name, text in outcomes.items()) or "no target",
        extra={"action": event.change.action, "zone": zone, "user": who, "via": event.via,
               "servers": outcomes},
    )  # fmt: skip
