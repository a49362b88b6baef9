"""Maps a multi-server result to the seed's response shapes (201/200, 207, 400).

207 and 400 bodies carry their keys at the top level, never under ``detail``. What the
partial-failure policy did is added at the top level too: ``queued_servers`` (the change is
queued for them), ``skipped_servers`` (not contacted: unhealthy or behind queued changes),
and, under ``rollback``, ``rolled_back_servers`` with a 400. A change that no server took
yet but that is queued for some (they are behind older queued changes) answers 202.
``warnings`` appears when the servers took the change but recording it afterwards (queue,
versions, audit log) failed: the status still says what the servers did.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from dnsmate.api.status import FAN_OUT_FAILED, fan_out_rule
from dnsmate.services.multi_powerdns import MultiPowerDNSResult

_PAST = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "add": "added",
    "enable": "enabled",
    "disable": "disabled",
}


def _warnings(result: MultiPowerDNSResult[Any]) -> dict[str, list[str]]:
    return {"warnings": result.warnings} if result.warnings else {}


def multi_response(
    result: MultiPowerDNSResult[Any],
    *,
    action: str,
    noun: str,
    body: dict[str, Any],
    success_status: int = 200,
) -> JSONResponse:
    """The HTTP answer for one fan-out write.

    All servers failing with the same data error (every server says 404, 409, or rejects
    the data with 422) maps to that status, so a client can tell "no such zone" or "invalid
    for this zone" from "servers down".
    """
    servers = [r.public() for r in result.results]
    body = {**body, **_warnings(result)}
    total = len(result.results)
    skipped = [r.server for r in result.results if r.skipped]
    if result.all_succeeded:
        return JSONResponse({**body, "servers": servers}, status_code=success_status)
    if result.policy == "rollback" and result.any_succeeded:
        failed = total - len(result.success_servers)
        return JSONResponse(
            {
                **_warnings(result),
                "message": f"{noun} not {_PAST[action]}: failed on {failed}/{total} servers, "
                f"rolled back on {len(result.rolled_back_servers)}",
                "errors": result.failed_servers + result.rollback_errors,
                "rolled_back_servers": result.rolled_back_servers,
                "queued_servers": result.queued_servers,
                "skipped_servers": skipped,
                "partial_success": False,
                "servers": servers,
            },
            status_code=400,
        )
    if result.any_succeeded or result.queued_servers:
        ok = len(result.success_servers)
        return JSONResponse(
            {
                **body,
                "message": f"{noun} {_PAST[action]} on {ok}/{total} servers",
                "success_servers": result.success_servers,
                "failed_servers": result.failed_servers,
                "queued_servers": result.queued_servers,
                "skipped_servers": skipped,
                "partial_success": True,
                "servers": servers,
            },
            status_code=207 if result.any_succeeded else 202,
        )
    rule = fan_out_rule(result)
    return JSONResponse(
        {
            **_warnings(result),
            "message": f"Failed to {action} {noun.lower()} on all PowerDNS servers",
            "errors": result.failed_servers,
            "skipped_servers": skipped,
            "servers": servers,
        },
        status_code=rule.status if rule is not None else FAN_OUT_FAILED,
    )
