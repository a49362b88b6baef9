"""The partial-failure decision, for every mix of per-server outcomes on 1 to 3 servers.

The expected decision is written from the rules as the README and ``settle``'s docstring
state them, one policy at a time, not from the implementation.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import get_args

import pytest

from dnsmate.powerdns import errors
from dnsmate.services.sync.health import BACKLOG, UNHEALTHY
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.multi_powerdns import ServerResult, ServerSkipped
from dnsmate.services.write.settle import Decision, settle

# Each kind of per-server outcome, as the fan-out reports it.
FAILURES: dict[str, Callable[[], errors.PowerDNSError]] = {
    "unavailable": errors.PowerDNSUnreachable,
    "skipped-unhealthy": lambda: ServerSkipped(f"skipped: {UNHEALTHY}"),
    "skipped-backlog": lambda: ServerSkipped(f"skipped: {BACKLOG}"),
    "404": errors.PowerDNSNotFound,
    "409": errors.PowerDNSConflict,
    "422": errors.PowerDNSRejected,
    "maybe-applied": lambda: errors.PowerDNSTimeout(maybe_applied=True),
}
KINDS = ["success", *FAILURES]
TRANSIENT = {"unavailable", "skipped-unhealthy", "skipped-backlog", "maybe-applied"}
DATA_STATUS = {"404": 404, "409": 409, "422": 422}
CASES: list[tuple[tuple[str, ...], PartialFailurePolicy]] = [
    (kinds, policy)
    for size in (1, 2, 3)
    for kinds in itertools.product(KINDS, repeat=size)
    for policy in get_args(PartialFailurePolicy)
]


def results(kinds: tuple[str, ...]) -> list[ServerResult[None]]:
    """Servers with ids 1, 2, 3 in target order, each with the outcome of that kind."""
    out: list[ServerResult[None]] = []
    for server_id, kind in enumerate(kinds, 1):
        name = f"S{server_id}"
        if kind == "success":
            out.append(ServerResult(name, True, server_id=server_id))
            continue
        exc = FAILURES[kind]()
        skipped = kind.startswith("skipped")
        out.append(
            ServerResult(name, False, str(exc), exc=exc, skipped=skipped, server_id=server_id)
        )
    return out


def expected(kinds: tuple[str, ...], policy: PartialFailurePolicy) -> Decision:
    def ids(wanted: set[str]) -> tuple[int, ...]:
        return tuple(i for i, kind in enumerate(kinds, 1) if kind in wanted)

    succeeded, transient, data = ids({"success"}), ids(TRANSIENT), ids(set(DATA_STATUS))
    behind = ids({"skipped-backlog"})
    maybe = "maybe-applied" in kinds
    failed = Decision("failed", _failure_status(kinds), policy)
    if len(succeeded) == len(kinds):
        return Decision("applied", 200)
    if policy == "rollback":
        # All or nothing: restore where it succeeded, queue and park nothing.
        if succeeded:
            return Decision("rolled_back", 400, "rollback", roll_back=succeeded)
        return failed
    if policy == "retry":
        # Queue for the unavailable and skipped, park for data errors, when it landed.
        if succeeded:
            return Decision("partial", 207, "retry", queue=transient, park=data)
        if maybe or behind:
            return Decision("accepted", 202, "retry", queue=transient)
        return failed
    # report: only the servers behind queued changes get it queued (in order).
    if succeeded:
        return Decision("partial", 207, "report", queue=behind)
    if behind:
        return Decision("accepted", 202, "report", queue=behind)
    return failed


def _failure_status(kinds: tuple[str, ...]) -> int:
    statuses = {DATA_STATUS.get(kind, 400) for kind in kinds}
    return statuses.pop() if len(statuses) == 1 else 400


@pytest.mark.parametrize(("kinds", "policy"), CASES, ids=[f"{p}:{'+'.join(k)}" for k, p in CASES])
def test_every_mix_of_outcomes_under_every_policy(
    kinds: tuple[str, ...], policy: PartialFailurePolicy
) -> None:
    assert settle(results(kinds), policy) == expected(kinds, policy)


def test_the_documented_answers() -> None:
    down = ("success", "success", "unavailable")
    assert settle(results(down), "retry") == Decision("partial", 207, "retry", queue=(3,))
    assert settle(results(down), "report") == Decision("partial", 207, "report")
    assert settle(results(down), "rollback") == Decision(
        "rolled_back", 400, "rollback", roll_back=(1, 2)
    )
    rejected = ("success", "422")
    assert settle(results(rejected), "retry").park == (2,)
    lost = ("maybe-applied", "unavailable")
    assert settle(results(lost), "retry") == Decision("accepted", 202, "retry", queue=(1, 2))
    assert settle(results(lost), "report").status == 400
    assert settle(results(("404", "404")), "retry").status == 404


def test_a_record_changed_underneath_everywhere_is_409_and_mixed_conflicts_400() -> None:
    def conflict(kind: type[errors.PowerDNSError], server_id: int) -> ServerResult[None]:
        exc = kind()
        return ServerResult(f"S{server_id}", False, str(exc), exc=exc, server_id=server_id)

    same = [conflict(errors.RecordConflict, 1), conflict(errors.RecordConflict, 2)]
    mixed = [conflict(errors.RecordConflict, 1), conflict(errors.PowerDNSConflict, 2)]
    assert settle(same, "retry").status == 409
    assert settle(mixed, "retry").status == 400


def test_durable_means_applied_somewhere_or_queued_and_not_rolled_back() -> None:
    assert settle(results(("success",)), "retry").durable
    assert settle(results(("success", "unavailable")), "report").durable
    assert settle(results(("maybe-applied",)), "retry").durable
    assert not settle(results(("success", "unavailable")), "rollback").durable
    assert not settle(results(("unavailable",)), "retry").durable
