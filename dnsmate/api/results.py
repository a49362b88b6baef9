"""Renders a write's outcome in the seed's response shapes (201/200, 207, 202, 400, 404...).

The status is the one ``settle`` decided (``WriteOutcome.decision``); this module only
words it. 207 and 400 bodies carry their keys at the top level, never under ``detail``.
What the partial-failure policy did is added at the top level too: ``queued_servers`` (the
change is queued for them), ``skipped_servers`` (not contacted: unhealthy or behind queued
changes), and, under ``rollback``, ``rolled_back_servers`` with a 400. A change that no
server took yet but that is queued for some answers 202. ``warnings`` appears when the
servers took the change but recording it afterwards (queue, versions, audit log) failed:
the status still says what the servers did.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from dnsmate.powerdns.errors import InvalidForZone
from dnsmate.services.write.outcome import WriteOutcome

_PAST = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "add": "added",
    "enable": "enabled",
    "disable": "disabled",
    "notify": "notified",
    "retrieve": "retrieved",
}


def _warnings(outcome: WriteOutcome) -> dict[str, list[str]]:
    return {"warnings": outcome.warnings} if outcome.warnings else {}


def multi_response(
    outcome: WriteOutcome,
    *,
    action: str,
    noun: str,
    body: dict[str, Any],
    success_status: int = 200,
) -> JSONResponse:
    """The HTTP answer for one write; ``success_status`` when every server took it.

    All servers failing with the same data error (every server says 404, 409, or rejects
    the data with 422) maps to that status, so a client can tell "no such zone" or "invalid
    for this zone" from "servers down".
    """
    decision = outcome.decision
    servers = [r.public() for r in outcome.results]
    total = len(outcome.results)
    skipped = outcome.skipped_servers
    if decision.verdict == "applied":
        return JSONResponse({**body, **_warnings(outcome), "servers": servers},
                            status_code=success_status)  # fmt: skip
    if decision.verdict == "rolled_back":
        failed = total - len(outcome.success_servers)
        return JSONResponse(
            {
                **_warnings(outcome),
                "message": f"{noun} not {_PAST[action]}: failed on {failed}/{total} servers, "
                f"rolled back on {len(outcome.rolled_back_servers)}",
                "errors": outcome.failed_servers + outcome.rollback.errors,
                "rolled_back_servers": outcome.rolled_back_servers,
                "queued_servers": outcome.queued_servers,
                "skipped_servers": skipped,
                "partial_success": False,
                "servers": servers,
            },
            status_code=decision.status,
        )
    if decision.verdict in ("partial", "accepted"):
        ok = len(outcome.success_servers)
        return JSONResponse(
            {
                **body,
                **_warnings(outcome),
                "message": f"{noun} {_PAST[action]} on {ok}/{total} servers",
                "success_servers": outcome.success_servers,
                "failed_servers": outcome.failed_servers,
                "queued_servers": outcome.queued_servers,
                "skipped_servers": skipped,
                "partial_success": True,
                "servers": servers,
            },
            status_code=decision.status,
        )
    agreed = _agreed_input_error(outcome)
    if agreed is not None:
        # Every server refused the same input for the same reason (a CNAME beside other
        # data): one message naming the field, as for input refused before any server.
        return JSONResponse(
            {
                **_warnings(outcome),
                "message": str(agreed),
                "field": agreed.field,
                "errors": outcome.failed_servers,
                "skipped_servers": skipped,
                "servers": servers,
            },
            status_code=decision.status,
        )
    return JSONResponse(
        {
            **_warnings(outcome),
            "message": f"Failed to {action} {noun.lower()} on all PowerDNS servers",
            "errors": outcome.failed_servers,
            "skipped_servers": skipped,
            "servers": servers,
        },
        status_code=decision.status,
    )


def _agreed_input_error(outcome: WriteOutcome) -> InvalidForZone | None:
    """The input error every contacted server failed with, when they all say the same."""
    errors = [r.exc for r in outcome.results if not r.skipped]
    first = errors[0] if errors else None
    if not isinstance(first, InvalidForZone):
        return None
    same = all(
        isinstance(e, InvalidForZone) and (e.field, str(e)) == (first.field, str(first))
        for e in errors
    )
    return first if same else None
