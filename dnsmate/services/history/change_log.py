"""Every write's outcome per server, one INFO line: the operator's record of what happened.

The write pipeline's last step, after the record step, so the line also says which servers
the change was queued for or rolled back on.
"""

from __future__ import annotations

import logging

from dnsmate.powerdns.names import display
from dnsmate.services.history.audit import Actor
from dnsmate.services.write.outcome import WriteOutcome

log = logging.getLogger("dnsmate.changes")


def log_change_outcome(outcome: WriteOutcome, actor: Actor) -> None:
    """Log ``action zone by who: Server=ok (12 ms), Other=failed: why, ...``."""
    result = outcome
    outcomes: dict[str, str] = {}
    for server in result.results:
        if server.success:
            outcomes[server.server] = f"ok ({server.duration_ms:.0f} ms)"
        elif server.skipped:
            # The error already says why, with its prefix ("skipped: unhealthy").
            outcomes[server.server] = server.error or "skipped"
        else:
            outcomes[server.server] = f"failed: {server.error}"
    for name in result.queued_servers:
        outcomes[name] = outcomes.get(name, "-") + ", queued"
    for name in result.rolled_back_servers:
        outcomes[name] = outcomes.get(name, "-") + ", rolled back"
    who = actor.user.email if actor.user is not None else actor.via
    zone = display(outcome.change.zone)
    level = logging.INFO if result.all_succeeded else logging.WARNING
    log.log(
        level,
        "%s %s by %s: %s",
        outcome.change.action, zone, who,
        ", ".join(f"{name}={text}" for name, text in outcomes.items()) or "no target",
        extra={"action": outcome.change.action, "zone": zone, "user": who, "via": actor.via,
               "servers": outcomes},
    )  # fmt: skip
