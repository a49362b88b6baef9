"""The partial-failure decision: a pure function of the per-server results and the policy.

Every server succeeded: ``applied`` (200; a creation route answers 201). Otherwise the
policy decides (``dnsmate.services.sync.policy`` stores the default; a request may name one):

``retry`` (default)  207; the change is queued for every server that was unavailable or
                     skipped, and replayed in order when it is healthy again. A server that
                     answered with a data error (422, 404, 409) gets it parked for an admin.
``report``           207 only, as in the seed: nothing is queued (except for a server
                     skipped because older changes are queued for it: applying it out of
                     order would be worse than waiting).
``rollback``         all or nothing: every server where the change succeeded is restored to
                     the state captured just before the write; the answer is 400.

A change that no server took is never queued: the client gets an error and knows it failed
(404, 409 or 422 when every server failed with that same data error, else 400). Except when
a server skipped it because older changes are queued there (it is queued behind them), and,
under ``retry``, when a server may have applied it (the request reached it but the answer
was lost): then it is queued for every server that failed, and the answer is 202, because a
change that may be on one server must end up on all of them.

Nothing here touches a server or the database: the pipeline carries the decision out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dnsmate.services.sync.health import BACKLOG
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, ServerResult, is_unavailable
from dnsmate.status import FAN_OUT_FAILED, fan_out_rule

Verdict = Literal["applied", "partial", "accepted", "rolled_back", "failed"]


@dataclass(frozen=True)
class Decision:
    """What happens after a fan-out, and the HTTP status that says so.

    ``verdict``: ``applied`` (every server), ``partial`` (some servers: 207), ``accepted``
    (none yet, but queued: 202), ``rolled_back`` (400) or ``failed`` (400/404/409/422).
    ``policy`` is the partial-failure policy applied (None when every server succeeded).
    ``queue``, ``park`` and ``roll_back`` name servers by id, in target order: store the
    change pending for replay, store it parked for an admin, restore the server.
    """

    verdict: Verdict
    status: int
    policy: PartialFailurePolicy | None = None
    queue: tuple[int, ...] = ()
    park: tuple[int, ...] = ()
    roll_back: tuple[int, ...] = ()

    @property
    def durable(self) -> bool:
        """The change stands: applied on a server or queued for one, and not rolled back."""
        return self.verdict in ("applied", "partial", "accepted")


def settle(results: Sequence[ServerResult[Any]], policy: PartialFailurePolicy) -> Decision:
    """Decide what happens after a fan-out with these per-server ``results``."""
    succeeded = [r for r in results if r.success]
    if len(succeeded) == len(results):
        return Decision("applied", 200)
    if policy == "rollback":
        if succeeded:
            return Decision("rolled_back", 400, policy, roll_back=_ids(succeeded))
        return Decision("failed", failure_status(results), policy)
    behind = any(behind_backlog(r) for r in results)
    # A write that may have landed somewhere (answer lost) must land everywhere.
    maybe = any(r.exc is not None and r.exc.maybe_applied for r in results)
    if not succeeded and not behind and not (maybe and policy == "retry"):
        return Decision("failed", failure_status(results), policy)  # nobody took it
    queue, park = [], []
    for r in results:
        if r.success:
            continue
        transient = r.exc is None or is_unavailable(r.exc)
        if behind_backlog(r) or (transient and policy == "retry"):
            queue.append(r)
        elif not transient and policy == "retry" and succeeded:
            park.append(r)
    if succeeded:
        return Decision("partial", 207, policy, _ids(queue), _ids(park))
    if _ids(queue):
        return Decision("accepted", 202, policy, _ids(queue), _ids(park))
    return Decision("failed", failure_status(results), policy)


def failure_status(results: Sequence[ServerResult[Any]]) -> int:
    """400, or the status of the data error every server failed with (404, 409 or 422),
    from the one error -> status table (``dnsmate.status``)."""
    rule = fan_out_rule(MultiPowerDNSResult(list(results)))
    return rule.status if rule is not None else FAN_OUT_FAILED


def behind_backlog(result: ServerResult[Any]) -> bool:
    """The write skipped this server because older changes are queued for it."""
    return result.skipped and (result.error or "").endswith(BACKLOG)


def _ids(results: Sequence[ServerResult[Any]]) -> tuple[int, ...]:
    return tuple(r.server_id for r in results if r.server_id is not None)
