"""What one write produced: the per-server results, the decision, and what was carried out.

``WriteOutcome`` is what ``WritePipeline.run`` returns and what ``dnsmate.api.results``
renders (201/200, 207, 202, 400, 404, 409, 422). Servers are known by id inside; the name
lists here are for answers and the audit log.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from dnsmate.services.write.changes import Change, DeleteZone, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, ServerResult
from dnsmate.services.write.rollback import RollbackReport
from dnsmate.services.write.settle import Decision


@dataclass
class WriteOutcome:
    """A change, what every server did with it, what ``settle`` decided and what followed.

    ``warnings`` is set when recording the change afterwards (breakers, retry queue,
    versions, grants, audit log) failed: the servers did take the change.
    """

    change: Change
    result: MultiPowerDNSResult[ServerChange]
    decision: Decision
    rollback: RollbackReport = field(default_factory=RollbackReport)
    warnings: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[ServerResult[ServerChange]]:
        """Per-server results, in target order."""
        return self.result.results

    @property
    def all_succeeded(self) -> bool:
        return self.result.all_succeeded

    @property
    def any_succeeded(self) -> bool:
        return self.result.any_succeeded

    @property
    def success_servers(self) -> list[str]:
        return self.result.success_servers

    @property
    def failed_servers(self) -> list[str]:
        """``"Name: error"`` for each failed server, as in the seed's 207 body."""
        return self.result.failed_servers

    @property
    def skipped_servers(self) -> list[str]:
        """Servers the write did not contact (unhealthy, or behind queued changes)."""
        return [r.server for r in self.results if r.skipped]

    @property
    def queued_servers(self) -> list[str]:
        """Servers the change (or, after a failed restore, its undo) is queued for."""
        owed = [o.server_id for o in self.rollback.owed]
        return self.names([*self.decision.queue, *owed])

    @property
    def parked_servers(self) -> list[str]:
        return self.names(self.decision.park)

    @property
    def rolled_back_servers(self) -> list[str]:
        return self.names(self.rollback.restored)

    @property
    def zone_absent_everywhere(self) -> bool:
        """For DeleteZone: every server answered and none had the zone."""
        return (
            isinstance(self.change, DeleteZone)
            and self.all_succeeded
            and not any(r.value and r.value.changed for r in self.results)
        )

    def names(self, ids: Collection[int]) -> list[str]:
        """The names of the servers with these ids, in target order."""
        return [r.server for r in self.results if r.server_id in ids]
