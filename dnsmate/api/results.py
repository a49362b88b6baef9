"""Maps a multi-server result to the seed's response shapes (201/200, 207, 400).

207 and 400 bodies carry their keys at the top level, never under ``detail``.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from dnsmate.powerdns.errors import (
    PowerDNSConflict,
    PowerDNSNotFound,
    PowerDNSRejected,
    RecordConflict,
)
from dnsmate.services.multi_powerdns import MultiPowerDNSResult

_PAST = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "add": "added",
    "enable": "enabled",
    "disable": "disabled",
}


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
    total = len(result.results)
    if result.all_succeeded:
        return JSONResponse({**body, "servers": servers}, status_code=success_status)
    if result.any_succeeded:
        ok = len(result.success_servers)
        return JSONResponse(
            {
                **body,
                "message": f"{noun} {_PAST[action]} on {ok}/{total} servers",
                "success_servers": result.success_servers,
                "failed_servers": result.failed_servers,
                "partial_success": True,
                "servers": servers,
            },
            status_code=207,
        )
    status = 400
    if result.all_failed_with(PowerDNSNotFound):
        status = 404
    elif result.all_failed_with(PowerDNSConflict) or result.all_failed_with(RecordConflict):
        status = 409
    elif result.all_failed_with(PowerDNSRejected):
        status = 422
    return JSONResponse(
        {
            "message": f"Failed to {action} {noun.lower()} on all PowerDNS servers",
            "errors": result.failed_servers,
            "servers": servers,
        },
        status_code=status,
    )
